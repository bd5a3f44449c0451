"""MFA_REQUIRED_ROLES, MFA_ENCRYPTION_KEY and BASE_URL at start-up: production asks a second
factor of every role unless told otherwise, and will not start without its own MFA key or an
https:// BASE_URL for the links it mails; elsewhere the key is the instance's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from incident_tracker.config import ConfigError, Settings
from incident_tracker.services.mfa_secrets import (
    SeedUnreadable,
    decrypt_seed,
    encrypt_seed,
    recovery_hash,
)
from tests.conftest import AUDIT_KEY

PRODUCTION = {
    "INCIDENT_TRACKER_ENV": "production",
    "SECRET_KEY": "s3cret-key-for-production-0123456789abcdef",
    "AUDIT_KEY": AUDIT_KEY,
}
ALL = ("privacy_officer", "legal_reviewer", "admin", "read_only")


@pytest.mark.parametrize(
    ("env", "given", "expected"),
    [
        ("production", None, ALL),
        ("production", "none", ()),
        ("demo", None, ()),
        ("development", None, ()),
        ("test", None, ()),
        ("demo", "all", ALL),
        ("test", " Admin , privacy_officer", ("privacy_officer", "admin")),
    ],
)
def test_mfa_required_roles(
    tmp_path: Path, env: str, given: str | None, expected: tuple[str, ...]
) -> None:
    values = {**PRODUCTION, "INCIDENT_TRACKER_ENV": env, "INSTANCE_PATH": str(tmp_path)}
    if given is not None:
        values["MFA_REQUIRED_ROLES"] = given
    settings = Settings.from_env(values)
    assert settings.mfa_required_roles == expected
    assert settings.mfa_required("admin") is ("admin" in expected)


def test_an_unknown_role_in_mfa_required_roles_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MFA_REQUIRED_ROLES: root is not all, none or one of"):
        Settings.from_env({"INSTANCE_PATH": str(tmp_path), "MFA_REQUIRED_ROLES": "admin,root"})


def test_production_names_the_mfa_key_and_base_url(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as missing:
        Settings.from_env({**PRODUCTION, "INSTANCE_PATH": str(tmp_path)}).check()
    assert "MFA_ENCRYPTION_KEY must be set" in str(missing.value)
    assert "BASE_URL must be the https:// address" in str(missing.value)
    assert not (tmp_path / "mfa-key").exists()  # production never makes one
    same = {**PRODUCTION, "MFA_ENCRYPTION_KEY": AUDIT_KEY, "BASE_URL": "http://plain.example"}
    with pytest.raises(ConfigError) as reused:
        Settings.from_env(same).check()
    assert "MFA_ENCRYPTION_KEY must differ" in str(reused.value)
    assert "BASE_URL must be the https://" in str(reused.value)


def test_outside_production_the_mfa_key_is_the_instances_own(tmp_path: Path) -> None:
    first = Settings.from_env({"INSTANCE_PATH": str(tmp_path)})
    assert first.mfa_encryption_key == (tmp_path / "mfa-key").read_text().strip()
    assert first.mfa_encryption_key not in (first.secret_key, first.audit_key)
    again = Settings.from_env({"INSTANCE_PATH": str(tmp_path)})
    assert again.mfa_encryption_key == first.mfa_encryption_key


def test_a_seed_decrypts_only_under_its_key_and_recovery_hashes_are_keyed() -> None:
    key, other = "k" * 40, "o" * 40
    stored = encrypt_seed(key, "JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in stored and decrypt_seed(key, stored) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(SeedUnreadable):
        decrypt_seed(other, stored)
    assert recovery_hash(key, "ABCDE-fghjk") == recovery_hash(key, "abcdefghjk")
    assert recovery_hash(key, "abcde-fghjk") != recovery_hash(other, "abcde-fghjk")
