"""Field readers for untrusted input: each failure becomes a message that names the field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


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
        if not isinstance(value, Mapping):
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
