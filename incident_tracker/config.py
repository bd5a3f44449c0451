"""Settings from the environment, checked before the app starts.

Production refuses to start on any setting that would weaken the HIPAA safeguards: a missing,
short or published secret, debug mode, cookies sent over plain HTTP (architecture.md §1.2;
stack.md §5). Outside production the keys are random per instance (keys.py), never in the source.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from incident_tracker.clock import Clock
from incident_tracker.core.permissions import Role
from incident_tracker.mail import MailSettings

# Keys an earlier version shipped in its source for development: public, so never accepted.
PUBLISHED_KEYS = frozenset(
    {"dev-only-secret-key-not-for-production", "dev-only-audit-key-not-for-production"}
)
# `development` when unset; `demo` is what `make run` sets; `test` is the test suite's.
ENVIRONMENTS = ("development", "demo", "test", "production")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
MIN_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The settings are unsafe or invalid; the message lists every problem."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{key}: {raw!r} is not a whole number") from exc


def _environment(env: Mapping[str, str]) -> str:
    raw = env.get("INCIDENT_TRACKER_ENV") or ""
    name = raw.strip().lower() or "development"
    if name not in ENVIRONMENTS:
        raise ConfigError(
            f"INCIDENT_TRACKER_ENV: {raw!r} is not one of {', '.join(ENVIRONMENTS)}; "
            "refusing to start"
        )
    return name


def _key(env: Mapping[str, str], name: str, instance: Path, production: bool) -> str:
    """From the environment; outside production, when unset, the instance's own key."""
    given = env.get(name)
    if given is not None and (production or given.strip()):
        return given
    if production:
        return ""
    from incident_tracker import keys

    file_name = {
        "SECRET_KEY": keys.SECRET_KEY_FILE,
        "MFA_ENCRYPTION_KEY": keys.MFA_KEY_FILE,
    }.get(name, keys.AUDIT_KEY_FILE)
    try:
        return keys.instance_key(instance, file_name, MIN_KEY_LENGTH)
    except keys.KeyFileError as exc:
        raise ConfigError(f"{name}: {exc}") from exc


ROLES = tuple(role.value for role in Role)


def _mfa_roles(env: Mapping[str, str], production: bool) -> tuple[str, ...]:
    """MFA_REQUIRED_ROLES: `all`, `none` or a comma-separated list of roles; unset, `all` in
    production and none elsewhere (45 CFR 164.312(d); ASVS 5.0 6.3.3)."""
    raw = env.get("MFA_REQUIRED_ROLES")
    if raw is None or not raw.strip():
        return ROLES if production else ()
    words = [w.strip().lower() for w in raw.split(",") if w.strip()]
    if words == ["all"]:
        return ROLES
    if words == ["none"]:
        return ()
    unknown = [w for w in words if w not in ROLES]
    if unknown:
        raise ConfigError(
            f"MFA_REQUIRED_ROLES: {', '.join(unknown)} is not all, none or one of "
            + ", ".join(ROLES)
        )
    return tuple(r for r in ROLES if r in words)


def _generated_key() -> str:
    """Settings built in code without keys (tests, benchmarks) get random ones, kept only in
    memory; `from_env` is what reads or makes the instance's lasting keys."""
    return secrets.token_urlsafe(48)


def with_driver(url: str) -> str:
    """PostgreSQL URLs through psycopg 3, the driver the `postgres` extra installs: SQLAlchemy
    would otherwise pick psycopg2 for a bare `postgresql://` (and refuses `postgres://`)."""
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            return "postgresql+psycopg://" + url.removeprefix(bare)
    return url


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = field(default_factory=_generated_key, repr=False)
    audit_key: str = field(default_factory=_generated_key, repr=False)
    mfa_encryption_key: str = field(default_factory=_generated_key, repr=False)
    # EVIDENCE_SIGNING_KEY: derives the Ed25519 key that signs evidence files (signing.py); when
    # empty, `evidence_secret()` makes the instance's own at first use (not in production).
    evidence_signing_key: str = field(default="", repr=False)
    # Roles that must sign in with a second factor (MFA_REQUIRED_ROLES).
    mfa_required_roles: tuple[str, ...] = ()
    # The address users reach the app at (BASE_URL), for links in e-mails; production needs it.
    base_url: str = ""
    # SMTP for the account e-mails the web app sends itself (invitations, reset links).
    mail: MailSettings = field(default_factory=MailSettings)
    instance_path: Path = DEFAULT_INSTANCE
    database_url: str = ""
    debug: bool = False
    secure_cookies: bool = False
    idle_timeout_minutes: int = 15
    absolute_timeout_hours: int = 12
    idle_warning_seconds: int = 120
    max_failed_logins: int = 10  # per account, then locked
    lockout_minutes: int = 15
    max_failed_logins_per_address: int = 20  # per client address in the window below
    address_window_minutes: int = 15
    trusted_proxies: int = 0  # ProxyFix x_for / x_proto hops when behind a TLS proxy
    # Four eyes on notices: the last editor of a version may not approve it unless this is on.
    notice_approver_may_be_editor: bool = False
    # Where the scheduler writes the daily audit checkpoints; None: beside the instance folder.
    audit_checkpoint_dir: Path | None = None
    # Documents and attachments (STORAGE_PATH): one folder every web node and the scheduler
    # share; None: the instance folder, which suits a single host.
    storage_path: Path | None = None
    # Single sign-on with OpenID Connect (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): on
    # when all three are set; local passwords then serve only emergency local accounts.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = field(default="", repr=False)
    clock: Clock | None = field(default=None, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        instance = Path(env.get("INSTANCE_PATH") or DEFAULT_INSTANCE)
        name = _environment(env)
        production = name == "production"
        return cls(
            env=name,
            secret_key=_key(env, "SECRET_KEY", instance, production),
            audit_key=_key(env, "AUDIT_KEY", instance, production),
            mfa_encryption_key=_key(env, "MFA_ENCRYPTION_KEY", instance, production),
            evidence_signing_key=env.get("EVIDENCE_SIGNING_KEY", "").strip(),
            mfa_required_roles=_mfa_roles(env, production),
            base_url=env.get("BASE_URL", "").strip(),
            mail=MailSettings.from_env(env),
            instance_path=instance,
            database_url=env.get("DATABASE_URL", ""),
            debug=_flag(env.get("FLASK_DEBUG"), False),
            secure_cookies=_flag(env.get("SECURE_COOKIES"), production),
            idle_timeout_minutes=_int(env, "IDLE_TIMEOUT_MINUTES", 15),
            absolute_timeout_hours=_int(env, "ABSOLUTE_TIMEOUT_HOURS", 12),
            trusted_proxies=_int(env, "TRUSTED_PROXIES", 0),
            notice_approver_may_be_editor=_flag(env.get("NOTICE_APPROVER_MAY_BE_EDITOR"), False),
            audit_checkpoint_dir=Path(env["AUDIT_CHECKPOINT_DIR"])
            if env.get("AUDIT_CHECKPOINT_DIR", "").strip()
            else None,
            storage_path=Path(env["STORAGE_PATH"]) if env.get("STORAGE_PATH", "").strip() else None,
            oidc_issuer=env.get("OIDC_ISSUER", "").strip().rstrip("/"),
            oidc_client_id=env.get("OIDC_CLIENT_ID", "").strip(),
            oidc_client_secret=env.get("OIDC_CLIENT_SECRET", "").strip(),
        )

    def __post_init__(self) -> None:
        if self.env not in ENVIRONMENTS:
            raise ConfigError(f"env: {self.env!r} is not one of {', '.join(ENVIRONMENTS)}")

    @property
    def production(self) -> bool:
        return self.env == "production"

    def evidence_secret(self) -> str:
        """EVIDENCE_SIGNING_KEY; outside production, when unset, the instance's own key, made at
        first use in the instance folder (600) like the other keys. Empty in production when
        unset: signing then refuses (signing.private_key)."""
        if self.evidence_signing_key or self.production:
            return self.evidence_signing_key
        from incident_tracker import keys

        try:
            return keys.instance_key(self.instance_path, keys.EVIDENCE_KEY_FILE, MIN_KEY_LENGTH)
        except keys.KeyFileError as exc:
            raise ConfigError(f"EVIDENCE_SIGNING_KEY: {exc}") from exc

    @property
    def sso_enabled(self) -> bool:
        """Single sign-on is offered, and local passwords refused but for emergency accounts."""
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    def _sso_problems(self) -> list[str]:
        """A half-set single sign-on is refused in every environment: it would silently leave
        local passwords on."""
        given = [self.oidc_issuer, self.oidc_client_id, self.oidc_client_secret]
        if any(given) and not all(given):
            return ["OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together"]
        return []

    def mfa_required(self, role: str | None) -> bool:
        return role is not None and role in self.mfa_required_roles

    @property
    def not_for_real_data(self) -> bool:
        """Development and demo pages say so on every page. Test pages do not: the suite checks
        the pages production serves, and checks the banner in development and demo itself."""
        return self.env in ("development", "demo")

    @property
    def db_url(self) -> str:
        if self.database_url:
            return with_driver(self.database_url)
        return f"sqlite:///{self.instance_path / 'incident-tracker.db'}"

    @property
    def storage(self) -> Path:
        """The one folder under which every document and attachment file is written and read
        (STORAGE_PATH, by default the instance folder). Several web nodes and the scheduler must
        all see the same folder (README "Several web nodes, one scheduler"); the keys and a
        SQLite database stay in the instance folder, which is each node's own."""
        return self.storage_path if self.storage_path is not None else self.instance_path

    @property
    def notice_storage(self) -> Path:
        """Approved notice files: outside the web root, beside the attachments."""
        return self.storage / "notices"

    @property
    def attachment_storage(self) -> Path:
        """Evidence files and the sent-notice copies uploaded on an incident."""
        return self.storage / "attachments"

    @property
    def letter_storage(self) -> Path:
        """Merged letters, and under `work/` the chunks of a run in progress."""
        return self.storage / "letters"

    @property
    def checkpoint_dir(self) -> Path:
        """AUDIT_CHECKPOINT_DIR, by default `audit-checkpoints` beside the instance folder (not
        in it: they check the data, so they are kept and copied off the machine on their own,
        README "Backups")."""
        if self.audit_checkpoint_dir is not None:
            return self.audit_checkpoint_dir
        return self.instance_path.resolve().parent / "audit-checkpoints"

    def problems(self) -> list[str]:
        """Every reason production would be unsafe; outside production only a half-set single
        sign-on."""
        if not self.production:
            return self._sso_problems()
        found = self._sso_problems()
        if self.secret_key in PUBLISHED_KEYS or len(self.secret_key) < MIN_KEY_LENGTH:
            found.append(f"SECRET_KEY must be set to a random value of {MIN_KEY_LENGTH}+ chars")
        if self.audit_key in PUBLISHED_KEYS or len(self.audit_key) < MIN_KEY_LENGTH:
            found.append(f"AUDIT_KEY must be set to a random value of {MIN_KEY_LENGTH}+ chars")
        if self.audit_key and self.audit_key == self.secret_key:
            found.append("AUDIT_KEY must differ from SECRET_KEY")
        mfa_key = self.mfa_encryption_key
        if mfa_key in PUBLISHED_KEYS or len(mfa_key) < MIN_KEY_LENGTH:
            found.append(
                f"MFA_ENCRYPTION_KEY must be set to a random value of {MIN_KEY_LENGTH}+ chars"
            )
        elif mfa_key in (self.secret_key, self.audit_key):
            found.append("MFA_ENCRYPTION_KEY must differ from SECRET_KEY and AUDIT_KEY")
        if not self.base_url.startswith("https://"):
            found.append("BASE_URL must be the https:// address users reach (links in e-mails)")
        if self.oidc_issuer and not self.oidc_issuer.startswith("https://"):
            found.append("OIDC_ISSUER must be an https:// address (OpenID Connect Discovery §4)")
        if self.debug:
            found.append("FLASK_DEBUG must be off")
        if not self.secure_cookies:
            found.append("SECURE_COOKIES must be on (cookies only over HTTPS)")
        return found

    def check(self) -> None:
        found = self.problems()
        if found:
            where = "in production" if self.production else f"({self.env})"
            raise ConfigError(f"refusing to start {where}: " + "; ".join(found))

    def flask_config(self) -> dict[str, object]:
        cookie = "__Host-session" if self.secure_cookies else "session"
        return {
            "SECRET_KEY": self.secret_key,
            "DEBUG": self.debug,
            "TESTING": self.env == "test",
            "SESSION_COOKIE_NAME": cookie,
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_DURATION": 0,
            "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
            "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
            "PROPAGATE_EXCEPTIONS": False,
        }
