"""The facts of an incident, as the incident JSON format (README.md, Calculator) defines them:
typed, frozen and validated.

Every due date is a pure function of these facts (docs/law/conventions.md, "Recompute"). Parsing
collects every
problem at once, each naming its field, so a person can fix a form or a JSON file in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache

from incident_tracker.core.parsing import Reader, is_mapping
from incident_tracker.core.vocabulary import DATA_ELEMENTS, STATES


class EntityType(StrEnum):
    COVERED_ENTITY = "covered_entity"
    BUSINESS_ASSOCIATE = "business_associate"
    CA_LICENSED_HEALTH_FACILITY = "ca_licensed_health_facility"


class Medium(StrEnum):
    ELECTRONIC = "electronic"
    PAPER = "paper"


class RiskAssessment(StrEnum):
    NOT_LOW_PROBABILITY = "not_low_probability"
    LOW_PROBABILITY_DOCUMENTED = "low_probability_documented"
    NOT_REQUIRED_EXCEPTION = "not_required_exception"
    NOT_REQUIRED_SECURED_PHI = "not_required_secured_phi"


class Exception164402(StrEnum):
    """The three exclusions of 45 CFR 164.402(1)."""

    GOOD_FAITH_WORKFORCE = "164.402(1)(i)"
    INADVERTENT_AUTHORIZED = "164.402(1)(ii)"
    COULD_NOT_RETAIN = "164.402(1)(iii)"


class HoldForm(StrEnum):
    ORAL = "oral"
    WRITTEN = "written"


class FipsValidation(StrEnum):
    """The FIPS validation of the cryptographic module behind an encryption safe harbor."""

    FIPS_140_3 = "140-3"
    FIPS_140_2 = "140-2"
    NONE = "none"


class DeadlineKind(StrEnum):
    """Legal duties come from the rules; the other two are the organisation's own targets."""

    LEGAL = "legal"
    RECORD = "record"
    INTERNAL = "internal"
    CONTRACTUAL = "contractual"


ORAL_HOLD_DAYS = 30  # 45 CFR 164.412(b); H&S 1280.15(c)


@dataclass(frozen=True, slots=True)
class LawEnforcementHold:
    """A law-enforcement statement that notice would impede an investigation (164.412)."""

    form: HoldForm
    statement_date: date | None
    delay_until: date | None
    official: str | None = None
    agency: str | None = None
    applies_to: tuple[str, ...] = ()

    @property
    def end(self) -> date:
        """Oral: no longer than 30 days from the statement (164.412(b)); written: as stated."""
        if self.form is HoldForm.ORAL and self.statement_date is not None:
            cap = self.statement_date + timedelta(days=ORAL_HOLD_DAYS)
            return cap if self.delay_until is None else min(self.delay_until, cap)
        assert self.delay_until is not None  # enforced by parsing
        return self.delay_until

    @property
    def stated_days(self) -> int | None:
        """The period the official stated, in days from the statement (None if either date is
        missing)."""
        if self.statement_date is None or self.delay_until is None:
            return None
        return (self.delay_until - self.statement_date).days


def governing_hold(holds: tuple[LawEnforcementHold, ...]) -> LawEnforcementHold | None:
    """The statement whose period the hold follows (45 CFR 164.412): the latest written statement,
    which may extend or shorten an earlier one ("the time period specified by the official",
    164.412(a)); with no written statement, the latest oral one, capped at 30 days from its date
    (164.412(b)). An oral statement made after a written one does not displace it. Statements of
    the same date count in the order given."""
    written = [h for h in holds if h.form is HoldForm.WRITTEN]
    pool = written or list(holds)
    if not pool:
        return None
    return max(enumerate(pool), key=lambda ih: (ih[1].statement_date or date.min, ih[0]))[1]


@dataclass(frozen=True, slots=True)
class NoticesSent:
    """Dates notices were actually sent; each anchors the clocks that wait on it
    (docs/law/conventions.md)."""

    individuals: date | None = None
    hhs: date | None = None
    ny_residents: date | None = None
    nj_residents: date | None = None
    ca_residents: date | None = None
    # The sent dates of any other jurisdiction's notices that anchor its clocks: the keys of the
    # jurisdictions registry's done feeds beyond the ones named above.
    others: tuple[tuple[str, date], ...] = ()

    def get(self, key: str) -> date | None:
        """The sent date recorded under `key` (`notices_sent.<key>` of the incident format)."""
        if key in _NAMED_SENT:
            return getattr(self, key)  # type: ignore[no-any-return]
        return dict(self.others).get(key)


_NAMED_SENT = ("individuals", "hhs", "ny_residents", "nj_residents", "ca_residents")
NO_NOTICES_SENT = NoticesSent()


@dataclass(frozen=True, slots=True)
class ExtraDeadline:
    """An internal target or a contractual (BAA) deadline: never a legal date
    (docs/law/federal.md)."""

    kind: DeadlineKind
    label: str
    days: int | None
    business_days: bool
    due: date | None


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    entity_type: EntityType
    discovered_on: date
    breach_occurred_on: date | None = None
    entity_description: str | None = None
    hipaa_covered_entity: bool = True
    ca_licensed_health_facility: bool = False
    nydfs_covered_entity: bool = False
    business_associate_is_agent_of_ce: bool | None = None
    part2_program: bool = False
    affected_by_state: tuple[tuple[str, int], ...] = ()
    # Residents of places outside the United States, by country: no rule set covers them, so they
    # are listed as not evaluated (never dropped); they count in `total_affected`.
    affected_outside_us: tuple[tuple[str, int], ...] = ()
    total_affected: int = 0
    data_elements: frozenset[str] = frozenset()
    medium: Medium = Medium.ELECTRONIC
    acquired: bool | None = None
    phi_encrypted: bool | None = None
    encryption_key_compromised: bool | None = None
    exception: Exception164402 | None = None
    risk_assessment: RiskAssessment | None = None
    holds: tuple[LawEnforcementHold, ...] = ()
    notices_sent: NoticesSent = field(default_factory=NoticesSent)
    ce_notified_by_ba_on: date | None = None
    # A business associate serving several covered entities: (client name, date told or None).
    ce_clients: tuple[tuple[str, date | None], ...] = ()
    first_known_to_privacy_office: date | None = None
    unreachable_individuals: int | None = None
    substitute_notice_started_on: date | None = None
    ny_harm_determination_on: date | None = None
    nj_misuse_determination_on: date | None = None
    dfs_determined_at: datetime | None = None
    dfs_ransom_paid_at: datetime | None = None  # 23 NYCRR 500.17(c): an extortion payment
    # The date the entity determined that a breach occurred (TX, AL, AZ, DE, CO ... clocks); those
    # clocks run from discovery and show the determination-based date as the alternative.
    determined_on: date | None = None
    # Scope of some State laws: Georgia binds government data collectors and information brokers
    # only (O.C.G.A. 10-1-911); insurance regulators' notices bind insurance licensees (None: not
    # recorded, such notices are kept).
    government_entity: bool = False
    information_broker: bool = False
    insurance_licensee: bool | None = None
    fips_validation: FipsValidation | None = None
    cdph_exclusion: str | None = None
    description: str | None = None
    extra_deadlines: tuple[ExtraDeadline, ...] = ()

    def residents(self, state: str) -> int:
        for code, count in self.affected_by_state:
            if code == state:
                return count
        return 0


class FactsError(ValueError):
    """Bad input: one message per problem, each starting with the field it concerns."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_incident(data: object) -> IncidentFacts:
    """Validate a the incident JSON format (README.md, Calculator) incident (or {"incident":
    {...}}); unknown keys are ignored."""
    if is_mapping(data) and is_mapping(data.get("incident")):
        data = data["incident"]
    if not is_mapping(data):
        raise FactsError(["incident: expected a JSON object"])
    r = Reader(data)
    flags = r.mapping("flags")
    entity_type = r.enum("entity_type", EntityType, default=EntityType.COVERED_ENTITY)
    is_ba = entity_type is EntityType.BUSINESS_ASSOCIATE
    is_facility = entity_type is EntityType.CA_LICENSED_HEALTH_FACILITY
    fr = Reader(flags, prefix="flags.", problems=r.problems)
    facts_kwargs: dict[str, object] = {
        "entity_type": entity_type,
        "entity_description": r.text("entity_description"),
        "hipaa_covered_entity": fr.boolean("hipaa_covered_entity", default=not is_ba),
        "ca_licensed_health_facility": fr.boolean("ca_licensed_health_facility", default=False)
        or is_facility,
        "nydfs_covered_entity": fr.boolean("nydfs_covered_entity", default=False),
        "business_associate_is_agent_of_ce": fr.optional_boolean(
            "business_associate_is_agent_of_ce"
        ),
        "part2_program": fr.boolean("part2_program", default=False),
        "government_entity": fr.boolean("government_entity", default=False),
        "information_broker": fr.boolean("information_broker", default=False),
        "insurance_licensee": fr.optional_boolean("insurance_licensee"),
        "determined_on": r.date("determined_on"),
        "breach_occurred_on": r.date("breach_occurred_on"),
        "discovered_on": r.date("discovered_on", required=True),
        "data_elements": _data_elements(r),
        "medium": r.enum("medium", Medium, default=Medium.ELECTRONIC),
        "acquired": r.optional_boolean("acquired"),
        "phi_encrypted": r.optional_boolean("phi_encrypted"),
        "encryption_key_compromised": r.optional_boolean("encryption_key_compromised"),
        "exception": r.enum("exception", Exception164402, aliases=_EXCEPTION_ALIASES),
        "risk_assessment": r.enum("risk_assessment", RiskAssessment),
        "first_known_to_privacy_office": r.date("first_known_to_privacy_office"),
        "unreachable_individuals": r.count("unreachable_individuals"),
        "substitute_notice_started_on": r.date("substitute_notice_started_on"),
        "ny_harm_determination_on": r.date("ny_harm_determination_on"),
        "nj_misuse_determination_on": r.date("nj_misuse_determination_on"),
        "dfs_determined_at": r.timestamp("dfs_determined_at"),
        "dfs_ransom_paid_at": r.timestamp("dfs_ransom_paid_at"),
        "fips_validation": r.enum("fips_validation", FipsValidation)
        if "fips_validation" in data
        else None,
        "cdph_exclusion": r.choice("cdph_exclusion", ("A", "B", "C", "D", "E", "F")),
        "description": r.text("description"),
    }
    abroad = _abroad(r)
    by_state, total = _affected(r, sum(c for _, c in abroad))
    facts_kwargs["affected_by_state"] = by_state
    facts_kwargs["affected_outside_us"] = abroad
    facts_kwargs["total_affected"] = total
    facts_kwargs["holds"] = _holds(r)
    facts_kwargs["ce_notified_by_ba_on"], facts_kwargs["ce_clients"] = _ce_notified(r)
    facts_kwargs["notices_sent"] = _notices_sent(r)
    facts_kwargs["extra_deadlines"] = _extra_deadlines(r)
    discovered = facts_kwargs["discovered_on"]
    if isinstance(discovered, date):
        r.problems.extend(_check_order(facts_kwargs, discovered))
    if r.problems:
        raise FactsError(r.problems)
    return IncidentFacts(**facts_kwargs)  # type: ignore[arg-type]


_EXCEPTION_ALIASES = {
    "(1)(i)": "164.402(1)(i)",
    "(1)(ii)": "164.402(1)(ii)",
    "(1)(iii)": "164.402(1)(iii)",
}


def _data_elements(r: Reader) -> frozenset[str]:
    names = r.string_list("data_elements")
    unknown = [n for n in names if n not in DATA_ELEMENTS]
    for name in unknown:
        r.problems.append(
            f"data_elements: {name!r} is not in the incident format's vocabulary "
            f"(one of: {', '.join(sorted(DATA_ELEMENTS))})"
        )
    return frozenset(n for n in names if n in DATA_ELEMENTS)


def _abroad(r: Reader) -> tuple[tuple[str, int], ...]:
    """{country: residents affected} for people living outside the U.S."""
    key = "affected_outside_us"
    pairs: dict[str, tuple[str, int]] = {}
    for name, value in r.mapping(key).items():
        country = " ".join(str(name).split())
        if not country or len(country) > 100:
            r.problems.append(f"{key}: a country's name must be 1 to 100 characters")
            continue
        if country.upper() in STATES or country.casefold() in _UNITED_STATES:
            r.problems.append(
                f"{key}.{country}: write the country's name; residents of the U.S. and its "
                "territories go in affected_by_state"
            )
            continue
        count = Reader.as_count(value)
        if count is None:
            r.problems.append(f"{key}.{country}: {value!r} is not a non-negative whole number")
            continue
        if country.casefold() in pairs:
            r.problems.append(f"{key}.{country}: the same country is named twice")
            continue
        if count > 0:
            pairs[country.casefold()] = (country, count)
    return tuple(sorted(pairs.values()))


_UNITED_STATES = frozenset(
    {"us", "u.s.", "usa", "u.s.a.", "united states", "united states of america"}
)


def _affected(r: Reader, abroad: int = 0) -> tuple[tuple[tuple[str, int], ...], int]:
    raw = r.mapping("affected_by_state")
    pairs: list[tuple[str, int]] = []
    for key, value in raw.items():
        code = str(key).strip().upper()
        where = f"affected_by_state.{key}"
        if code not in STATES:
            r.problems.append(f"{where}: {key!r} is not a U.S. State or territory code")
            continue
        count = Reader.as_count(value)
        if count is None:
            r.problems.append(f"{where}: {value!r} is not a non-negative whole number")
            continue
        if count > 0:
            pairs.append((code, count))
    pairs.sort()
    state_sum = sum(c for _, c in pairs) + abroad
    total = r.count("total_affected")
    if total is None:
        total = state_sum
    elif total < state_sum:
        where = "affected_by_state and affected_outside_us" if abroad else "affected_by_state"
        r.problems.append(f"total_affected: {total} is less than the sum of {where} ({state_sum})")
    return tuple(pairs), total


def _holds(r: Reader) -> tuple[LawEnforcementHold, ...]:
    raw = r.data.get("law_enforcement_delay")
    items = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    holds: list[LawEnforcementHold] = []
    for i, item in enumerate(items):
        prefix = (
            "law_enforcement_delay."
            if not isinstance(raw, list)
            else f"law_enforcement_delay[{i}]."
        )
        if not is_mapping(item):
            r.problems.append(f"{prefix[:-1]}: expected an object")
            continue
        hr = Reader(item, prefix=prefix, problems=r.problems)
        form = hr.enum("form", HoldForm, required=True)
        statement = hr.date("statement_date", required=True)
        until = hr.date("delay_until", required=form is HoldForm.WRITTEN)
        if statement and until and until < statement:
            r.problems.append(f"{prefix}delay_until: {until} is before statement_date {statement}")
        applies = item.get("applies_to")
        applies_to = (
            tuple(str(a) for a in applies)
            if isinstance(applies, list)
            else ((str(applies),) if applies else ())
        )
        if form is not None and statement is not None:
            holds.append(
                LawEnforcementHold(
                    form, statement, until, hr.text("official"), hr.text("agency"), applies_to
                )
            )
    bare_until = r.date("law_enforcement_delay_until")
    if bare_until is not None and not items:
        # Only the end date is known: treat it as a written statement of that period.
        holds.append(LawEnforcementHold(HoldForm.WRITTEN, None, bare_until))
    return tuple(holds)


def _ce_notified(r: Reader) -> tuple[date | None, tuple[tuple[str, date | None], ...]]:
    """A date, or for a business associate with several covered-entity clients a map
    {client name: date told, or null while not yet told}."""
    key = "ce_notified_by_ba_on"
    raw = r.data.get(key)
    if not is_mapping(raw):
        return r.date(key), ()
    clients: list[tuple[str, date | None]] = []
    seen: set[str] = set()
    for name in raw:
        client = str(name).strip()
        if not client:
            r.problems.append(f"{key}: a client's name is empty")
            continue
        if client.casefold() in seen:
            r.problems.append(f"{key}.{client}: the same client is named twice")
            continue
        seen.add(client.casefold())
        told = Reader(raw, prefix=f"{key}.", problems=r.problems).date(str(name))
        clients.append((client, told))
    return None, tuple(clients)


def _notices_sent(r: Reader) -> NoticesSent:
    raw = r.mapping("notices_sent")
    if not raw:
        return NO_NOTICES_SENT  # most incidents: nothing sent yet (the value is frozen)
    sr = Reader(raw, prefix="notices_sent.", problems=r.problems)
    keys = _other_sent_keys()
    others = tuple((k, d) for k in keys if (d := sr.date(k)) is not None) if keys else ()
    return NoticesSent(
        individuals=sr.date("individuals"),
        hhs=sr.date("hhs"),
        ny_residents=sr.date("ny_residents"),
        nj_residents=sr.date("nj_residents"),
        ca_residents=sr.date("ca_residents"),
        others=others,
    )


@cache
def _other_sent_keys() -> tuple[str, ...]:
    """The done feeds' keys of the jurisdictions registry not named in `NoticesSent` (read when
    the first incident is parsed: the registry's rules read these facts)."""
    from incident_tracker.core.jurisdictions.registry import DONE_FEEDS

    return tuple(k for k in dict.fromkeys(DONE_FEEDS.values()) if k not in _NAMED_SENT)


def _extra_deadlines(r: Reader) -> tuple[ExtraDeadline, ...]:
    out: list[ExtraDeadline] = []
    for key, kind in (
        ("internal_targets", DeadlineKind.INTERNAL),
        ("contractual_deadlines", DeadlineKind.CONTRACTUAL),
    ):
        raw = r.data.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list):
            r.problems.append(f"{key}: expected a list")
            continue
        for i, item in enumerate(raw):
            prefix = f"{key}[{i}]."
            if not is_mapping(item):
                r.problems.append(f"{key}[{i}]: expected an object")
                continue
            er = Reader(item, prefix=prefix, problems=r.problems)
            days, due = er.count("days"), er.date("due")
            if (days is None) == (due is None):
                r.problems.append(f"{prefix}days: give either days after discovery or a due date")
            label = er.text("label") or (
                "Internal target" if kind is DeadlineKind.INTERNAL else "Contractual deadline"
            )
            out.append(ExtraDeadline(kind, label, days, er.boolean("business_days", False), due))
    return tuple(out)


def _check_order(values: Mapping[str, object], discovered: date) -> list[str]:
    """Discovery cannot precede occurrence, and nothing that follows discovery can precede it."""
    problems: list[str] = []
    occurred = values["breach_occurred_on"]
    if isinstance(occurred, date) and discovered < occurred:
        problems.append(f"discovered_on: {discovered} is before breach_occurred_on {occurred}")
    sent = values["notices_sent"]
    assert isinstance(sent, NoticesSent)
    after_discovery = {
        "first_known_to_privacy_office": values["first_known_to_privacy_office"],
        "ce_notified_by_ba_on": values["ce_notified_by_ba_on"],
        "ny_harm_determination_on": values["ny_harm_determination_on"],
        "nj_misuse_determination_on": values["nj_misuse_determination_on"],
        "determined_on": values["determined_on"],
        "substitute_notice_started_on": values["substitute_notice_started_on"],
        **{f"notices_sent.{k}": getattr(sent, k) for k in _NAMED_SENT},
    }
    if sent.others:
        after_discovery.update({f"notices_sent.{k}": d for k, d in sent.others})
    clients = values["ce_clients"]
    if clients:
        assert isinstance(clients, tuple)
        after_discovery.update({f"ce_notified_by_ba_on.{n}": told for n, told in clients})
    for name, value in after_discovery.items():
        if isinstance(value, date) and value < discovered:
            problems.append(f"{name}: {value} is before discovered_on {discovered}")
    unreachable, total = values["unreachable_individuals"], values["total_affected"]
    if isinstance(unreachable, int) and isinstance(total, int) and unreachable > total:
        problems.append(
            f"unreachable_individuals: {unreachable} is more than total_affected {total}"
        )
    return problems
