"""argon2id hashing (ASVS 5.0 App. C) and the policy check with the shipped common-password list."""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from incident_tracker.core.passwords import password_problems

_HASHER = PasswordHasher()  # argon2id, m=64 MiB, t=3, p=4
# Verified against when the account does not exist, so both paths cost the same time.
_DUMMY_HASH = _HASHER.hash("not-a-real-password-but-the-same-cost")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    data = files("incident_tracker").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode().split())


def problems(password: str, email: str = "") -> list[str]:
    return password_problems(password, common_passwords(), email)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


# Stored instead of a hash for an account whose password may never work again (a retired demo
# account): no argon2 hash starts with "!", and `verify` refuses it whatever is typed.
UNUSABLE = "!unusable"


def verify(password_hash: str | None, password: str) -> bool:
    usable = password_hash is not None and not password_hash.startswith("!")
    checked = password_hash if password_hash is not None and usable else _DUMMY_HASH
    try:
        # The same argon2 cost whether or not the account (or a usable hash) exists.
        return _HASHER.verify(checked, password) and usable
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
