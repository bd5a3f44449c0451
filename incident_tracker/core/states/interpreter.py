"""Applies one jurisdiction's rule set (its `states.json` entry) to an incident.

Conventions as for NY, NJ and CA: day 0 is the anchor day; `due` is the strict date and a later
reading only `alt_due`; "without unreasonable delay" has no date (the HIPAA 60-day date is the
practical latest when the same letter is a HIPAA letter). Clocks that run from the entity's
determination run from discovery (the earliest anchor, always compliant), with the
determination-based date as `alt_due`. A law-enforcement hold delays the resident notice only.
"""

from __future__ import annotations

from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.obligations import NotRequired, Obligation, Party, Status
from incident_tracker.core.rules.base import Outcome
from incident_tracker.core.states.clock import add, clock, flags, unit
from incident_tracker.core.states.model import Deadline, Duty, Jurisdiction
from incident_tracker.core.states.notices import notice

INDIVIDUAL_NOTICE_ONLY = "individual_notice_only"
SHORTEST_CLOCK = "conditional_shortest_clock"
ACQUISITION_ONLY = frozenset({"acquisition", "access_and_acquisition"})
_SCOPE_WORDS = {
    "information_broker": "information brokers",
    "government_data_collector": "government data collectors",
}


_REFUSALS: dict[tuple[str, str], tuple[NotRequired, ...]] = {}


def _refused(j: Jurisdiction, why: str) -> tuple[NotRequired, ...]:
    """Every duty of `j` refused for one reason; the reasons are few per jurisdiction (they do
    not depend on counts or dates), so each answer is built once."""
    found = _REFUSALS.get((j.code, why))
    if found is None:
        found = tuple(NotRequired(d.rule_id, why, jurisdiction=j.code) for d in j.duties)
        if len(_REFUSALS) < 5_000:
            _REFUSALS[(j.code, why)] = found
    return found


def evaluate(j: Jurisdiction, ctx: Context) -> list[Outcome]:
    """Every duty of `j` for an incident with residents of `j`, owed or not (with why)."""
    why = why_not_triggered(j, ctx)
    if why is not None:
        return list(_refused(j, why))
    deemer = j.deemer if ctx.has_covered_entity_duties else "none"
    excused = _excused(j, deemer)
    if excused is not None and not ctx.is_business_associate:
        return list(_refused(j, excused))
    out: list[Outcome] = []
    resident: Obligation | None = None
    for d in j.duties:
        if d.role == "owner":
            out.append(_owner(j, ctx, d, excused))
        elif excused is not None:
            out.append(NotRequired(d.rule_id, excused, jurisdiction=j.code))
        elif d.role == "residents":
            resident = _residents(j, ctx, d, deemer)
            out.append(resident)
        else:
            out.append(notice(j, ctx, d, resident))
    return out


def why_not_triggered(j: Jurisdiction, ctx: Context) -> str | None:
    """Scope, medium, safe harbor, acquisition, definition: the first that rules the law out."""
    f = ctx.facts
    scope = j.data.get("scope")
    if scope is not None:
        applies = scope["applies_to"]
        bound = (f.information_broker and "information_broker" in applies) or (
            f.government_entity and "government_data_collector" in applies
        )
        if not bound:
            who = " and ".join(_SCOPE_WORDS.get(a, a) for a in applies)
            return (
                f"{j.name}'s law binds only {who} ({scope['text']}); the entity is neither "
                "(flags.government_entity and flags.information_broker are not set)"
            )
    pi = j.data["personal_information"]
    if f.medium is Medium.PAPER and pi["paper_covered"] is False:
        return f"paper records: {j.name}'s law covers computerized data only ({pi['notes']})"
    harbor = j.data["trigger"]["encryption_safe_harbor"]
    if ctx.secured and harbor.get("exists"):
        return f"the data were encrypted and the key was not compromised ({j.name} safe harbor)"
    if f.acquired is False and j.data["trigger"]["type"] in ACQUISITION_ONLY:
        return (
            f"the data were viewed but not acquired: {j.name}'s law is triggered by acquisition "
            f"({j.data['trigger']['type'].replace('_', ' ')})"
        )
    if not j.pi.covered(f.data_elements, f.government_entity):
        health = (
            "; medical and health-insurance data alone do not trigger it"
            if j.data["phi_only_triggers"] == "no"
            else ""
        )
        return (
            f"{j.name}'s 'personal information' ({pi['elements']}) does not cover these data "
            f"elements{health}"
        )
    return None


def _excused(j: Jurisdiction, deemer: str) -> str | None:
    if deemer == "exempt":
        return (
            f"{j.name}'s law does not apply to HIPAA covered entities and business associates "
            f"(HIPAA-exempt): {j.data['hipaa']['notes']}"
        )
    if deemer == "full":
        return (
            f"{j.name} deems a HIPAA entity that complies with HIPAA compliant with its law "
            f"(deemed compliant), so no separate {j.code} notice is owed: "
            f"{j.data['hipaa']['notes']}"
        )
    return None


def _hipaa_note(j: Jurisdiction, deemer: str) -> str:
    if deemer == "unclear":
        return (
            f" [OPEN] {j.name}'s relationship to HIPAA is unclear, so its own law is applied "
            "(conservative)."
        )
    if deemer == "conditional":
        return (
            f" {j.name} deems federal compliance compliant only if at least as protective "
            f"({j.data['hipaa']['notes']}); its own clock is applied."
        )
    return ""


def _residents(j: Jurisdiction, ctx: Context, d: Duty, deemer: str) -> Obligation:
    f1 = ctx.get("F1")
    dl = d.deadline
    assert dl is not None
    extra = (
        (f"law_enforcement_delay: {j.confidence('law_enforcement_delay')}",)
        if ctx.hold is not None and j.field_open("law_enforcement_delay")
        else ()
    )
    if f1 is not None and deemer == INDIVIDUAL_NOTICE_ONLY:
        return ctx.add(
            Obligation(
                d.rule_id,
                j.code,
                f"{j.name} residents (HIPAA notice serves)",
                j.citation,
                f"{j.name} accepts the HIPAA notice for its residents (individual notice only), so "
                f"this is the HIPAA letter, due on the HIPAA date {f1.due}; {j.code} regulator "
                "and consumer reporting agency notices stay owed on their own terms.",
                f1.due,
                f1.status,
                not_before=f1.not_before,
                due_basis="with the HIPAA individual notice (F1)",
                party=ctx.owner_party,
                **flags(j, extra),  # type: ignore[arg-type]
            )
        )
    note = _hipaa_note(j, deemer) + _paper_note(j, ctx)
    if deemer == INDIVIDUAL_NOTICE_ONLY and ctx.has_covered_entity_duties:
        note += " No HIPAA notice is owed (F1), so the State's own notice and clock apply."
    if j.overrides.letter_prohibitions:
        note += " The letter must not " + "; nor ".join(j.overrides.letter_prohibitions) + "."
    practical = f1.due if f1 is not None else None
    if ctx.hold is not None:
        return ctx.add(_after_hold(j, ctx, d, dl, note, practical, extra))
    if not dl.fixed:
        return ctx.add(
            Obligation(
                d.rule_id,
                j.code,
                f"{j.name} residents",
                j.citation,
                f"Notify affected {j.name} residents: {dl.text or 'no fixed day count'}; the "
                "statute sets no day count."
                + (f" The HIPAA date {practical} is the practical latest." if practical else "")
                + note,
                None,
                Status.NO_FIXED_DEADLINE,
                practical_latest=practical,
                party=ctx.owner_party,
                standard=dl.text,
                **flags(j, extra),  # type: ignore[arg-type]
            )
        )
    due, alt, alt_why, basis = clock(j, ctx, dl)
    if deemer == SHORTEST_CLOCK and f1 is not None:
        note += (
            f" {j.name} accepts the HIPAA letter but on the shorter of the two clocks "
            f"(HIPAA date {f1.due})."
        )
        if f1.due is not None and f1.due < due:
            due = f1.due
    return ctx.add(
        Obligation(
            d.rule_id,
            j.code,
            f"{j.name} residents",
            j.citation,
            f"Notify affected {j.name} residents ({dl.text or dl.describe()}): {basis} = {due}."
            + note,
            due,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_why,
            due_basis=basis,
            party=ctx.owner_party,
            **flags(j, extra),  # type: ignore[arg-type]
        )
    )


def _paper_note(j: Jurisdiction, ctx: Context) -> str:
    if ctx.facts.medium is Medium.PAPER and j.data["personal_information"]["paper_covered"] is None:
        return (
            f" [OPEN] whether {j.name}'s law covers paper records is not settled; applied "
            "(conservative)."
        )
    return ""


def _after_hold(
    j: Jurisdiction,
    ctx: Context,
    d: Duty,
    dl: Deadline,
    note: str,
    practical: date | None,
    extra: tuple[str, ...],
) -> Obligation:
    """The resident notice after a law-enforcement hold: no fixed date after its end, unless the
    statute counts days from the end (an override)."""
    assert ctx.hold is not None
    end = ctx.hold.end
    until = j.data["law_enforcement_delay"]["until"]
    after = j.overrides.after_hold
    if after is None:
        return Obligation(
            d.rule_id,
            j.code,
            f"{j.name} residents",
            j.citation,
            f"A law-enforcement hold runs until {end}: notify affected {j.name} residents after it "
            f"ends ({until}); no fixed day count." + note,
            None,
            Status.NO_FIXED_DEADLINE,
            not_before=end,
            practical_latest=practical,
            party=ctx.owner_party,
            standard=until,
            **flags(j, extra),  # type: ignore[arg-type]
        )
    days, kind, later_of_original = after
    hold_dl = Deadline(days, kind, "the end of the law-enforcement hold", "after")
    due = add(j, end, hold_dl)
    basis = f"{days} {unit(hold_dl)} after the hold ends on {end}"
    if later_of_original and dl.fixed:
        original = add(j, ctx.facts.discovered_on, dl)
        if original > due:
            due, basis = original, f"the original {dl.days}-day date (later than {basis})"
    return Obligation(
        d.rule_id,
        j.code,
        f"{j.name} residents",
        j.citation,
        f"A law-enforcement hold runs until {end} ({until}): {basis} = {due}." + note,
        due,
        Status.DATED,
        due_basis=basis,
        party=ctx.owner_party,
        **flags(j, extra),  # type: ignore[arg-type]
    )


def _owner(j: Jurisdiction, ctx: Context, d: Duty, excused: str | None) -> Outcome:
    if not ctx.is_business_associate:
        return NotRequired(
            d.rule_id,
            f"the entity owns or licenses the data ({j.code}'s vendor notice binds one that "
            "maintains data for another)",
            jurisdiction=j.code,
        )
    if excused is not None:
        return NotRequired(d.rule_id, f"{excused}; the vendor notice is excused too", None, j.code)
    dl = d.deadline
    assert dl is not None
    extra = (
        (f"vendor_to_owner: {j.confidence('vendor_to_owner')}",)
        if j.field_open("vendor_to_owner")
        else ()
    )
    text = (
        f"A business that maintains {j.name} residents' personal information for another "
        f"notifies the owner ({dl.text or dl.describe()}), beside HIPAA's 164.410 notice."
    )
    if not dl.fixed:
        return ctx.add(
            Obligation(
                d.rule_id,
                j.code,
                d.recipient,
                j.citation,
                text,
                None,
                Status.NO_FIXED_DEADLINE,
                party=Party.BUSINESS_ASSOCIATE,
                standard=dl.text,
                **flags(j, extra),  # type: ignore[arg-type]
            )
        )
    due, alt, alt_why, basis = clock(j, ctx, dl)
    return ctx.add(
        Obligation(
            d.rule_id,
            j.code,
            d.recipient,
            j.citation,
            f"{text} {basis} = {due}.",
            due,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_why,
            due_basis=basis,
            party=Party.BUSINESS_ASSOCIATE,
            **flags(j, extra),  # type: ignore[arg-type]
        )
    )
