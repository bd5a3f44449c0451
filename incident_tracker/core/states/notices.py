"""Regulator and consumer-reporting-agency notices of a State rule set: threshold, scope, clock.

A notice timed by the resident notice is dated from that notice's latest permitted date until the
letters are recorded as sent, then from the sending date; one timed by discovery or determination
runs on its own clock. A law-enforcement hold does not delay these notices.
"""

from __future__ import annotations

from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.rules.base import Outcome
from incident_tracker.core.states.clock import add, clock, flags, unit
from incident_tracker.core.states.model import Deadline, Duty, Jurisdiction

# Scopes a jurisdiction module may put on a notice (Overrides.scoped).
INSURANCE_LICENSEES = "insurance_licensees"
NOT_INSURANCE_LICENSEES = "not_insurance_licensees"
GOVERNMENT = "government"
NO_HARM_RELIANCE = "no_harm_reliance"
HIPAA_ENTITIES = "hipaa_entities"


def notice(j: Jurisdiction, ctx: Context, d: Duty, resident: Obligation | None) -> Outcome:
    why, note = _scope(ctx, d.scope) if d.scope else (None, "")
    if why is not None:
        return NotRequired(d.rule_id, why, jurisdiction=j.code)
    if d.threshold is not None and not d.threshold.every_notice:
        t = d.threshold
        if d.counts_residents:
            n, counted = ctx.residents(j.code), f"{j.name} residents"
        else:
            n, counted = ctx.facts.total_affected, "affected individuals"
            note += (
                f" [OPEN] the statute counts {t.unit} without saying residents, so every "
                f"affected individual ({n:,}) is counted (conservative)."
            )
        if not t.met(n):
            return NotRequired(
                d.rule_id,
                f"{n:,} {counted} is not {t.describe()} for the {d.recipient} notice ({j.code})",
                jurisdiction=j.code,
            )
        note = f" {n:,} {counted} is {t.describe()}." + note
    dl = d.deadline
    assert dl is not None
    if d.note:
        note += f" Note: {d.note}."
    if dl.tied_to_hhs_notice:
        return _after_hhs(j, ctx, d, dl, note)
    if dl.tied_to_resident_notice:
        return _with_residents(j, ctx, d, dl, resident, note)
    what = f"Notify the {d.recipient}"
    if not dl.fixed:
        return ctx.add(
            Obligation(
                d.rule_id,
                j.code,
                d.recipient,
                j.citation,
                f"{what}: {dl.text or 'no fixed day count'}." + note,
                None,
                Status.NO_FIXED_DEADLINE,
                standard=dl.text,
                party=ctx.owner_party,
                **flags(j),  # type: ignore[arg-type]
            )
        )
    due, alt, alt_why, basis = clock(j, ctx, dl)
    sent = ctx.facts.notices_sent.individuals
    earlier = sent or (resident.due if resident is not None else None)
    if d.rule_id in j.overrides.earlier_of_resident_notice and earlier and earlier < due:
        due, basis = earlier, f"the resident notice ({earlier}), earlier than {basis}"
    extension = f" Extension: {dl.extension}." if dl.extension else ""
    return ctx.add(
        Obligation(
            d.rule_id,
            j.code,
            d.recipient,
            j.citation,
            f"{what} ({dl.text or dl.describe()}): {basis} = {due}.{extension}" + note,
            due,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_why,
            due_basis=basis,
            party=ctx.owner_party,
            **flags(j),  # type: ignore[arg-type]
        )
    )


def _scope(ctx: Context, scoped: str | None) -> tuple[str | None, str]:
    """(why not owed, note) for a notice bound to part of the regulated world only."""
    f = ctx.facts
    if scoped == INSURANCE_LICENSEES:
        if f.insurance_licensee is False:
            return "this notice binds insurance licensees only; the entity is not one", ""
        if f.insurance_licensee is None:
            return None, (
                " [OPEN] this notice binds insurance licensees only; whether the entity is one "
                "is not recorded (flags.insurance_licensee), so it is kept (conservative)."
            )
    if scoped == NOT_INSURANCE_LICENSEES and f.insurance_licensee:
        return "insurance licensees under the insurance data security law are exempt", ""
    if scoped == GOVERNMENT and not f.government_entity:
        return "this notice binds state and local agencies only (flags.government_entity)", ""
    if scoped == NO_HARM_RELIANCE:
        return (
            "owed only by an entity relying on the no-harm exception instead of notifying "
            "residents; the residents' notice is computed instead",
            "",
        )
    if scoped == HIPAA_ENTITIES and not (ctx.has_covered_entity_duties and ctx.hipaa.notify):
        return "owed by a HIPAA entity that notifies the HHS Secretary; none is owed here", ""
    return None, ""


def _anchor(ctx: Context, resident: Obligation | None) -> tuple[date | None, bool]:
    """(date of the resident notice or its latest permitted date, sent?)."""
    sent = ctx.facts.notices_sent.individuals
    if sent is not None:
        return sent, True
    return (resident.due if resident is not None else None), False


def _with_residents(
    j: Jurisdiction,
    ctx: Context,
    d: Duty,
    dl: Deadline,
    resident: Obligation | None,
    note: str,
) -> Obligation:
    anchor, sent = _anchor(ctx, resident)
    rid = resident.rule_id if resident is not None else f"{j.code}1"
    relation = {
        "no_later_than_anchor": "no later than",
        "before_anchor": "before",
        "concurrent": "concurrently with",
        "with_anchor": "with",
        "after": "after",
    }.get(dl.relation, dl.relation)
    base = f"Notify the {d.recipient} {relation} the {j.code} resident notice ({rid})"
    practical = resident.due or resident.practical_latest if resident is not None else None
    if (
        dl.relation == "before_anchor"
        or anchor is None
        or (dl.relation == "after" and not dl.fixed)
    ):
        return ctx.add(
            Obligation(
                d.rule_id,
                j.code,
                d.recipient,
                j.citation,
                f"{base}: {dl.text or 'no fixed day count'}." + note,
                None,
                Status.NO_FIXED_DEADLINE,
                must_precede=f"{j.code} resident notice"
                if dl.relation == "before_anchor"
                else None,
                practical_latest=practical if dl.relation != "after" else None,
                standard=dl.text,
                party=ctx.owner_party,
                **flags(j),  # type: ignore[arg-type]
            )
        )
    due = add(j, anchor, dl) if dl.relation == "after" else anchor
    when = f"sent on {anchor}" if sent else f"due {anchor}"
    basis = (
        f"{dl.days} {unit(dl)} after the resident notice ({when})"
        if dl.relation == "after"
        else f"{relation} the resident notice ({when})"
    )
    if dl.kind == "business":
        basis += f" ({j.calendar.label()}; [OPEN] calendar not yet checked against the statute)"
    outer = resident.due if (sent and resident is not None and resident.due != anchor) else None
    return ctx.add(
        Obligation(
            d.rule_id,
            j.code,
            d.recipient,
            j.citation,
            f"{base}: {basis} = {due}." + note,
            due,
            Status.DATED if sent else Status.WAITING,
            outer_limit=outer if dl.relation != "after" else None,
            due_basis=basis,
            waiting_for=None if sent else rid,
            party=ctx.owner_party,
            **flags(j),  # type: ignore[arg-type]
        )
    )


def _after_hhs(j: Jurisdiction, ctx: Context, d: Duty, dl: Deadline, note: str) -> Obligation:
    """Days after the HHS Secretary is notified (F4 with the letters, or F5's annual log)."""
    hhs = ctx.get("F4") or ctx.get("F5")
    sent = ctx.facts.notices_sent.hhs
    anchor = sent or (hhs.due if hhs is not None else None)
    if anchor is None:
        return ctx.add(
            Obligation(
                d.rule_id,
                j.code,
                d.recipient,
                j.citation,
                f"Notify the {d.recipient} after the HHS notice ({dl.describe()})." + note,
                None,
                Status.NO_FIXED_DEADLINE,
                standard=dl.describe(),
                party=ctx.owner_party,
                **flags(j),  # type: ignore[arg-type]
            )
        )
    due = add(j, anchor, dl)
    when = f"sent on {anchor}" if sent else f"due {anchor}"
    basis = f"{dl.days} {unit(dl)} after the HHS notice ({when})"
    if dl.kind == "business":
        basis += f" ({j.calendar.label()}; [OPEN] calendar not yet checked against the statute)"
    return ctx.add(
        Obligation(
            d.rule_id,
            j.code,
            d.recipient,
            j.citation,
            f"Notify the {d.recipient}: {basis} = {due}." + note,
            due,
            Status.DATED if sent else Status.WAITING,
            due_basis=basis,
            waiting_for=None if sent or hhs is None else hhs.rule_id,
            party=ctx.owner_party,
            **flags(j),  # type: ignore[arg-type]
        )
    )
