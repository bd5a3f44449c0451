"""Sign-in with single sign-on (OpenID Connect): off to the provider, and back.

The state, nonce and PKCE verifier wait in the signed session cookie for ten minutes; the code is
redeemed and the ID token checked outside any database transaction (services/oidc_client.py),
then the account is found by issuer + subject and signed in (services/sso.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for

from incident_tracker.services import oidc_client, sso
from incident_tracker.web import runtime
from incident_tracker.web.auth import PENDING, signed_in

bp = Blueprint("sso", __name__)
SSO_PENDING = "sso_pending"
SSO_PENDING_SECONDS = 600


def _redirect_uri() -> str:
    """BASE_URL's address where set (behind a proxy the request's host may differ)."""
    base = runtime.settings().base_url.rstrip("/")
    path = url_for("sso.callback")
    return base + path if base else url_for("sso.callback", _external=True)


def _failed(message: str, status: int) -> tuple[str, int]:
    return render_template("auth/login.html", email="", next="", error=message), status


@bp.get("/login/sso")
def start() -> Response | tuple[str, int]:
    settings = runtime.settings()
    if not settings.sso_enabled:
        abort(404)
    try:
        begun = oidc_client.begin(settings, _redirect_uri())
    except oidc_client.ProviderError as exc:
        with runtime.call() as c:
            c.audit("auth.sso_refused", detail=f"provider unreachable: {exc}"[:500])
        return _failed("The identity provider could not be reached. Try again later.", 502)
    session.pop(PENDING, None)
    session[SSO_PENDING] = {
        "state": begun.state,
        "nonce": begun.nonce,
        "verifier": begun.code_verifier,
        "at": int(runtime.now().timestamp()),
        "next": request.args.get("next", "")[:500],
    }
    return redirect(begun.url)  # type: ignore[return-value]


def _pending() -> dict[str, object] | None:
    found = session.pop(SSO_PENDING, None)  # single use, whatever comes next
    if not isinstance(found, dict) or not isinstance(found.get("at"), int):
        return None
    if runtime.now().timestamp() - found["at"] > SSO_PENDING_SECONDS:
        return None
    return found


@bp.get("/login/sso/callback")
def callback() -> Response | tuple[str, int]:
    settings = runtime.settings()
    if not settings.sso_enabled:
        abort(404)
    pending = _pending()
    given_state = request.args.get("state", "")[:200]
    if pending is None or not oidc_client.same_state(str(pending["state"]), given_state):
        with runtime.call() as c:
            c.audit("auth.sso_refused", detail="state missing, expired or not this browser's")
        return _failed(sso.FAILED, 400)
    if request.args.get("error") or not request.args.get("code"):
        error = request.args.get("error", "no code")[:100]
        with runtime.call() as c:
            c.audit("auth.sso_refused", detail=f"provider answered {error}")
        return _failed(sso.FAILED, 401)
    begun = oidc_client.Start(
        "", str(pending["state"]), str(pending["nonce"]), str(pending["verifier"])
    )
    try:
        identity = oidc_client.identify(
            settings, runtime.now(), _redirect_uri(), request.args["code"][:2048], begun
        )
    except oidc_client.ProviderError as exc:
        with runtime.call() as c:
            c.audit("auth.sso_refused", detail=f"provider unreachable: {exc}"[:500])
        return _failed("The identity provider could not be reached. Try again later.", 502)
    except oidc_client.Refused as exc:
        with runtime.call() as c:
            c.audit("auth.sso_refused", detail=exc.reason[:500])
        return _failed(sso.FAILED, 401)
    with runtime.call() as c:
        result = sso.sign_in(c, identity, request.headers.get("User-Agent", ""))
    target = str(pending.get("next", ""))
    if result.ok and result.second_factor and result.user is not None:
        session.clear()  # only the app's code step may follow (services/sso.py says why)
        session[PENDING] = {
            "user": result.user.id,
            "at": int(runtime.now().timestamp()),
            "next": target,
        }
        return redirect(url_for("auth.code"))  # type: ignore[return-value]
    if not result.ok or result.token is None or result.user is None:
        return _failed(result.message, 401)
    return signed_in(result.token, result.user, target, second_factor=False)
