"""Drafting entry points: facts, organisation and details in; a checked draft out.

`draft` is what the CLI (and later the web app) calls; `draft_letters` merges one letter per
recipient. The Jinja environment is passed in, so this module holds no paths.
"""

from __future__ import annotations

from collections.abc import Iterable

from jinja2 import Environment

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import IncidentFacts
from incident_tracker.core.jurisdictions.registry import BY_CODE
from incident_tracker.core.notices.content import kind_content, owner
from incident_tracker.core.notices.context import NoticeContext, build_context
from incident_tracker.core.notices.details import NoticeDetails, Organisation, Recipient
from incident_tracker.core.notices.filings import with_filing_sections
from incident_tracker.core.notices.kinds import NoticeKind
from incident_tracker.core.notices.render import NoticeDraft, append_appendix, render
from incident_tracker.core.notices.state_filings import duty_elements, duty_of, regulator_duties
from incident_tracker.core.notices.worksheets import MEDIA_THRESHOLD
from incident_tracker.core.obligations import Result
from incident_tracker.core.states import JURISDICTIONS


class NoticeError(ValueError):
    """A notice that cannot be drafted as asked (e.g. which State's media notice)."""


def media_states(facts: IncidentFacts) -> list[str]:
    """States with more than 500 affected residents: one press release each (164.406)."""
    return [s for s, n in facts.affected_by_state if n > MEDIA_THRESHOLD]


def choose_state(facts: IncidentFacts, kind: NoticeKind, state: str | None) -> str | None:
    """The media notice's State: as given, else the only qualifying State, else an error.
    Another State's regulator notice: the duty (TX2) as given, or the first owed (of the State
    given, or of the incident)."""
    if kind is NoticeKind.STATE_REGULATOR:
        return _regulator_duty(facts, state)
    if kind is not NoticeKind.MEDIA:
        return state
    if state:
        return state.strip().upper()
    qualifying = media_states(facts)
    if len(qualifying) == 1:
        return qualifying[0]
    if not qualifying:
        raise NoticeError(
            "media notice: no State has more than 500 affected residents, so 45 CFR 164.406 "
            "requires no media notice; give --state XX to draft one anyway"
        )
    raise NoticeError(
        "media notice: one press release per State with more than 500 affected residents "
        f"(45 CFR 164.406); choose one with --state: {', '.join(qualifying)}"
    )


def _regulator_duty(facts: IncidentFacts, given: str | None) -> str:
    """The duty as given (TX2); else the first owed of the State given, or of the incident; else
    the State's first regulator duty; "" when there is none (the draft then says so)."""
    wanted = (given or "").strip().upper()
    if wanted in regulator_duties():
        return wanted
    owed = [o.rule_id for o in compute(facts).obligations if o.rule_id in regulator_duties()]
    if wanted in JURISDICTIONS:
        owed = [r for r in owed if regulator_duties()[r][0].code == wanted]
        owed = owed or [d.rule_id for d in JURISDICTIONS[wanted].duties if d.role == "regulator"]
    return owed[0] if owed else ""


def prepare(
    facts: IncidentFacts,
    org: Organisation,
    details: NoticeDetails,
    kind: NoticeKind,
    state: str | None = None,
    result: Result | None = None,
) -> NoticeContext:
    """The full context of one notice, worksheet sections included."""
    return with_filing_sections(build_context(facts, org, details, kind, state, result))


def draft(
    env: Environment,
    facts: IncidentFacts,
    org: Organisation,
    details: NoticeDetails,
    kind: NoticeKind,
    state: str | None = None,
    recipient: Recipient | None = None,
) -> NoticeDraft:
    """Render and check one notice. A notice that carries the template letter sent to residents
    (the NY agencies', as § 899-aa(8)(a) requires) reports that letter's gaps as its own."""
    ctx = prepare(facts, org, details, kind, choose_state(facts, kind, state))
    own = kind_content(kind)
    if recipient is not None and own is not None and own.unaddressed:
        raise NoticeError(f"{kind.value}: {own.unaddressed}")
    if recipient is not None:
        ctx = ctx.with_recipient(recipient)
    result = render(env, ctx)
    if carries_letter(ctx):
        letter = prepare(facts, org, details, NoticeKind.INDIVIDUAL, result=ctx.result)
        result = append_appendix(
            result,
            render(env, letter),
            "template letter",
            f"Attachment: copy of the template notice sent to affected {_residents(ctx)} residents",
        )
    return result


def carries_letter(ctx: NoticeContext) -> bool:
    """A jurisdiction's notice that carries the letter (its folder says so), or a State
    regulator's notice whose listed content includes a copy of it."""
    own = kind_content(ctx.kind)
    if own is not None:
        return own.carries_letter
    d = duty_of(ctx) if ctx.kind is NoticeKind.STATE_REGULATOR else None
    return d is not None and "template_letter" in duty_elements(d)


def _residents(ctx: NoticeContext) -> str | None:
    """Whose residents the attached letter went to: the kind's jurisdiction, or the State's."""
    code = owner(ctx.kind)
    return BY_CODE[code].name if code else ctx.state_name


def draft_letters(
    env: Environment,
    facts: IncidentFacts,
    org: Organisation,
    details: NoticeDetails,
    recipients: Iterable[Recipient],
    kind: NoticeKind = NoticeKind.INDIVIDUAL,
) -> list[NoticeDraft]:
    """One letter per recipient (a mail merge); the context is prepared once."""
    ctx = prepare(facts, org, details, kind)
    return [render(env, ctx.with_recipient(r)) for r in recipients]
