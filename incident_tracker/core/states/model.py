"""One U.S. jurisdiction's breach-notification rule set, read from the project's `states.json`.

The data say what each statute covers, who is notified, on which clock and above which count; the
interpreter (`interpreter.py`) applies them to an incident. A jurisdiction module may add code
`Overrides` where a statute does something the data can only describe in words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from incident_tracker.core.calendar import HOLIDAYS_VERSION, BusinessCalendar, package_holidays
from incident_tracker.core.states.personal import Definition
from incident_tracker.core.states.refusals import Gate

CERTIFIED = "certified"
# The confidence levels of the data, weakest last; below "two charts agree" a field is open.
SETTLED_CONFIDENCE = frozenset({"statute text read", "two charts agree"})
# Fields whose confidence decides whether a certified jurisdiction's duty is settled.
PER_DUTY_FIELDS = ("vendor_to_owner", "law_enforcement_delay")


@cache
def load_data() -> dict[str, dict[str, Any]]:
    """{code: entry} of incident_tracker/data/states.json, read once."""
    raw = files("incident_tracker").joinpath("data/states.json").read_text(encoding="utf-8")
    return {j["code"]: j for j in json.loads(raw)["jurisdictions"]}


@dataclass(frozen=True, slots=True)
class Deadline:
    """{days, kind: calendar|business|none, anchor, relation, text?, extension?}."""

    days: int | None
    kind: str
    anchor: str
    relation: str
    text: str | None = None
    extension: str | None = None

    @classmethod
    def of(cls, raw: dict[str, Any] | None) -> Deadline | None:
        if raw is None:
            return None
        return cls(
            raw.get("days"),
            raw.get("kind") or "none",
            raw.get("anchor") or "",
            raw.get("relation") or "after",
            raw.get("text"),
            raw.get("extension"),
        )

    @property
    def fixed(self) -> bool:
        return self.kind != "none" and self.days is not None

    @property
    def from_determination(self) -> bool:
        return "determin" in self.anchor

    @property
    def tied_to_resident_notice(self) -> bool:
        """A duty timed by the resident notice rather than by discovery or determination."""
        if self.relation != "after":
            return True
        return bool(_NOTICE_ANCHOR.search(self.anchor)) and "if sooner" not in self.anchor

    @property
    def tied_to_hhs_notice(self) -> bool:
        return "HHS" in self.anchor

    def describe(self) -> str:
        if not self.fixed:
            return self.text or "no fixed day count"
        unit = "business days" if self.kind == "business" else "calendar days"
        return f"{self.days} {unit} after {self.anchor}"


_NOTICE_ANCHOR = re.compile(
    r"resident notice|individual notice|notice to |giving notice|distribution of notice"
)
_RESIDENCE = re.compile(r"resident|citizen|Texans|\bin [A-Z]")


@dataclass(frozen=True, slots=True)
class Threshold:
    """'more than N' (>) or 'N or more' (>=), counted over `unit`."""

    comparison: str
    count: int
    unit: str
    wording: str

    @classmethod
    def of(cls, raw: dict[str, Any] | None) -> Threshold | None:
        if raw is None:
            return None
        return cls(raw["comparison"], int(raw["count"]), raw.get("unit") or "", raw["wording"])

    @property
    def every_notice(self) -> bool:
        return self.comparison == ">=" and self.count <= 1

    def counts_residents(self, name: str) -> bool:
        """The unit names the jurisdiction's residents; otherwise every affected individual is
        counted (the conservative reading)."""
        return bool(_RESIDENCE.search(self.unit)) or name in self.unit

    def met(self, n: int) -> bool:
        return n > self.count if self.comparison == ">" else n >= self.count

    def describe(self) -> str:
        sign = "more than" if self.comparison == ">" else "at least"
        return f'{sign} {self.count:,} ("{self.wording}")'


@dataclass(frozen=True, slots=True)
class Duty:
    """One row: residents (XX1), a regulator, the consumer reporting agencies, or the owner."""

    rule_id: str
    role: str  # residents | regulator | cra | owner
    recipient: str
    deadline: Deadline | None
    threshold: Threshold | None = None
    form: str = ""
    content: str = ""
    note: str = ""
    # Filled in by `build`: the notice's scope (Overrides.scoped) and whether its threshold
    # counts the jurisdiction's residents rather than every affected individual.
    scope: str | None = None
    counts_residents: bool = True


@dataclass(frozen=True, slots=True)
class Overrides:
    """Code for what a statute says in words the data cannot compute."""

    # After a law-enforcement hold, the resident notice is due this many days after the hold end
    # (kind calendar or business); "later_of_original" keeps the original date when it is later.
    after_hold: tuple[int, str, bool] | None = None
    # Duties owed only in a scope the incident records: rule id -> scope name (interpreter.py).
    scoped: tuple[tuple[str, str], ...] = ()
    # Regulator duties due at the earlier of their clock and the resident notice.
    earlier_of_resident_notice: tuple[str, ...] = ()
    # Tex. Gov't Code 311.014(b): a period ending on a Saturday, Sunday or legal holiday runs to
    # the next day that is none of them (shown as alt_due).
    roll_forward: bool = False
    # Letter content the statute forbids in its own resident notice (shown in the reason).
    letter_prohibitions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    code: str
    name: str
    status: str
    citation: str
    data: dict[str, Any] = field(repr=False, compare=False)
    duties: tuple[Duty, ...]
    open_points: tuple[str, ...]
    pi: Definition
    gate: Gate = field(repr=False, compare=False)
    overrides: Overrides = Overrides()

    @property
    def certified(self) -> bool:
        return self.status == CERTIFIED

    @property
    def deemer(self) -> str:
        return str(self.data["hipaa"]["deemer"])

    def duty(self, role: str) -> Duty | None:
        return next((d for d in self.duties if d.role == role), None)

    def confidence(self, name: str) -> str:
        return str(self.data["confidence"].get(name, "unsure"))

    def field_open(self, name: str) -> bool:
        return self.confidence(name) not in SETTLED_CONFIDENCE

    @property
    def calendar(self) -> BusinessCalendar:
        return _calendar(self.code)


@cache
def _calendar(code: str) -> BusinessCalendar:
    """The jurisdiction's legal holidays from the pinned `holidays` package (its U.S. subdivision
    calendar, observed days as the package gives them); not yet checked against each statute."""
    return BusinessCalendar(
        f"{code} legal holidays (holidays package, US-{code})",
        f"holidays {HOLIDAYS_VERSION}",
        lambda year: package_holidays("US", year, code),
    )


def duties_of(entry: dict[str, Any]) -> tuple[Duty, ...]:
    """The duties in the data's order, with the rule ids the data give them."""
    out = [
        Duty(
            entry["resident_notice"]["rule_id"],
            "residents",
            f"{entry['jurisdiction']} residents",
            Deadline.of(entry["resident_notice"]["deadline"]),
        )
    ]
    for reg in entry["regulator_notices"]:
        out.append(
            Duty(
                reg["rule_id"],
                "regulator",
                reg["recipient"],
                Deadline.of(reg["deadline"]),
                Threshold.of(reg["threshold"]),
                reg.get("form") or "",
                reg.get("content") or "",
                reg.get("exemption") or reg.get("note") or "",
            )
        )
    cra = entry["cra_notice"]
    if cra and cra.get("rule_id"):
        threshold = Threshold.of(cra["threshold"])
        out.append(
            Duty(
                cra["rule_id"],
                "cra",
                f"Nationwide consumer reporting agencies ({entry['code']})",
                Deadline.of(cra["deadline"]),
                threshold,
            )
        )
    owner = entry["vendor_to_owner"]
    if owner and owner.get("rule_id"):
        out.append(
            Duty(
                owner["rule_id"],
                "owner",
                f"Data owner / covered entity (from BA, {entry['code']})",
                Deadline.of(owner["deadline"]),
                note=owner.get("notes") or "",
            )
        )
    return tuple(out)
