"""The OpenID Connect relying party: the protocol half of single sign-on, no database.

Authorization code flow (OpenID Connect Core 1.0 §3.1) with PKCE S256 (RFC 7636), `state` against
cross-site request forgery and `nonce` against ID-token replay. Authlib's OAuth2Session builds the
authorization URL and redeems the code; joserfc (Authlib's JOSE library) checks the ID token:
signature with the provider's published keys (JWKS), issuer, audience, expiry, issue time and
nonce (Core §3.1.3.7). Nothing here trusts the browser: the code is redeemed server to server.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from incident_tracker.config import Settings

SCOPE = "openid email profile"
# Asymmetric signatures only: never `none`, never HS256 keyed with the client secret.
ALGORITHMS = ["RS256", "PS256", "ES256"]
CLOCK_SKEW_SECONDS = 60
TIMEOUT_SECONDS = 10.0


class ProviderError(Exception):
    """The provider could not be reached or answered something that is not OpenID Connect."""


class Refused(Exception):
    """The answer is not a valid sign-in; `reason` is for the audit trail, not the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    """The provider's discovery document, the fields this client uses (Discovery §3)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Start:
    """Where to send the browser, and what to keep (server side of the browser) until it is back."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Identity:
    """A verified ID token's claims that sign-in uses."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    amr: tuple[str, ...]


_DISCOVERED: dict[str, Provider] = {}


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        found = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderError(f"{type(exc).__name__} from {url}") from exc
    if not isinstance(found, dict):
        raise ProviderError(f"not a JSON object at {url}")
    return found


def discover(settings: Settings) -> Provider:
    """The discovery document, fetched once per process; its issuer must be the configured one
    exactly (Discovery §4.3), or a look-alike provider could stand in."""
    issuer = settings.oidc_issuer
    found = _DISCOVERED.get(issuer)
    if found is not None:
        return found
    document = _get_json(f"{issuer}/.well-known/openid-configuration")
    fields = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    values = [document.get(name) for name in fields]
    if not all(isinstance(v, str) and v for v in values):
        raise ProviderError("the discovery document lacks an endpoint")
    if document["issuer"] != issuer:
        raise ProviderError("the discovery document names another issuer")
    found = _DISCOVERED[issuer] = Provider(*(str(v) for v in values))
    return found


def _client(settings: Settings, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def begin(settings: Settings, redirect_uri: str) -> Start:
    """A fresh state, nonce and PKCE verifier per attempt; the URL carries only the S256
    challenge of the verifier."""
    provider = discover(settings)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters: RFC 7636 §4.1 asks 43 to 128
    with _client(settings, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            provider.authorization_endpoint, state=state, code_verifier=verifier, nonce=nonce
        )
    return Start(str(url), state, nonce, verifier)


def same_state(expected: str, given: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


def identify(
    settings: Settings, now: datetime, redirect_uri: str, code: str, start: Start
) -> Identity:
    """Redeem the code (with the PKCE verifier and the client secret) and verify the ID token.
    Raises Refused for a token that fails any check, ProviderError when the provider fails."""
    provider = discover(settings)
    try:
        with _client(settings, redirect_uri) as client:
            token = client.fetch_token(
                provider.token_endpoint,
                code=code,
                code_verifier=start.code_verifier,
                timeout=TIMEOUT_SECONDS,
            )
    except requests.RequestException as exc:
        raise ProviderError(f"token endpoint: {type(exc).__name__}") from exc
    except AuthlibBaseError as exc:  # OAuth2Error and kin: the provider refused the code
        raise Refused(f"code not redeemed: {type(exc).__name__}") from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise Refused("no ID token in the token response")
    return verify_id_token(settings, provider, now, id_token, start.nonce)


def verify_id_token(
    settings: Settings, provider: Provider, now: datetime, id_token: str, nonce: str
) -> Identity:
    """OpenID Connect Core 1.0 §3.1.3.7: signature, iss, aud (and azp), exp, iat, nonce."""
    keys = KeySet.import_key_set(_get_json(provider.jwks_uri))  # type: ignore[arg-type]
    try:
        decoded = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        claims = decoded.claims
        jwt.JWTClaimsRegistry(
            now=int(now.timestamp()),
            leeway=CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": settings.oidc_issuer},
            aud={"essential": True, "value": settings.oidc_client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(claims)
    except (JoseError, ValueError) as exc:
        raise Refused(f"ID token: {type(exc).__name__}: {exc}") from exc
    if int(claims["iat"]) > now.timestamp() + CLOCK_SKEW_SECONDS:
        raise Refused("ID token: issued in the future")
    audience = claims["aud"]
    if (
        isinstance(audience, list)
        and len(audience) > 1
        and claims.get("azp") != (settings.oidc_client_id)
    ):
        raise Refused("ID token: several audiences and another authorized party")
    amr = claims.get("amr")
    return Identity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=str(claims.get("email") or ""),
        email_verified=claims.get("email_verified") is True,
        amr=tuple(str(a) for a in amr) if isinstance(amr, list) else (),
    )
