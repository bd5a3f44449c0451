"""The second factor's secrets at rest: TOTP seeds encrypted with Fernet (the `cryptography`
package: AES-128-CBC with HMAC-SHA256), recovery codes kept as an HMAC-SHA256.

Both keys are derived with HKDF from MFA_ENCRYPTION_KEY, one per purpose, so the setting can be
any long random string like SECRET_KEY. Recovery codes are 50-bit random values, not passwords a
person chose: a keyed fast hash is enough (nobody without the key can test a guess against a
copied table, and with it a guess is still 1 in 2^50), and unlike argon2's salted hashes it lets
a code be found by one indexed lookup instead of ten deliberately slow checks per attempt
(ASVS 5.0 6.5.2 accepts an approved hash for random secrets of 112 bits or more; 6.5.4 asks 20+
bits of entropy for recovery codes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud safely


class SeedUnreadable(RuntimeError):
    """The stored seed does not decrypt under the configured MFA_ENCRYPTION_KEY."""


def _derive(key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key.encode())


def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(key, b"incident-tracker totp seed")))


def encrypt_seed(key: str, seed: str) -> str:
    return _fernet(key).encrypt(seed.encode()).decode("ascii")


def decrypt_seed(key: str, stored: str) -> str:
    try:
        return _fernet(key).decrypt(stored.encode("ascii")).decode()
    except InvalidToken as exc:
        raise SeedUnreadable("the TOTP seed does not decrypt: MFA_ENCRYPTION_KEY changed?") from exc


def new_recovery_code() -> str:
    """Ten characters from a 31-letter alphabet (about 50 bits), shown as xxxxx-xxxxx."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_hash(key: str, code: str) -> str:
    mac = hmac.new(_derive(key, b"incident-tracker recovery code"), digestmod=hashlib.sha256)
    mac.update(normalise_code(code).encode())
    return mac.hexdigest()
