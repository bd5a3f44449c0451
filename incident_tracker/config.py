"""Settings from the environment, checked before the app starts.

Production refuses to start on any setting that would weaken the HIPAA safeguards: a default or
missing secret, debug mode, cookies sent over plain HTTP (architecture.md §1.2; stack.md §5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from incident_tracker.clock import Clock

DEFAULT_SECRET_KEY = "dev-only-secret-key-not-for-production"
DEFAULT_AUDIT_KEY = "dev-only-audit-key-not-for-production"
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


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = DEFAULT_SECRET_KEY
    audit_key: str = DEFAULT_AUDIT_KEY
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
    clock: Clock | None = field(default=None, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        instance = Path(env.get("INSTANCE_PATH") or DEFAULT_INSTANCE)
        name = (env.get("INCIDENT_TRACKER_ENV") or "development").strip().lower()
        production = name == "production"
        return cls(
            env=name,
            secret_key=env.get("SECRET_KEY", "" if production else DEFAULT_SECRET_KEY),
            audit_key=env.get("AUDIT_KEY", "" if production else DEFAULT_AUDIT_KEY),
            instance_path=instance,
            database_url=env.get("DATABASE_URL", ""),
            debug=_flag(env.get("FLASK_DEBUG"), False),
            secure_cookies=_flag(env.get("SECURE_COOKIES"), production),
            idle_timeout_minutes=_int(env, "IDLE_TIMEOUT_MINUTES", 15),
            absolute_timeout_hours=_int(env, "ABSOLUTE_TIMEOUT_HOURS", 12),
            trusted_proxies=_int(env, "TRUSTED_PROXIES", 0),
            notice_approver_may_be_editor=_flag(env.get("NOTICE_APPROVER_MAY_BE_EDITOR"), False),
        )

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance_path / 'incident-tracker.db'}"

    @property
    def notice_storage(self) -> Path:
        """Approved notice files: outside the web root, beside the attachments."""
        return self.instance_path / "notices"

    def problems(self) -> list[str]:
        """Every reason production would be unsafe; empty outside production."""
        if not self.production:
            return []
        found = []
        if self.secret_key in ("", DEFAULT_SECRET_KEY) or len(self.secret_key) < MIN_KEY_LENGTH:
            found.append(f"SECRET_KEY must be set to a random value of {MIN_KEY_LENGTH}+ chars")
        if self.audit_key in ("", DEFAULT_AUDIT_KEY) or len(self.audit_key) < MIN_KEY_LENGTH:
            found.append(f"AUDIT_KEY must be set to a random value of {MIN_KEY_LENGTH}+ chars")
        if self.audit_key and self.audit_key == self.secret_key:
            found.append("AUDIT_KEY must differ from SECRET_KEY")
        if self.debug:
            found.append("FLASK_DEBUG must be off")
        if not self.secure_cookies:
            found.append("SECURE_COOKIES must be on (cookies only over HTTPS)")
        return found

    def check(self) -> None:
        found = self.problems()
        if found:
            raise ConfigError("refusing to start in production: " + "; ".join(found))

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
