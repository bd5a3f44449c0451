"""Field readers for untrusted input: each failure becomes a message that names the field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TypeGuard, TypeVar

E = TypeVar("E", bound=StrEnum)

# Control characters (Unicode category Cc: C0, DEL, C1) and the line and paragraph separators.
# A name can end up in an e-mail header, whose field body is one line of printable characters
# (RFC 5322 section 2.2): a line break there would start a header of the sender's choosing.
_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
_CONTROL_RUN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
ONE_LINE = "on one line, without line breaks, tabs or other control characters"


def has_control_characters(value: str) -> bool:
    """True when a name could not go into an e-mail header as typed (forms refuse it)."""
    return any(unicodedata.category(c) in _CONTROL_CATEGORIES for c in value)


def without_control_characters(value: str) -> str:
    """Each run of control characters as one space: what a header gets of an old record that
    has them (e-mail is composed from whatever the database holds)."""
    return _CONTROL_RUN.sub(" ", value).strip()


def is_mapping(value: object) -> TypeGuard[Mapping[str, object]]:
    """A JSON object: a dict (checked first: an ABC isinstance costs several times a type test
    on every incident parsed) or any other Mapping."""
    return type(value) is dict or isinstance(value, Mapping)


class Reader:
    """Reads typed values out of a mapping, collecting problems instead of raising."""

    def __init__(
        self, data: Mapping[str, object], prefix: str = "", problems: list[str] | None = None
    ) -> None:
        self.data = data
        self.prefix = prefix
        self.problems: list[str] = [] if problems is None else problems

    def _fail(self, key: str, message: str) -> None:
        self.problems.append(f"{self.prefix}{key}: {message}")

    def _get(self, key: str, required: bool) -> object:
        value = self.data.get(key)
        if value is None and required:
            self._fail(key, "is required")
        return value

    def mapping(self, key: str) -> Mapping[str, object]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not is_mapping(value):
            self._fail(key, "expected an object")
            return {}
        return value

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self._fail(key, "expected text")
            return None
        return value.strip() or None

    def date(self, key: str, required: bool = False) -> date | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                self._fail(key, f"{value} is not a real calendar date")
                return None
        self._fail(key, f"{value!r} is not a date in the form YYYY-MM-DD")
        return None

    def timestamp(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self._fail(key, f"{value!r} is not a timestamp")
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self._fail(key, f"{value} is not a timestamp in the form YYYY-MM-DDTHH:MM:SS+HH:MM")
            return None
        if parsed.tzinfo is None:
            self._fail(key, f"{value} needs a UTC offset, e.g. 2026-06-12T15:00:00-04:00")
            return None
        return parsed

    def boolean(self, key: str, default: bool) -> bool:
        value = self.optional_boolean(key)
        return default if value is None else value

    def optional_boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self._fail(key, f"{value!r} is not true, false or null")
        return None

    @staticmethod
    def as_count(value: object) -> int | None:
        """A non-negative whole number; booleans and fractions are refused."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return None
        return value

    def count(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        count = self.as_count(value)
        if count is None:
            self._fail(key, f"{value!r} is not a non-negative whole number")
        return count

    def enum(
        self,
        key: str,
        kind: type[E],
        default: E | None = None,
        required: bool = False,
        aliases: Mapping[str, str] | None = None,
    ) -> E | None:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, str):
            value = (aliases or {}).get(value.strip(), value.strip())
            try:
                return kind(value)
            except ValueError:
                pass
        allowed = ", ".join(m.value for m in kind)
        self._fail(key, f"{value!r} is not one of: {allowed}")
        return default

    def choice(self, key: str, allowed: Sequence[str]) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().upper() in allowed:
            return value.strip().upper()
        self._fail(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return None

    def string_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._fail(key, "expected a list of names")
            return []
        return [v.strip() for v in value]


# The largest value a database id or integer column holds on both backends: the schema's
# integer columns are PostgreSQL `integer`, signed 32-bit, and a larger bound parameter is an
# "integer out of range" error there (https://www.postgresql.org/docs/15/datatype-numeric.html);
# SQLite's INTEGER holds 64 bits (https://www.sqlite.org/datatype3.html).
MAX_ID = 2**31 - 1
# A count of people or letters: more than live in the United States, far below what a sum of
# them could overflow.
MAX_COUNT = 1_000_000_000


def whole_number(raw: object, low: int = 0, high: int = MAX_ID) -> int | None:
    """The one reader of integers typed into forms, query strings and settings: ASCII digits
    only, between `low` and `high`; None for anything else. `str.isdigit()` accepts "²" and "①",
    which `int()` refuses, and `int()` accepts "١٢" and "1_0" — neither is a number anyone typed
    into a form here."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > 19:
        return None
    value = int(text)
    return value if low <= value <= high else None


def record_id(raw: object) -> int | None:
    """A database id (1 to MAX_ID) or None: a bad id is "not found", never a database error."""
    return whole_number(raw, 1, MAX_ID)
