"""The affected-individual list: CSV rows checked line by line, de-duplicated, counted per State.

Pure: text in, a `ListCheck` out. The list is PHI, so nothing here logs; error messages name the
line and the column (and quote a value only where the person fixing the file needs it).
Deceased individuals are written to their next of kin or personal representative at that
person's address (45 CFR 164.404(d)(1)(ii)); without one there is no letter, and substitute notice
is not required for next of kin (164.404(d)(2)).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from incident_tracker.core.notices.details import Recipient, clean_text
from incident_tracker.core.notices.render import Block
from incident_tracker.core.vocabulary import STATES

REQUIRED_COLUMNS = ("name", "address_line1", "city", "state", "zip")
NEXT_OF_KIN_COLUMNS = (
    "next_of_kin_name",
    "next_of_kin_address_line1",
    "next_of_kin_address_line2",
    "next_of_kin_city",
    "next_of_kin_state",
    "next_of_kin_zip",
)
OPTIONAL_COLUMNS = ("address_line2", "email", "deceased", *NEXT_OF_KIN_COLUMNS)
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
MAX_ROWS = 100_000
LIMITS = {"name": 200, "address_line1": 200, "address_line2": 200, "city": 100, "email": 254}
# The placeholders every drafted letter carries (core.notices.context); the merge replaces them.
NAME_PLACEHOLDER = "[Recipient name]"
ADDRESS_PLACEHOLDER = "[Mailing address]"

_PLACEHOLDER = re.compile(re.escape(NAME_PLACEHOLDER) + "|" + re.escape(ADDRESS_PLACEHOLDER))
_ZIP = re.compile(r"^\d{5}(?:-?\d{4})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
_WORDS = re.compile(r"[^\w]+")
# A few spellings of the same address, so "12 Main Street" and "12 main st." are one person.
_ABBREVIATIONS = {
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "apartment": "apt",
    "suite": "ste",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    line2: str
    city: str
    state: str
    zip: str

    def lines(self) -> tuple[str, ...]:
        """As printed on an envelope: street lines, then "City, ST 12345"."""
        street = (self.line1, self.line2) if self.line2 else (self.line1,)
        return (*street, f"{self.city}, {self.state} {self.zip}")


@dataclass(frozen=True, slots=True)
class Person:
    """One affected individual as the file gave them (cleaned), with the file's line number."""

    line: int
    name: str
    address: Address
    email: str = ""
    deceased: bool = False
    next_of_kin: str = ""
    next_of_kin_address: Address | None = None

    @property
    def state(self) -> str:
        return self.address.state


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Duplicate:
    line: int
    first_line: int  # the earlier line naming the same person at the same address


@dataclass(frozen=True)
class ListCheck:
    """Everything the preview shows: the people kept, every error by line, the duplicates."""

    people: tuple[Person, ...]
    errors: tuple[LineError, ...]
    duplicates: tuple[Duplicate, ...]
    rows_read: int
    notes: tuple[str, ...] = ()
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.people)

    @property
    def deceased(self) -> int:
        return sum(1 for p in self.people if p.deceased)

    @property
    def without_letter(self) -> int:
        return sum(1 for p in self.people if letter_recipient(p) is None)


def decode(content: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (with or without a byte-order mark); Windows-1252 as Excel writes it otherwise."""
    try:
        return content.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
        return text, ("The file is not UTF-8; it was read as Windows-1252 (check accented names).",)


def _header(names: Sequence[str]) -> tuple[list[str], list[LineError]]:
    columns = [clean_text(n).lower().replace(" ", "_").replace("-", "_") for n in names]
    errors = []
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        errors.append(
            LineError(
                1,
                "unknown column(s) "
                + ", ".join(repr(c) for c in unknown)
                + "; the columns are "
                + ", ".join(COLUMNS),
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.append(LineError(1, "missing required column(s) " + ", ".join(missing)))
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        errors.append(LineError(1, "column(s) given twice: " + ", ".join(repeated)))
    return columns, errors


def _address(
    values: dict[str, str], prefix: str, problems: list[str], label: str
) -> Address | None:
    line1 = values.get(f"{prefix}address_line1", "")
    city = values.get(f"{prefix}city", "")
    state = values.get(f"{prefix}state", "").upper()
    zip_code = values.get(f"{prefix}zip", "")
    for column, value in ((f"{prefix}address_line1", line1), (f"{prefix}city", city)):
        if not value:
            problems.append(f"{column}: {label} is required")
    if not state:
        problems.append(f"{prefix}state: {label} is required")
    elif state not in STATES:
        problems.append(
            f"{prefix}state: {state!r} is not a US State, DC or territory code (e.g. NY)"
        )
    if not zip_code:
        problems.append(f"{prefix}zip: {label} is required")
    elif not _ZIP.match(zip_code):
        problems.append(f"{prefix}zip: {zip_code!r} is not a ZIP code (12345 or 12345-6789)")
    if problems:
        return None
    line2 = values.get(f"{prefix}address_line2", "")
    return Address(line1, line2, city, state, zip_code)


def _person(line: int, values: dict[str, str]) -> tuple[Person | None, list[str]]:
    problems: list[str] = []
    name = values.get("name", "")
    if not name:
        problems.append("name: is required")
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            problems.append(f"{column}: longer than {limit} characters")
    email = values.get("email", "")
    if email and not _EMAIL.match(email):
        problems.append("email: not an e-mail address (name@example.org)")
    deceased_raw = values.get("deceased", "").lower()
    if deceased_raw not in _YES | _NO:
        problems.append("deceased: answer yes or no")
    deceased = deceased_raw in _YES
    address = _address(values, "", problems, "the address")
    kin_given = any(values.get(c, "") for c in NEXT_OF_KIN_COLUMNS)
    kin_address = None
    if kin_given and not deceased:
        problems.append("next_of_kin_*: only for a deceased individual (deceased: yes)")
    elif kin_given:
        if not values.get("next_of_kin_name", ""):
            problems.append("next_of_kin_name: is required with a next-of-kin address")
        kin_problems: list[str] = []
        kin_address = _address(values, "next_of_kin_", kin_problems, "the next-of-kin address")
        problems += kin_problems
    if problems or address is None:
        return None, problems
    person = Person(
        line=line,
        name=name,
        address=address,
        email=email,
        deceased=deceased,
        next_of_kin=values.get("next_of_kin_name", "") if deceased else "",
        next_of_kin_address=kin_address,
    )
    return person, []


def _words(text: str) -> str:
    parts = _WORDS.sub(" ", text.casefold()).split()
    return " ".join(_ABBREVIATIONS.get(p, p) for p in parts)


def identity(person: Person) -> tuple[str, ...]:
    """The de-duplication key: normalised name and address, ZIP to five digits."""
    a = person.address
    return (
        _words(person.name),
        _words(f"{a.line1} {a.line2}"),
        _words(a.city),
        a.state,
        a.zip[:5],
    )


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) per record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _Unreadable(previous + 1, str(exc)) from exc
        yield previous + 1, row
        previous = reader.line_num


class _Unreadable(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def check(content: bytes | str, max_rows: int = MAX_ROWS) -> ListCheck:
    """Read the CSV, check every row, drop duplicates (the first occurrence is kept)."""
    text, notes = decode(content) if isinstance(content, bytes) else (content, ())
    records = _records(text)
    try:
        first = next(records, None)
    except _Unreadable as exc:
        return ListCheck((), (LineError(exc.line, f"not a CSV file ({exc})"),), (), 0, notes)
    if first is None:
        return ListCheck((), (LineError(1, "the file is empty"),), (), 0, notes)
    columns, errors = _header(first[1])
    if errors:
        return ListCheck((), tuple(errors), (), 0, notes)
    people: list[Person] = []
    duplicates: list[Duplicate] = []
    seen: dict[tuple[str, ...], int] = {}
    rows = 0
    try:
        for line, row in records:
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > max_rows:
                errors.append(LineError(line, f"more than {max_rows:,} rows: split the file"))
                break
            if len(row) != len(columns):
                errors.append(
                    LineError(line, f"{len(row)} cells where the header has {len(columns)}")
                )
                continue
            values = {c: clean_text(v) for c, v in zip(columns, row, strict=True)}
            person, problems = _person(line, values)
            if person is None:
                errors.append(LineError(line, "; ".join(problems)))
                continue
            key = identity(person)
            if key in seen:
                duplicates.append(Duplicate(line, seen[key]))
                continue
            seen[key] = line
            people.append(person)
    except _Unreadable as exc:
        errors.append(LineError(exc.line, f"cannot be read as CSV ({exc})"))
    if rows == 0 and not errors:
        errors.append(LineError(2, "no rows under the header"))
    return ListCheck(
        tuple(people), tuple(errors), tuple(duplicates), rows, notes, per_state(people)
    )


def per_state(people: Iterable[Person]) -> dict[str, int]:
    """Affected residents per State, as the incident records them (45 CFR 164.406 counts them
    per State), in alphabetical order."""
    counts = Counter(p.state for p in people)
    return dict(sorted(counts.items()))


def letter_recipient(person: Person) -> Recipient | None:
    """Who the letter goes to: the individual, or for a deceased individual the next of kin or
    personal representative at their address (164.404(d)(1)(ii)); None when there is no one."""
    if not person.deceased:
        return Recipient(person.name, person.address.lines())
    if not person.next_of_kin or person.next_of_kin_address is None:
        return None
    return Recipient(
        person.next_of_kin,
        (f"Re: {person.name} (deceased)", *person.next_of_kin_address.lines()),
    )


def addressed(blocks: Sequence[Block], recipient: Recipient) -> tuple[Block, ...]:
    """One letter: the text's recipient placeholders filled in, everything else exactly as it is
    (the approved wording, or the drafted one). Gives the blocks `draft_letters` would give."""
    name = clean_text(recipient.name)
    lines = "\n".join(clean_text(line) for line in recipient.address_lines)
    filled = {NAME_PLACEHOLDER: name, ADDRESS_PLACEHOLDER: lines}

    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: filled[m.group(0)], text)

    return tuple(
        Block(b.kind, fill(b.text), b.label) if _PLACEHOLDER.search(b.text) else b for b in blocks
    )


def placeholders_missing(blocks: Sequence[Block]) -> list[str]:
    """The placeholders a letter text must keep so each copy can be addressed."""
    text = "\n".join(b.text for b in blocks)
    return [p for p in (NAME_PLACEHOLDER, ADDRESS_PLACEHOLDER) if p not in text]
