"""Named environments and keys nobody else holds (ASVS 5.0 13.3.1: no secret in the source;
45 CFR 164.312(c)(1) integrity of the audit trail, (d) authentication).

INCIDENT_TRACKER_ENV is development (when unset), demo, test or production; anything else refuses
to start, so a misspelt `prod` can no longer run a real install in development mode. Outside
production each instance makes its own random keys at first start, files 600 in its folder, and
every process (web, scheduler, command line) reads the same ones back.
"""

from __future__ import annotations

import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from flask import Flask

from incident_tracker import create_app
from incident_tracker.cli import main
from incident_tracker.clock import FixedClock
from incident_tracker.config import MIN_KEY_LENGTH, ConfigError, Settings
from tests.conftest import AUDIT_KEY, PASSWORD, sign_in

SECRET = "s3cret-key-for-production-0123456789abcdef"
MFA_KEY = "mfa-encryption-key-for-production-0123456789"
CHOICES = "development, demo, test, production"
BANNER = "Not for real patient data"
# The keys an earlier version published in its source.
PUBLISHED = {"dev-only-secret-key-not-for-production", "dev-only-audit-key-not-for-production"}


@pytest.fixture
def started() -> Iterator[list[Flask]]:
    apps: list[Flask] = []
    yield apps
    for app in apps:
        app.extensions["incident_tracker.engine"].dispose()


def _start(apps: list[Flask], settings: Settings, clock: FixedClock) -> Flask:
    app = create_app(replace(settings, clock=clock))
    apps.append(app)
    return app


def _env(settings: Settings, **more: str) -> dict[str, str]:
    """The test database's instance through the environment only, as a deployment gives it."""
    return {
        "INSTANCE_PATH": str(settings.instance_path),
        "DATABASE_URL": settings.database_url,
        **more,
    }


def _operator_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name in ("INCIDENT_TRACKER_ENV", "SECRET_KEY", "AUDIT_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = main(list(argv), out=out, err=err, stdin=StringIO(PASSWORD + "\n"))
    return code, out.getvalue(), err.getvalue()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_start_makes_private_random_keys_and_later_starts_read_them_back(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "instance"
    first = Settings.from_env({"INSTANCE_PATH": str(folder)})
    secret_file, audit_file = folder / "secret-key", folder / "audit-key"
    assert _mode(folder) == 0o700
    assert _mode(secret_file) == 0o600 and _mode(audit_file) == 0o600
    assert first.secret_key == secret_file.read_text().strip()
    assert first.audit_key == audit_file.read_text().strip()
    assert len(first.secret_key) >= MIN_KEY_LENGTH and len(first.audit_key) >= MIN_KEY_LENGTH
    assert first.secret_key != first.audit_key
    assert not {first.secret_key, first.audit_key} & PUBLISHED
    again = Settings.from_env({"INSTANCE_PATH": str(folder), "INCIDENT_TRACKER_ENV": "demo"})
    assert (again.secret_key, again.audit_key) == (first.secret_key, first.audit_key)
    other = Settings.from_env({"INSTANCE_PATH": str(tmp_path / "other")})
    assert other.secret_key != first.secret_key and other.audit_key != first.audit_key
    assert sorted(p.name for p in folder.iterdir()) == ["audit-key", "mfa-key", "secret-key"]


def test_processes_starting_together_agree_on_the_keys(tmp_path: Path) -> None:
    """`make run` starts two web workers and the scheduler at once; none may read a half-written
    key or keep its own."""
    folder = tmp_path / "instance"
    code = (
        "import os\n"
        "from incident_tracker.config import Settings\n"
        "s = Settings.from_env(os.environ)\n"
        "print(s.secret_key, s.audit_key)\n"
    )
    env = {"INSTANCE_PATH": str(folder), "PATH": "/usr/bin:/bin"}
    children = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = {child.communicate(timeout=60)[0].strip() for child in children}
    assert [child.returncode for child in children] == [0, 0, 0, 0]
    expected = f"{(folder / 'secret-key').read_text().strip()} "
    expected += (folder / "audit-key").read_text().strip()
    assert outputs == {expected}
    assert sorted(p.name for p in folder.iterdir()) == ["audit-key", "mfa-key", "secret-key"]


def test_a_damaged_key_file_refuses_to_start_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "audit-key").write_text("too-short\n")
    with pytest.raises(ConfigError, match=r"AUDIT_KEY: .*audit-key: the key is shorter than 32"):
        Settings.from_env({"INSTANCE_PATH": str(tmp_path)})


def test_a_key_in_the_environment_is_used_outside_production_too(tmp_path: Path) -> None:
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": SECRET})
    assert settings.secret_key == SECRET
    assert not (tmp_path / "secret-key").exists() and (tmp_path / "audit-key").exists()


def test_production_never_makes_or_reads_instance_keys(tmp_path: Path) -> None:
    production = {"INCIDENT_TRACKER_ENV": "production", "INSTANCE_PATH": str(tmp_path / "new")}
    missing = Settings.from_env(production)
    assert (missing.secret_key, missing.audit_key) == ("", "")
    assert not (tmp_path / "new").exists()
    Settings.from_env({"INSTANCE_PATH": str(tmp_path)})  # a development start left key files
    kept = Settings.from_env({**production, "INSTANCE_PATH": str(tmp_path)})
    message = "; ".join(kept.problems())
    assert "SECRET_KEY must be set" in message and "AUDIT_KEY must be set" in message


def test_settings_built_in_code_get_their_own_random_keys_never_shown() -> None:
    one, two = Settings(env="test"), Settings(env="test")
    assert one.secret_key != two.secret_key and one.audit_key != two.audit_key
    assert len(one.secret_key) >= MIN_KEY_LENGTH and one.secret_key != one.audit_key
    assert one.secret_key not in repr(one) and one.audit_key not in repr(one)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "development"),
        ("", "development"),
        ("development", "development"),
        (" Demo ", "demo"),
        ("test", "test"),
        ("production", "production"),
    ],
)
def test_the_four_environments(tmp_path: Path, given: str | None, expected: str) -> None:
    env = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": SECRET, "AUDIT_KEY": AUDIT_KEY}
    env |= {"MFA_ENCRYPTION_KEY": MFA_KEY, "BASE_URL": "https://tracker.example.org"}
    if given is not None:
        env["INCIDENT_TRACKER_ENV"] = given
    settings = Settings.from_env(env)
    assert settings.env == expected
    settings.check()


@pytest.mark.parametrize("given", ["prod", "dev", "staging", "production-1"])
def test_any_other_environment_refuses_to_start_naming_the_choices(
    tmp_path: Path, given: str
) -> None:
    """With the old fallback, `prod` ran a real install in development mode, on public keys."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"INCIDENT_TRACKER_ENV": given, "INSTANCE_PATH": str(tmp_path)})
    assert f"INCIDENT_TRACKER_ENV: {given!r} is not one of {CHOICES}" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # refused before anything was written
    with pytest.raises(ConfigError, match=CHOICES):
        Settings(env=given)


def test_web_scheduler_and_command_line_refuse_an_unknown_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "instance"
    _operator_env(monkeypatch, {"INCIDENT_TRACKER_ENV": "prod", "INSTANCE_PATH": str(folder)})
    with pytest.raises(ConfigError, match=CHOICES):
        create_app()
    for argv in (["migrate"], ["scheduler"], ["users", "retire-demo"], ["audit", "verify"]):
        code, out, err = _run(*argv)
        assert code == 2 and out == ""
        assert f"{argv[0]}: INCIDENT_TRACKER_ENV: 'prod' is not one of {CHOICES}" in err
    assert not folder.exists()


def test_web_and_command_line_share_the_instance_keys_across_restarts(
    settings: Settings, clock: FixedClock, started: list[Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The account made at the command line signs in on the web; the session outlives a
    restart of the web app; the audit rows both wrote verify as one chain."""
    env = _env(settings)
    _operator_env(monkeypatch, env)
    code, _, err = _run("create-user", "--role", "admin", "admin@example.org")
    assert code == 0, err
    first = _start(started, Settings.from_env(env), clock)
    client = first.test_client()
    sign_in(client, "admin@example.org")
    cookie = client.get_cookie("session")
    assert cookie is not None

    def home_with_cookie(app: Flask) -> int:
        fresh = app.test_client()
        fresh.set_cookie("session", cookie.value)
        return fresh.get("/").status_code

    assert home_with_cookie(_start(started, Settings.from_env(env), clock)) == 200
    stranger = Settings(env="development", instance_path=settings.instance_path)
    other_key = replace(stranger, database_url=settings.database_url)
    assert home_with_cookie(_start(started, other_key, clock)) == 302  # another key: signed out
    code, out, err = _run("audit", "verify")
    assert code == 0 and "intact" in out, err


@pytest.mark.parametrize(
    ("name", "shown"),
    [("development", True), ("demo", True), ("test", False), ("production", False)],
)
def test_development_and_demo_pages_say_not_for_real_patient_data(
    settings: Settings, clock: FixedClock, started: list[Flask], name: str, shown: bool
) -> None:
    """Test pages match production's: the suite checks what production serves."""
    env = _env(settings, INCIDENT_TRACKER_ENV=name, SECRET_KEY=SECRET, AUDIT_KEY=AUDIT_KEY)
    env |= {"MFA_ENCRYPTION_KEY": MFA_KEY, "BASE_URL": "https://tracker.example.org"}
    client = _start(started, Settings.from_env(env), clock).test_client()
    page = client.get("/login", base_url="https://localhost")
    assert page.status_code == 200
    assert (BANNER in page.get_data(as_text=True)) is shown
    health = client.get("/healthz", base_url="https://localhost")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"
