"""Drafts of the other States' regulator notices (the Texas Attorney General's portal, Puerto Rico's
DACO, the Massachusetts Attorney General and OCABR ...), from the project's states.json.

Each notice names the form or portal the data gives and has one answer per item of content the
data lists (`content` of the regulator notice), taken from the incident, the assessment, the
organisation profile and the notice details; an answer the record does not give shows its
"[MISSING: ...]" marker, and the required-element check (elements.py) lists the same items with
the jurisdiction's citation. Nothing beyond the data is required: where the data lists no content
("per form") the draft sets out the facts on record for the form and says so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from incident_tracker.core.facts import EntityType
from incident_tracker.core.notices.context import Field, NoticeContext, Section, format_date
from incident_tracker.core.notices.elements import missing_marker
from incident_tracker.core.notices.state_content import (
    ITEM_ELEMENTS,
    ITEM_NOTES,
    NO_CONTENT_NOTE,
    NOT_CHOSEN,
)
from incident_tracker.core.notices.state_letters import resident_duties
from incident_tracker.core.states import JURISDICTIONS
from incident_tracker.core.states.model import Duty, Jurisdiction


def content_items(d: Duty) -> tuple[str, ...]:
    return tuple(x.strip() for x in d.content.split(";") if x.strip())


@cache
def regulator_duties() -> dict[str, tuple[Jurisdiction, Duty]]:
    """{rule id (TX2, PR2, MA2 ...): its jurisdiction and regulator duty}."""
    return {
        d.rule_id: (j, d) for j in JURISDICTIONS.values() for d in j.duties if d.role == "regulator"
    }


def duty_elements(d: Duty) -> tuple[str, ...]:
    """The elements the data lists for the notice, in the data's order, each once."""
    keys: list[str] = []
    for item in content_items(d):
        for key in ITEM_ELEMENTS.get(item, ()):
            if key not in keys:
                keys.append(key)
    return tuple(keys)


def how_to_file(d: Duty, j: Jurisdiction) -> str:
    form = d.form.strip()
    if form:
        return form[0].upper() + form[1:]
    return f"As the {d.recipient} directs (no form is prescribed)"


def _entity_type(c: NoticeContext) -> str:
    f = c.facts
    if f.entity_type is EntityType.BUSINESS_ASSOCIATE:
        return "Business associate under HIPAA"
    kind = c.details.covered_entity_type
    return "HIPAA covered entity" + (f" ({kind})" if kind else "")


def _answer(key: str, c: NoticeContext, j: Jurisdiction) -> Field:
    f, d = c.facts, c.details
    n = f.residents(j.code)
    residents = f"{n:,}" if n else missing_marker("state_affected")
    unreachable = f.unreachable_individuals or 0
    distribution = "Written notice by first-class mail to each person's last known address"
    if unreachable >= 10:
        distribution += ", with substitute notice for those whose address is out of date"
    window = (
        f"From {c.breach_date}"
        + (f" to {format_date(d.breach_end_date)}" if d.breach_end_date else " (end not known)")
        if c.breach_date
        else missing_marker("exposure_window")
    )
    address = (
        f"{c.org.name}, " + ", ".join(c.org_address_lines)
        if c.org_address_lines
        else missing_marker("address")
    )
    answers: dict[str, tuple[str, str]] = {
        "what_happened": ("Description of the breach", c.what_happened),
        "phi_types": ("Types of personal information involved", c.data_types_text),
        "breach_date": ("Date of the breach", c.breach_date or missing_marker("breach_date")),
        "discovery_date": ("Date the breach was discovered", c.discovered_on),
        "determined_date": (
            "Date the breach was determined",
            format_date(f.determined_on) or missing_marker("determined_date"),
        ),
        "state_affected": (f"{j.name} residents affected", residents),
        "state_notified": (f"{j.name} residents notified, and how", f"{residents}, by mail"),
        "affected": ("Total number of individuals affected", f"{f.total_affected:,}"),
        "what_we_are_doing": ("Steps taken and planned", c.what_we_are_doing),
        "individual_notice_date": (
            "Date of the notice to individuals",
            c.individual_notice_date or missing_marker("individual_notice_date"),
        ),
        "distribution": ("How the notice to individuals is distributed", distribution),
        "template_letter": (
            "Copy of the notice",
            "A copy of the notice sent to residents is attached",
        ),
        "identity_services": (
            "Services offered to affected individuals",
            " ".join(c.identity_offer) or missing_marker("identity_services"),
        ),
        "contact_name": ("Contact person", c.contact_name or missing_marker("contact_name")),
        "address": ("Organisation's name and address", address),
        "entity_type": ("Type of entity", _entity_type(c)),
        "responsible_person": (
            "Person responsible (if known)",
            d.persons_involved or "Not known",
        ),
        "law_enforcement": (
            "Law enforcement engaged",
            "Yes: a law-enforcement agency asked that notice be delayed"
            if f.holds
            else missing_marker("law_enforcement"),
        ),
        "resident_names": (
            f"Names of the affected {j.name} residents",
            f"Enclosed: the names of the {n:,} affected {j.name} residents, sent by secure "
            "means and not printed in this draft"
            if n
            else missing_marker("resident_names"),
        ),
        "exposure_window": ("Time frame of the exposure", window),
        "safeguards": (
            "Safeguards in place before the breach",
            "; ".join(d.safeguards) or missing_marker("safeguards"),
        ),
        "wisp": ("Written information security program", missing_marker("wisp")),
        "wisp_updates": (
            "Updates to the written information security program",
            missing_marker("wisp_updates"),
        ),
        "credit_monitoring_certification": (
            "Credit monitoring certification",
            missing_marker("credit_monitoring_certification"),
        ),
        "monetary_impact": ("Estimated monetary impact", missing_marker("monetary_impact")),
    }
    label, value = answers[key]
    return Field(label, value)


def _facts_on_record(c: NoticeContext, j: Jurisdiction) -> tuple[Field, ...]:
    keys = (
        "what_happened",
        "breach_date",
        "discovery_date",
        "state_affected",
        "affected",
        "phi_types",
        "what_we_are_doing",
        "individual_notice_date",
    )
    return tuple(_answer(k, c, j) for k in keys)


def _due(c: NoticeContext, d: Duty) -> str:
    o = next((o for o in c.result.obligations if o.rule_id == d.rule_id), None)
    if o is None:  # why, in the drafter's notes (why_not_owed)
        return "Not owed for these facts"
    if o.due is not None:
        return f"By {format_date(o.due)}"
    standard = _CONFIDENCE.sub("", o.standard or "").strip()
    if not standard or "unsure" in standard or "memory" in standard:
        return "Without unreasonable delay (no fixed day count)"
    return standard[0].upper() + standard[1:]


# The data's confidence remarks ("(unsure)", "(memory)"): for the app's pages, never a filing.
_CONFIDENCE = re.compile(r"\s*\((?:unsure|memory)[^)]*\)")


def with_state_filing(c: NoticeContext) -> NoticeContext:
    """The sections and notes of a State regulator's notice; `c.state` names the duty (TX2)."""
    found = regulator_duties().get(c.state or "")
    if found is None:
        extra = {**c.extra, "addressee": (), "duty_id": "", "recipient": "", "others": ()}
        return replace(c, notes=(NOT_CHOSEN,), extra={**extra, "jurisdiction_citation": ""})
    j, d = found
    c = replace(
        c,
        state=j.code,
        state_name=j.name,
        state_affected=f"{c.facts.residents(j.code):,}",
        title=title_for(d.rule_id, c.title),
    )
    keys = duty_elements(d)
    filing = Section(
        "Filing",
        (
            Field("Recipient", d.recipient),
            Field("How to file", how_to_file(d, j)),
            Field("When", _due(c, d)),
            Field("Law", j.citation),
        ),
    )
    body = (
        Section("Content the law asks for", tuple(_answer(k, c, j) for k in keys))
        if keys
        else Section("Facts on record for the form", _facts_on_record(c, j))
    )
    notes = [ITEM_NOTES[i] for i in content_items(d) if ITEM_NOTES.get(i)]
    notes += [
        f"Not owed for these facts: {n.reason}"
        for n in c.result.not_required
        if n.rule_id == d.rule_id
    ][:1]
    others = [
        o.rule_id
        for o in c.result.obligations
        if o.rule_id in regulator_duties() and o.rule_id != d.rule_id
    ]
    if others:
        notes.append(
            "Other State regulator notices owed for these facts, each drafted on its own: "
            + ", ".join(others)
            + "."
        )
    if not keys:
        notes.append(NO_CONTENT_NOTE)
    extra = {
        **c.extra,
        "addressee": (f"{d.recipient}, {j.name}",),
        "duty_id": d.rule_id,
        "recipient": d.recipient,
        "jurisdiction_citation": j.citation,
        "others": tuple(others),
    }
    return replace(c, sections=(filing, body), notes=tuple(notes), extra=extra)


def title_for(rule_id: str, default: str) -> str:
    """A State regulator's notice by its recipient ("Notice to the Attorney General (Consumer
    Protection Division) (Texas)"), another State's resident notice by its residents ("Notice to
    Massachusetts residents"); any other notice keeps its kind's title."""
    found = regulator_duties().get(rule_id)
    if found is None:
        code = resident_duties().get(rule_id)
        return f"Notice to {JURISDICTIONS[code].name} residents" if code else default
    j, d = found
    return f"Notice to the {d.recipient} ({j.name})"


def duty_of(c: NoticeContext) -> Duty | None:
    found = regulator_duties().get(str(c.extra.get("duty_id", "")))
    return found[1] if found else None
