"""Risk assessments: a draft saved after every step, signing, reopening, comments.

Signing is one transaction: the immutable record (version n + 1, superseding n), the incident's
engine facts (the incident JSON format (README.md, Calculator)), the recomputed obligations and the
audit row, or nothing at all.
Privacy officers draft (ASSESS_RISK) and sign (SIGN_ASSESSMENT); legal reviewers read and comment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from incident_tracker.core import risk, wizard
from incident_tracker.core.assessment.answers import Situation
from incident_tracker.core.assessment.questions import Kind, Step
from incident_tracker.core.assessment.steps import ATTESTATION
from incident_tracker.core.engine import compute
from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.obligations import Result
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import (
    AssessmentComment,
    AssessmentDraft,
    AssessmentRecord,
    Incident,
    User,
)
from incident_tracker.services import lifecycle, obligations
from incident_tracker.services.call import Call
from incident_tracker.services.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from incident_tracker.services.register import local_today

SIGN = "sign"
# The incident's assessment facts: HIPAA's, then each State determination's (core/risk.py).
FACT_FIELDS = (
    "risk_assessment",
    "exception",
    "phi_encrypted",
    "encryption_key_compromised",
    *(d.fact for d in risk.determinations()),
)
MAX_COMMENT = 4000


class StepNotOpen(DomainError):
    """A step asked for before the steps it depends on are complete (or one that does not apply)."""

    status = 409

    def __init__(self, resume: str) -> None:
        super().__init__("answer the earlier steps first")
        self.resume = resume


def situation(call: Call, incident: Incident) -> Situation:
    """The incident's recorded facts, as the walk needs them."""
    try:
        facts = parse_incident(obligations.facts_object(call, incident))
    except FactsError as exc:  # the incident form validates first; this guards other paths
        raise ValidationFailed({"incident": "; ".join(exc.problems)}) from exc
    return wizard.situation_of(facts)


def draft_of(call: Call, incident: Incident) -> AssessmentDraft | None:
    return call.session.exec(
        select(AssessmentDraft).where(AssessmentDraft.incident_id == incident.id)
    ).first()


def records(call: Call, incident: Incident) -> list[AssessmentRecord]:
    return list(
        call.session.exec(
            select(AssessmentRecord)
            .where(AssessmentRecord.incident_id == incident.id)
            .order_by(col(AssessmentRecord.version))
        )
    )


def latest(call: Call, incident: Incident) -> AssessmentRecord | None:
    return call.session.exec(
        select(AssessmentRecord)
        .where(AssessmentRecord.incident_id == incident.id)
        .order_by(col(AssessmentRecord.version).desc())
    ).first()


def answers_of(draft: AssessmentDraft | None) -> dict[str, object]:
    return dict(json.loads(draft.answers)) if draft else {}


# -- the walk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Walk:
    """What the wizard page needs: where the walk stands and what was answered."""

    incident: Incident
    situation: Situation
    answers: dict[str, object]
    draft: AssessmentDraft | None
    latest: AssessmentRecord | None
    steps: tuple[Step, ...]  # the steps that apply now, in order
    resume: str

    def reachable(self, key: str) -> bool:
        return wizard.reachable(key, self.answers, self.situation)


def walk(call: Call, incident: Incident) -> Walk:
    call.require(Action.ASSESS_RISK)
    draft = draft_of(call, incident)
    answers = answers_of(draft)
    where = situation(call, incident)
    return Walk(
        incident,
        where,
        answers,
        draft,
        latest(call, incident),
        wizard.applicable(answers, where),
        wizard.resume_step(answers, where),
    )


def _normalise(step: Step, submitted: Mapping[str, object]) -> dict[str, object]:
    """This step's answers from the form: text stripped, choices as given, lists as lists."""
    out: dict[str, object] = {}
    for q in step.questions:
        raw = submitted.get(q.key)
        if q.kind is Kind.MULTI:
            values = raw if isinstance(raw, (list, tuple)) else ([raw] if raw else [])
            out[q.key] = [str(v) for v in values if str(v)]
        else:
            out[q.key] = str(raw).strip() if raw is not None else ""
    return out


def save_step(
    call: Call, incident: Incident, step_key: str, submitted: Mapping[str, object]
) -> str:
    """Validate and save one step's answers into the draft; returns the step to show next."""
    call.require(Action.ASSESS_RISK)
    step = wizard.find(step_key)
    if step is None or step_key == SIGN:
        raise NotFound("no such step")
    where = situation(call, incident)
    draft = draft_of(call, incident)
    answers = answers_of(draft)
    if not wizard.reachable(step_key, answers, where):
        raise StepNotOpen(wizard.resume_step(answers, where))
    merged = {**answers, **_normalise(step, submitted)}
    problems = wizard.validate_step(step, merged, where)
    if problems:
        raise ValidationFailed(problems)
    resume = wizard.resume_step(merged, where)
    if draft is None:
        draft = AssessmentDraft(
            incident_id=incident.id or 0,
            step=resume,
            answers="{}",
            based_on_version=None,
            started_by=call.actor.user_id,
            started_at=call.now,
            updated_at=call.now,
        )
        call.audit("assessment.draft_start", object_type="incident", object_id=incident.id)
        lifecycle.assessment_started(call, incident)
    draft.answers = json.dumps(merged, sort_keys=True)
    draft.step = resume
    draft.updated_by = call.actor.user_id
    draft.updated_at = call.now
    call.session.add(draft)
    call.audit(
        "assessment.step_save", object_type="incident", object_id=incident.id, detail=step_key
    )
    return wizard.next_step(step_key, merged, where) or SIGN


def reopen(call: Call, incident: Incident) -> AssessmentDraft:
    """A new draft, prefilled with the last signed answers; signing it supersedes that version."""
    call.require(Action.ASSESS_RISK)
    if draft_of(call, incident) is not None:
        raise Conflict("a draft is already in progress: resume it, or discard it first")
    last = latest(call, incident)
    if last is None:
        raise Conflict("no signed assessment to reopen: start one instead")
    answers = json.loads(last.answers)
    draft = AssessmentDraft(
        incident_id=incident.id or 0,
        step=wizard.resume_step(answers, situation(call, incident)),
        answers=last.answers,
        based_on_version=last.version,
        started_by=call.actor.user_id,
        started_at=call.now,
        updated_by=call.actor.user_id,
        updated_at=call.now,
    )
    call.session.add(draft)
    call.audit(
        "assessment.reopen",
        object_type="incident",
        object_id=incident.id,
        new={"based_on_version": last.version},
    )
    return draft


def discard(call: Call, incident: Incident) -> None:
    call.require(Action.ASSESS_RISK)
    draft = draft_of(call, incident)
    if draft is None:
        raise NotFound("no draft to discard")
    call.audit(
        "assessment.draft_discard",
        object_type="incident",
        object_id=incident.id,
        old={"step": draft.step, "based_on_version": draft.based_on_version},
    )
    call.session.delete(draft)


# -- what signing will do ----------------------------------------------------------------------


@dataclass(frozen=True)
class Duty:
    rule_id: str
    state: str
    recipient: str
    due: date | None
    citation: str


@dataclass(frozen=True)
class Preview:
    """The facts signing would set and the obligations before and after (the real engine)."""

    conclusion: risk.RiskConclusion
    decision: risk.Decision
    facts: risk.SignedFacts
    signed_on: date
    reasons: tuple[risk.Reason, ...]
    removed: tuple[Duty, ...]
    added: tuple[Duty, ...]
    kept: tuple[Duty, ...]
    cautions: tuple[str, ...] = ()  # answers that contradict a fact the signature does not set


def _duties(result: Result) -> dict[tuple[str, str], Duty]:
    return {
        (o.rule_id, o.state or ""): Duty(o.rule_id, o.state or "", o.recipient, o.due, o.citation)
        for o in result.obligations
        if o.kind.value == "legal"
    }


def _signed_facts(
    call: Call, incident: Incident, answers: Mapping[str, object], where: Situation, signed_on: date
) -> risk.SignedFacts:
    shown = {s.key for s in wizard.applicable(answers, where)}
    facts = risk.signed_facts(answers, where, signed_on, shown)
    return _keep_determination_dates(latest(call, incident), facts)


def _keep_determination_dates(
    previous: AssessmentRecord | None, facts: risk.SignedFacts
) -> risk.SignedFacts:
    """NY2 runs 10 days from the § 899-aa(2)(a) determination (docs/law/new-york.md;
    docs/law/rules.md NY2): re-signing
    the same determination must not restart it, so a determination the superseded version
    already carried keeps its first date (likewise the NJ 56:8-163(a) one). A version that makes
    it anew (the previous did not carry it) is dated its own signing."""
    if previous is None:
        return facts
    before = json.loads(previous.facts).get("after", {})

    def first(name: str, now: date | str | None) -> date | str | None:
        earlier = before.get(name)
        if isinstance(now, date) and earlier:
            return min(date.fromisoformat(earlier), now)
        return now

    dated = {d.fact for d in risk.determinations() if d.dated}
    return replace(
        facts,
        determinations=tuple(
            (fact, first(fact, now) if fact in dated else now) for fact, now in facts.determinations
        ),
    )


def preview(call: Call, incident: Incident, answers: Mapping[str, object]) -> Preview:
    where = situation(call, incident)
    signed_on = local_today(call)
    conclusion = risk.assess(answers, where)
    decision = risk.decision_of(answers, conclusion)
    facts = _signed_facts(call, incident, answers, where, signed_on)
    data = obligations.facts_object(call, incident)
    before = _duties(compute(parse_incident(data)))
    try:
        after = _duties(compute(parse_incident({**data, **facts.to_json()})))
    except FactsError:
        after = before
    return Preview(
        conclusion,
        decision,
        facts,
        signed_on,
        conclusion.reasons + risk.state_reasons(facts, where, decision),
        tuple(d for k, d in before.items() if k not in after),
        tuple(d for k, d in after.items() if k not in before),
        tuple(d for k, d in after.items() if k in before),
        _cautions(incident, answers),
    )


def _cautions(incident: Incident, answers: Mapping[str, object]) -> tuple[str, ...]:
    """Signing sets the the incident JSON format (README.md, Calculator) assessment facts, not
    `acquired`: when factor (iii) finds the
    PHI neither acquired nor viewed but the incident records an acquisition, the engine (and
    Cal. Civ. Code 1798.82, which turns on acquisition) still counts one. Say so before signing."""
    if answers.get("fiii_acquired_viewed") == risk.NO and incident.acquired:
        return (
            "Factor (iii) finds the PHI was neither acquired nor viewed, but the incident's facts "
            "record it as acquired, and the deadline engine uses the incident's facts (state laws "
            "such as Cal. Civ. Code 1798.82 turn on acquisition). If the assessment is right, "
            "correct the incident's facts as well.",
        )
    return ()


# -- signing -----------------------------------------------------------------------------------


def _fact_values(incident: Incident) -> dict[str, Any]:
    values = {name: getattr(incident, name) for name in FACT_FIELDS}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def sign(call: Call, incident: Incident, signer_name: str, attested: bool) -> AssessmentRecord:
    """Sign the draft: the next immutable version, the incident's facts, the obligations
    recomputed and the audit row, in the caller's one transaction."""
    call.require(Action.SIGN_ASSESSMENT)
    if call.actor.user_id is None:
        raise Forbidden("only a signed-in privacy officer can sign")
    draft = draft_of(call, incident)
    if draft is None:  # e.g. the signature form sent twice
        raise Conflict("there is no draft to sign: it was signed or discarded already")
    answers = answers_of(draft)
    where = situation(call, incident)
    errors: dict[str, str] = {}
    name = " ".join(signer_name.split())
    if not name:
        errors["signer_name"] = "type your full name: it is your signature"
    elif len(name) > 200:
        errors["signer_name"] = "shorten your name to 200 characters"
    if not attested:
        errors["attest"] = "tick the attestation to sign"
    unfinished = wizard.validate_walk(answers, where)
    if unfinished:
        errors["walk"] = "; ".join(f"{s.title}: {m}" for s, _, m in unfinished)
    if errors:
        raise ValidationFailed(errors)
    signed_on = local_today(call)
    conclusion = risk.assess(answers, where)
    decision = risk.decision_of(answers, conclusion)
    facts = _signed_facts(call, incident, answers, where, signed_on)
    before = _fact_values(incident)
    previous = latest(call, incident)
    version = previous.version + 1 if previous else 1
    reasons = conclusion.reasons + risk.state_reasons(facts, where, decision)
    record = AssessmentRecord(
        incident_id=incident.id or 0,
        version=version,
        supersedes_id=previous.id if previous else None,
        approach="notify" if conclusion.no_assessment else "assess",
        proposed_outcome=decision.proposed.value,
        outcome=decision.chosen.value,
        exception=facts.exception.value if facts.exception else None,
        override_reason=decision.override_reason if decision.overrides else "",
        answers=json.dumps(wizard.relevant_answers(answers, where), sort_keys=True),
        reasons=json.dumps([r.to_json() for r in reasons]),
        facts=json.dumps({"before": before, "after": facts.to_json()}, sort_keys=True),
        signer_id=call.actor.user_id,
        signer_name=name,
        signed_on=signed_on,
        signed_at=call.now,
        attestation=ATTESTATION,
        created_at=call.now,
        snapshot=json.dumps(record_head(incident), sort_keys=True),
    )
    call.session.add(record)
    incident.risk_assessment = facts.risk_assessment.value
    incident.exception = facts.exception.value if facts.exception else None
    incident.phi_encrypted = facts.phi_encrypted
    incident.encryption_key_compromised = facts.encryption_key_compromised
    for fact, value in facts.determinations:
        setattr(incident, fact, value)
    incident.updated_at = call.now
    incident.lock_version += 1  # an edit form opened before the signature must not undo it
    call.session.add(incident)
    call.session.delete(draft)
    call.session.flush()
    call.audit(
        "assessment.sign",
        object_type="incident",
        object_id=incident.id,
        old=before,
        new={
            **facts.to_json(),
            "version": version,
            "outcome": decision.chosen.value,
            "proposed_outcome": decision.proposed.value,
            "supersedes_version": previous.version if previous else None,
        },
        detail=f"risk assessment v{version} signed by {name}",
    )
    obligations.recompute(call, incident, f"risk assessment v{version} signed: {record.outcome}")
    lifecycle.assessment_signed(call, incident, version)
    return record


# -- reading and commenting --------------------------------------------------------------------


def comment(call: Call, incident: Incident, version: int | None, body: str) -> AssessmentComment:
    """Legal reviewers (and officers) comment on a signed version or on the draft."""
    call.require(Action.COMMENT)
    text = body.strip()
    if not text:
        raise ValidationFailed({"body": "write a comment"})
    if len(text) > MAX_COMMENT:
        raise ValidationFailed({"body": f"shorten the comment to {MAX_COMMENT:,} characters"})
    if version is not None and version not in {r.version for r in records(call, incident)}:
        raise NotFound("no such assessment version")
    if call.actor.user_id is None:
        raise Forbidden("only a signed-in user can comment")
    row = AssessmentComment(
        incident_id=incident.id or 0,
        version=version,
        author_id=call.actor.user_id,
        body=text,
        created_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "assessment.comment",
        object_type="incident",
        object_id=incident.id,
        detail=f"on {'the draft' if version is None else f'v{version}'}",
    )
    return row


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str


@dataclass(frozen=True)
class StepRows:
    title: str
    citation: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class CommentRow:
    author: str
    at: datetime
    body: str


@dataclass(frozen=True)
class RecordPage:
    """A signed version (or the draft, `record` None) as an OCR investigator would read it."""

    incident: Incident
    record: AssessmentRecord | None
    steps: tuple[StepRows, ...]
    reasons: tuple[risk.Reason, ...]
    proposed: str
    chosen: str
    exception: str | None
    override_reason: str
    facts_before: dict[str, Any]
    facts_after: dict[str, Any]
    signer_email: str | None
    superseded_by: int | None  # the version that replaced this one
    supersedes: int | None
    comments: tuple[CommentRow, ...]
    versions: tuple[AssessmentRecord, ...]
    draft_step: str | None = None
    # The incident facts the record's header prints: frozen at signing for a signed version.
    head: dict[str, str] = field(default_factory=dict)


def record_head(incident: Incident) -> dict[str, str]:
    """The incident facts a record prints, as they stand now (frozen into a signed record)."""
    return {
        "number": incident.number,
        "title": incident.title,
        "discovered_on": incident.discovered_on.isoformat(),
        "occurred_on": incident.occurred_on.isoformat() if incident.occurred_on else "",
    }


def answer_rows(answers: Mapping[str, object]) -> tuple[StepRows, ...]:
    """Every question that has an answer, in walk order, with the answer in words."""
    out = []
    for step in wizard.STEPS:
        rows = []
        for q in step.questions:
            if q.key not in answers:
                continue
            value = answers[q.key]
            if q.kind is Kind.MULTI:
                values = value if isinstance(value, list) else []
                shown = "; ".join(q.label_of(str(v)) for v in values) or "(none chosen)"
            elif q.kind is Kind.TEXT:
                shown = str(value) or "(left blank)"
            else:
                shown = q.label_of(str(value)) if value else "(not answered)"
            rows.append(AnswerRow(q.text, shown))
        if rows:
            out.append(StepRows(step.title, step.citation, tuple(rows)))
    return tuple(out)


def _comments(call: Call, incident: Incident, version: int | None) -> tuple[CommentRow, ...]:
    query = select(AssessmentComment, User).where(
        AssessmentComment.incident_id == incident.id,
        col(AssessmentComment.author_id) == col(User.id),
    )
    query = query.where(
        col(AssessmentComment.version).is_(None)
        if version is None
        else AssessmentComment.version == version
    )
    rows = call.session.exec(query.order_by(col(AssessmentComment.id))).all()
    return tuple(CommentRow(user.email, c.created_at, c.body) for c, user in rows)


def record_page(call: Call, incident: Incident, version: int) -> RecordPage:
    """A signed version; viewing it is audited like an incident view (164.312(b))."""
    all_records = records(call, incident)
    found = next((r for r in all_records if r.version == version), None)
    if found is None:
        raise NotFound("no such assessment version")
    later = next((r for r in all_records if r.supersedes_id == found.id), None)
    earlier = next((r for r in all_records if r.id == found.supersedes_id), None)
    facts = json.loads(found.facts)
    signer = call.session.get(User, found.signer_id)
    return RecordPage(
        incident=incident,
        record=found,
        steps=answer_rows(json.loads(found.answers)),
        reasons=tuple(risk.Reason(r["text"], r["citation"]) for r in json.loads(found.reasons)),
        proposed=risk.OUTCOME_LABELS[risk.Outcome(found.proposed_outcome)],
        chosen=risk.OUTCOME_LABELS[risk.Outcome(found.outcome)],
        exception=found.exception,
        override_reason=found.override_reason,
        facts_before=facts["before"],
        facts_after={k: facts["after"].get(k) for k in FACT_FIELDS},
        signer_email=signer.email if signer else None,
        superseded_by=later.version if later else None,
        supersedes=earlier.version if earlier else None,
        comments=_comments(call, incident, version),
        versions=tuple(all_records),
        # Records signed before snapshots were kept show the live facts (nothing else is known).
        head=json.loads(found.snapshot) if found.snapshot else record_head(incident),
    )


def draft_page(call: Call, incident: Incident) -> RecordPage | None:
    """The draft as it stands, for reviewers to read and comment on before it is signed."""
    draft = draft_of(call, incident)
    if draft is None:
        return None
    answers = answers_of(draft)
    where = situation(call, incident)
    shown = preview(call, incident, answers)
    return RecordPage(
        incident=incident,
        record=None,
        steps=answer_rows(wizard.relevant_answers(answers, where)),
        reasons=shown.reasons,
        proposed=risk.OUTCOME_LABELS[shown.decision.proposed],
        chosen=risk.OUTCOME_LABELS[shown.decision.chosen],
        exception=shown.decision.exception.value if shown.decision.exception else None,
        override_reason=shown.decision.override_reason,
        facts_before=_fact_values(incident),
        facts_after=shown.facts.to_json(),
        signer_email=None,
        superseded_by=None,
        supersedes=draft.based_on_version,
        comments=_comments(call, incident, None),
        versions=tuple(records(call, incident)),
        draft_step=draft.step,
        head=record_head(incident),
    )


def record_view(call: Call, incident: Incident, version: int | None, form: str = "page") -> None:
    """Who read which assessment, and when (HIPAA 164.312(b)), as for incident views."""
    which = "draft" if version is None else f"v{version}"
    call.audit(
        "assessment.view", object_type="incident", object_id=incident.id, detail=f"{which} {form}"
    )


# -- the incident page's section ---------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    draft_step: str | None
    draft_step_title: str | None
    draft_updated_at: datetime | None
    draft_based_on: int | None
    records: tuple[AssessmentRecord, ...]

    @property
    def latest(self) -> AssessmentRecord | None:
        return self.records[-1] if self.records else None

    def outcome_label(self, record: AssessmentRecord) -> str:
        return risk.OUTCOME_LABELS[risk.Outcome(record.outcome)]


def summary(call: Call, incident: Incident) -> Summary:
    draft = draft_of(call, incident)
    step = wizard.find(draft.step) if draft else None
    return Summary(
        draft.step if draft else None,
        step.title if step else None,
        draft.updated_at if draft else None,
        draft.based_on_version if draft else None,
        tuple(records(call, incident)),
    )
