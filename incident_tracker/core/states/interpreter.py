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
from incident_tracker.core.states.refusals import Refusals

INDIVIDUAL_NOTICE_ONLY = "individual_notice_only"
SHORTEST_CLOCK = "conditional_shortest_clock"
# The basis of a resident duty that the HIPAA letter itself meets (individual notice only): no
# letter of the State's own is owed, so its letter content rules do not apply.
HIPAA_LETTER_SERVES = "with the HIPAA individual notice (F1)"


def evaluate(j: Jurisdiction, ctx: Context) -> list[Outcome]:
    """Every duty of `j` for an incident with residents of `j`, owed or not (with why)."""
    refused = _not_triggered(j, ctx)
    if refused is not None:
        return list(refused)
    g = j.gate
    excused = g.hipaa_excused if ctx.has_covered_entity_duties else None
    if excused is not None and not ctx.is_business_associate:
        assert g.hipaa_refused is not None
        return list(g.hipaa_refused)
    return _triggered(j, ctx, excused)


def _triggered(j: Jurisdiction, ctx: Context, excused: str | None) -> list[Outcome]:
    g = j.gate
    deemer = j.deemer if ctx.has_covered_entity_duties else "none"
    out: list[Outcome] = []
    resident: Obligation | None = None
    for i, d in enumerate(j.duties):
        if d.role == "owner":
            out.append(_owner(j, ctx, d, excused))
        elif excused is not None:
            assert g.hipaa_refused is not None
            out.append(g.hipaa_refused[i])
        elif d.role == "residents":
            resident = _residents(j, ctx, d, deemer)
            out.append(resident)
        else:
            out.append(notice(j, ctx, d, resident))
    return out


def _not_triggered(j: Jurisdiction, ctx: Context) -> Refusals | None:
    """Scope, medium, safe harbor, acquisition, definition: the first that rules the law out."""
    f = ctx.facts
    g = j.gate
    if g.out_of_scope is not None and not (
        (f.information_broker and g.binds_brokers) or (f.government_entity and g.binds_government)
    ):
        return g.out_of_scope
    if g.paper is not None and f.medium is Medium.PAPER:
        return g.paper
    if g.secured is not None and ctx.secured:
        return g.secured
    if g.viewed is not None and f.acquired is False:
        return g.viewed
    if not j.pi.covers(f.data_elements, f.government_entity):
        return g.undefined
    return None


def why_not_triggered(j: Jurisdiction, ctx: Context) -> str | None:
    """Why `j`'s law is not triggered by the incident, or None if it is."""
    refused = _not_triggered(j, ctx)
    return refused[0].reason if refused else None


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
                due_basis=HIPAA_LETTER_SERVES,
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
        return j.gate.not_a_vendor[d.rule_id]
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
