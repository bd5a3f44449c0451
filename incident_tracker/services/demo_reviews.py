"""The demo's risk assessments and notice reviews (issues 7 and 9), so a new user sees both features
live: a signed assessment and one stopped mid-walk, a notice in legal review with a comment, and a
notice approved and recorded as sent. Every step is the real service acting as the demo officer or
legal reviewer, at the seed's own time (`call.now`), inside the seed's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from sqlmodel import select

from incident_tracker.core import wizard
from incident_tracker.core.assessment.questions import Kind
from incident_tracker.core.notices.markup import paragraphs
from incident_tracker.db.models import Incident, Notice, ObligationRecord, User
from incident_tracker.services import (
    assessments,
    notice_comments,
    notice_details,
    notice_review,
    notice_versions,
    sending,
)
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.register import local_today

SIGNER = "Privacy Officer (demo)"

# "Chart notes pasted into a consumer AI chatbot": a vendor with no BAA that keeps what it is
# given, so every factor is documented and the conclusion is to notify (45 CFR 164.402(2)).
CHATBOT_ASSESSMENT: dict[str, object] = {
    "approach": "assess",
    "encrypted": "no",
    "destruction": "none",
    "ei_workforce": "yes",
    "ei_unintentional": "no",
    "ei_good_faith": "yes",
    "ei_scope": "no",
    "ei_no_further": "no",
    "eii_authorized_sender": "yes",
    "eii_authorized_recipient": "no",
    "eii_inadvertent": "no",
    "eii_no_further": "no",
    "eiii_good_faith_belief": "no",
    "fi_identifiers": ["direct_identifiers", "clinical"],
    "fi_clinical_detail": "detailed",
    "fi_reidentification": "identified",
    "fi_rating": "high",
    "fi_evidence": "47 progress notes: names, dates of birth, diagnoses and treatment plans.",
    "fii_recipient": "known_other",
    "fii_obligated": "no",
    "fii_can_reidentify": "yes",
    "fii_rating": "high",
    "fii_evidence": "A consumer AI service with no business associate agreement; its terms let "
    "it keep and review what users paste.",
    "fiii_acquired_viewed": "yes",
    "fiii_evidence_kind": "logs",
    "fiii_rating": "high",
    "fiii_evidence": "The browser history and the service's export show the notes were sent and "
    "answered.",
    "fiv_steps": ["other"],
    "fiv_assurance": "none",
    "fiv_credibility": "not_applicable",
    "fiv_complete": "none",
    "fiv_rating": "high",
    "fiv_evidence": "The chat was deleted from the account; the vendor gives no assurance that "
    "its copies are deleted.",
    "chosen_outcome": "notify",
    "ny_inadvertent_authorized": "no",
    "ny_not_likely_misuse": "no",
}
CHATBOT_REVIEW = (
    "Agree with notify: factors (ii) and (iv) alone rule out a low probability. Keep the vendor's "
    "terms of service with this record (164.530(j))."
)

# "835/837 batch sent to the wrong payer": the payer is a covered entity; the officer has walked
# up to factor (iii) and waits for the payer's attestation before answering factor (iv).
PAYER_DRAFT: dict[str, object] = {
    "approach": "assess",
    "encrypted": "no",
    "destruction": "none",
    "ei_workforce": "yes",
    "ei_unintentional": "yes",
    "ei_good_faith": "yes",
    "ei_scope": "yes",
    "ei_no_further": "no",
    "eii_authorized_sender": "yes",
    "eii_authorized_recipient": "no",
    "eii_inadvertent": "yes",
    "eii_no_further": "yes",
    "eiii_good_faith_belief": "no",
    "fi_identifiers": ["direct_identifiers", "ssn", "insurance", "clinical"],
    "fi_clinical_detail": "limited",
    "fi_reidentification": "identified",
    "fi_rating": "high",
    "fi_evidence": "1,975 members: names, dates of birth, SSNs, member IDs, claim lines with "
    "diagnosis codes.",
    "fii_recipient": "covered_entity",
    "fii_obligated": "yes",
    "fii_can_reidentify": "yes",
    "fii_rating": "low",
    "fii_evidence": "Another health plan, a HIPAA covered entity bound by the Privacy Rule.",
    "fiii_acquired_viewed": "yes",
    "fiii_evidence_kind": "logs",
    "fiii_rating": "medium",
    "fiii_evidence": "The payer's clearinghouse loaded the batch and rejected it two days later.",
}
DRAFT_STOPS_BEFORE = "factor_iv"

# The notice details (45 CFR 164.404(c)(1)); the chatbot letter's date is left for when the law
# enforcement delay ends, so its content check shows the gap while legal reviews it.
CHATBOT_DETAILS = {
    "what_happened": "A member of our staff pasted clinic notes about you into a public AI "
    "chatbot to summarise them. The service has no agreement with us to protect health "
    "information.",
    "what_we_are_doing": "We deleted the conversation, blocked the service on our network and "
    "are retraining staff on the approved tools.",
    "what_you_can_do": "Be wary of unexpected calls or e-mails about your care; we will never ask "
    "for your password or payment details by e-mail.",
}
CHATBOT_NOTICE_REVIEW = (
    "Name the AI service and say plainly that it is not one of our vendors; readers will ask."
)
REMITTANCE_DETAILS = {
    "what_happened": "An employee e-mailed remittance files with your name, member ID and claim "
    "details to a personal e-mail account.",
    "what_we_are_doing": "The employee deleted the files and signed a statement saying so; we now "
    "block sending files to personal e-mail addresses.",
    "what_you_can_do": "If you would like a copy of the claim information involved, call us and "
    "we will send it to you.",
}


def _as(call: Call, user: User) -> Call:
    """The same transaction and time, acting as a demo user (their role's permissions apply)."""
    return replace(call, actor=Actor(user.id, user.email, user.role))


def _walk(call: Call, incident: Incident, answers: Mapping[str, object], stop: str) -> None:
    """Save each step as the wizard would, until `stop` (or the signature) is next."""
    key = "approach"
    while key not in (stop, assessments.SIGN):
        step = wizard.find(key)
        assert step is not None
        submitted = {
            q.key: answers.get(q.key, [] if q.kind is Kind.MULTI else "") for q in step.questions
        }
        key = assessments.save_step(call, incident, key, submitted)


def _obligation(call: Call, incident: Incident, rule: str) -> int:
    found = call.session.exec(
        select(ObligationRecord).where(
            ObligationRecord.incident_id == incident.id,
            ObligationRecord.rule_id == rule,
            ObligationRecord.live == True,  # noqa: E712
        )
    ).one()
    return found.id or 0


def _details(call: Call, incident: Incident, values: Mapping[str, str]) -> None:
    form = {name: "" for name in notice_details.FORM_FIELDS} | dict(values)
    notice_details.save(call, incident, form, notice_details.revision_of(call, incident))


def _draft_f1(call: Call, incident: Incident) -> Notice:
    notice = notice_versions.create(call, incident, _obligation(call, incident, "F1"))
    notice_review.submit(call, incident, notice, 1)
    return notice


def seed(
    call: Call,
    officer: User,
    reviewer: User,
    incidents: Mapping[str, Incident],
    storage: Path,
) -> None:
    """`incidents` by demo role: "signed", "draft", "in_review" and "sent"."""
    today = local_today(call)
    as_officer, as_reviewer = _as(call, officer), _as(call, reviewer)

    signed = incidents["signed"]
    _walk(as_officer, signed, CHATBOT_ASSESSMENT, assessments.SIGN)
    record = assessments.sign(as_officer, signed, SIGNER, True)
    assessments.comment(as_reviewer, signed, record.version, CHATBOT_REVIEW)

    _walk(as_officer, incidents["draft"], PAYER_DRAFT, DRAFT_STOPS_BEFORE)

    in_review = incidents["in_review"]
    _details(as_officer, in_review, CHATBOT_DETAILS)
    notice = _draft_f1(as_officer, in_review)
    version = notice_versions.latest(as_reviewer, notice)
    anchor = next(
        i
        for i, text in enumerate(paragraphs(version.text))
        if text.startswith(CHATBOT_DETAILS["what_happened"])
    )
    notice_comments.start_thread(
        as_reviewer, in_review, notice, version.number, anchor, CHATBOT_NOTICE_REVIEW
    )

    sent = incidents["sent"]
    _details(as_officer, sent, {**REMITTANCE_DETAILS, "notice_date": today.isoformat()})
    notice = _draft_f1(as_officer, sent)
    approval = notice_review.approve(
        as_reviewer, sent, notice, notice_review.ApprovalInput(1, False, ""), storage, False
    )
    sending.record_sent(
        as_officer,
        sent,
        notice.obligation_id,
        sending.SentInput(
            today,
            "mail",
            200,
            "USPS first-class, 200 pieces",
            notice_version_id=approval.version_id,
        ),
    )
