"""Notice drafts and their legal review. Thin: parse, call a service, render.

URLs carry only ids and version numbers, never PHI; the notice text travels in POST bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from incident_tracker.core.parsing import whole_number
from incident_tracker.core.permissions import Action
from incident_tracker.core.redline import counts, redline, to_html
from incident_tracker.db.models import Incident, Notice
from incident_tracker.services import (
    incidents,
    notice_comments,
    notice_details,
    notice_drafting,
    notice_facts,
    notice_page,
    notice_review,
    notice_versions,
    sending,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, NotFound, ValidationFailed
from incident_tracker.services.notice_versions import normalise
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("notices", __name__, url_prefix="/incidents/<int:incident_id>")
NOTICE = "/obligations/<int:obligation_id>/notice"


def storage() -> Path:
    """Approved files live outside the web root, beside the attachments."""
    return runtime.settings().notice_storage


def _number(raw: str | None) -> int | None:
    return whole_number(raw)


def _page_url(incident_id: int, obligation_id: int, anchor: str = "") -> str:
    url = url_for("notices.page", incident_id=incident_id, obligation_id=obligation_id)
    return url + (f"#{anchor}" if anchor else "")


def _back(incident_id: int, obligation_id: int, anchor: str = "") -> Response:
    return redirect(_page_url(incident_id, obligation_id, anchor))  # type: ignore[return-value]


def _render_page(
    incident_id: int,
    obligation_id: int,
    number: int | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        page = notice_page.build(
            c, incident, obligation_id, number, runtime.settings().notice_approver_may_be_editor
        )
    return render_template(
        "notices/review/page.html", p=page, errors=errors or {}, form=request.form
    ), status


def _notice(
    c: Call, incident_id: int, obligation_id: int, action: Action, lock: bool = False
) -> tuple[Incident, Notice]:
    """The incident (access-checked for `action`) and the obligation's notice; `lock` for a
    change, so concurrent reviewers are serialised."""
    incident = incidents.load_for(c, incident_id, action)
    return incident, notice_versions.require_notice(c, incident, obligation_id, lock)


@bp.get(NOTICE)
@requires(Action.VIEW_INCIDENT)
def page(incident_id: int, obligation_id: int) -> tuple[str, int]:
    with runtime.call() as c:  # the access check and the audit row of the view
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        found = notice_versions.notice_for(c, incident, obligation_id)
        if found is not None:
            c.audit("notice.view", object_type="notice", object_id=found.id)
        else:  # no draft yet: the page still shows the incident's facts for this duty
            sending.obligation_of(c, incident, obligation_id)  # an unknown duty is a 404
            incidents.record_view(c, incident, f"notice page, obligation {obligation_id}")
    return _render_page(incident_id, obligation_id, _number(request.args.get("version")))


@bp.post(NOTICE)
@requires(Action.EDIT_NOTICE)
def create(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_NOTICE)
            notice_versions.create(c, incident, obligation_id)
    except (ValidationFailed, Conflict) as exc:
        return _render_page(incident_id, obligation_id, None, _errors(exc), exc.status)
    flash("Draft created from the facts and the notice details: version 1.")
    return _back(incident_id, obligation_id)


def _errors(exc: ValidationFailed | Conflict) -> dict[str, str]:
    return dict(getattr(exc, "field_errors", None) or {"form": exc.message})


@bp.get(NOTICE + "/edit")
@requires(Action.EDIT_NOTICE)
def edit(incident_id: int, obligation_id: int) -> tuple[str, int]:
    with runtime.call() as c:  # the access check and the audit row of the view
        _, notice = _notice(c, incident_id, obligation_id, Action.EDIT_NOTICE)
        c.audit("notice.view", object_type="notice", object_id=notice.id, detail="edit form")
    with runtime.call(read_only=True) as c:
        incident, notice = _notice(c, incident_id, obligation_id, Action.EDIT_NOTICE)
        current = notice_versions.latest(c, notice)
        page = notice_page.build(c, incident, obligation_id)
    return _edit_page(page, current.text, current.number, {}, 200)


def _edit_page(
    page: notice_page.NoticePage,
    text: str,
    base: int,
    errors: dict[str, str],
    status: int,
    conflict: dict[str, Any] | None = None,
) -> tuple[str, int]:
    return render_template(
        "notices/review/edit.html", p=page, text=text, base=base, errors=errors, conflict=conflict
    ), status


def _rebased(
    page: notice_page.NoticePage, newest: Any, text: str, started_from: int, exc: Conflict
) -> tuple[str, int]:
    """Someone saved a version while this editor was open: the form now builds on the newest
    version (saving again makes the next one, so the conflict does not repeat), keeps the typed
    text, and shows a redline from their version to it."""
    segments = redline(newest.text, normalise(text))
    counted = counts(segments)
    conflict = {
        "started_from": started_from,
        "their_number": newest.number,
        "html": to_html(segments),
        "inserted": counted.inserted_words,
        "deleted": counted.deleted_words,
    }
    return _edit_page(page, text, newest.number, _errors(exc), exc.status, conflict)


@bp.post(NOTICE + "/versions")
@requires(Action.EDIT_NOTICE)
def save_version(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    text = request.form.get("text", "")
    base = _number(request.form.get("base")) or 0
    try:
        with runtime.call() as c:
            incident, notice = _notice(c, incident_id, obligation_id, Action.EDIT_NOTICE, lock=True)
            made = notice_versions.add_version(c, incident, notice, text, base, "edited")
    except (ValidationFailed, Conflict) as exc:
        with runtime.call(read_only=True) as c:
            incident, notice = _notice(c, incident_id, obligation_id, Action.EDIT_NOTICE)
            page = notice_page.build(c, incident, obligation_id)
            newest = notice_versions.latest(c, notice)
        if isinstance(exc, Conflict) and newest.number != base:
            return _rebased(page, newest, text, base, exc)
        return _edit_page(page, text, base, _errors(exc), exc.status)
    flash(f"Saved as version {made.number}.")
    return _back(incident_id, obligation_id)


@bp.post(NOTICE + "/redraft")
@requires(Action.EDIT_NOTICE)
def redraft(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    base = _number(request.form.get("base")) or 0
    try:
        with runtime.call() as c:
            incident, notice = _notice(c, incident_id, obligation_id, Action.EDIT_NOTICE, lock=True)
            made = notice_versions.regenerate(c, incident, notice, base)
    except (ValidationFailed, Conflict) as exc:
        return _render_page(incident_id, obligation_id, None, _errors(exc), exc.status)
    flash(f"Redrafted from the current facts and details as version {made.number}.")
    return _back(incident_id, obligation_id)


def _move(
    incident_id: int, obligation_id: int, action: Action, what: str
) -> Response | tuple[str, int]:
    number = _number(request.form.get("number")) or 0
    try:
        with runtime.call() as c:
            incident, notice = _notice(c, incident_id, obligation_id, action, lock=True)
            getattr(notice_review, what)(c, incident, notice, number)
    except (ValidationFailed, Conflict) as exc:
        return _render_page(incident_id, obligation_id, None, _errors(exc), exc.status)
    return _back(incident_id, obligation_id, "review")


@bp.post(NOTICE + "/submit")
@requires(Action.EDIT_NOTICE)
def submit(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    """Submit for review to the reviewer chosen (blank: the organisation's default)."""
    number = _number(request.form.get("number")) or 0
    raw = request.form.get("reviewer", "").strip()
    chosen = _number(raw) if raw else None
    try:
        if raw and chosen is None:
            raise ValidationFailed({"reviewer": "choose a legal reviewer from the list"})
        with runtime.call() as c:
            incident, notice = _notice(c, incident_id, obligation_id, Action.EDIT_NOTICE, lock=True)
            notice_review.submit(c, incident, notice, number, chosen)
    except (ValidationFailed, Conflict) as exc:
        return _render_page(incident_id, obligation_id, None, _errors(exc), exc.status)
    flash("Submitted for legal review; the reviewer is notified.")
    return _back(incident_id, obligation_id, "review")


@bp.post(NOTICE + "/request-changes")
@requires(Action.APPROVE_NOTICE)
def request_changes(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    return _move(incident_id, obligation_id, Action.APPROVE_NOTICE, "request_changes")


@bp.post(NOTICE + "/approve")
@requires(Action.APPROVE_NOTICE)
def approve(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    f = request.form
    given = notice_review.ApprovalInput(
        _number(f.get("number")) or 0,
        f.get("override") == "1",
        f.get("reason", "")[:2000],
        f.get("attest") == "1",
    )
    try:
        with runtime.call() as c:
            incident, notice = _notice(
                c, incident_id, obligation_id, Action.APPROVE_NOTICE, lock=True
            )
            notice_review.approve(
                c,
                incident,
                notice,
                given,
                storage(),
                runtime.settings().notice_approver_may_be_editor,
            )
    except (ValidationFailed, Conflict) as exc:
        return _render_page(incident_id, obligation_id, None, _errors(exc), exc.status)
    flash(
        f"Version {given.number} approved and locked; its DOCX and PDF are stored with their "
        "SHA-256."
    )
    return _back(incident_id, obligation_id, "review")


@bp.get(NOTICE + "/redline")
@requires(Action.VIEW_INCIDENT)
def compare(incident_id: int, obligation_id: int) -> tuple[str, int]:
    with runtime.call() as c:
        incident, notice = _notice(c, incident_id, obligation_id, Action.VIEW_INCIDENT)
        latest = notice_versions.latest(c, notice).number
        redraft = request.args.get("to") == "redraft"  # the latest against a redraft now
        old_n = latest if redraft else _number(request.args.get("from")) or max(1, latest - 1)
        new_n = _number(request.args.get("to")) or latest
        old = notice_versions.version(c, notice, old_n)
        page = notice_page.build(c, incident, obligation_id)
        new: Any = (
            Redraft(
                notice_drafting.generate(
                    c, incident, page.kind, notice_drafting.target(page.obligation)
                )
            )
            if redraft
            else notice_versions.version(c, notice, new_n)
        )
        c.audit(
            "notice.redline",
            object_type="notice",
            object_id=notice.id,
            detail=f"v{old_n} to {'a redraft' if redraft else f'v{new_n}'}",
        )
    segments = redline(old.text, new.text)
    return render_template(
        "notices/review/redline.html",
        p=page,
        old=old,
        new=new,
        html=to_html(segments),
        counts=counts(segments),
    ), 200


@dataclass(frozen=True)
class Redraft:
    """What a redraft from the current facts would read (not saved): the compare's right side."""

    text: str
    number: str = "a redraft from the current facts"


@bp.post(NOTICE + "/content-decision")
@requires(Action.RECORD_SENT)
def content_decision(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    """A sent notice differs from the current facts: the officer says whether a correction is
    owed, and why."""
    f = request.form
    owed = {"yes": True, "no": False}.get(f.get("correction_owed", ""))
    try:
        with runtime.call() as c:
            incident, notice = _notice(c, incident_id, obligation_id, Action.RECORD_SENT, True)
            notice_facts.decide(c, incident, notice, owed, f.get("decision_reason", "")[:2001])
    except (ValidationFailed, Conflict) as exc:
        return _render_page(incident_id, obligation_id, None, _errors(exc), exc.status)
    flash("Decision recorded.")
    return _back(incident_id, obligation_id)


@bp.post(NOTICE + "/comments")
@requires(Action.COMMENT)
def comment(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    f = request.form
    body = f.get("body", "")[: notice_comments.MAX_BODY + 1]
    thread = _number(f.get("thread"))
    paragraph = _number(f.get("paragraph"))
    paragraph = -1 if paragraph is None else paragraph
    try:
        with runtime.call() as c:
            incident, notice = _notice(c, incident_id, obligation_id, Action.COMMENT, lock=True)
            if thread is not None:
                notice_comments.reply(c, incident, notice, thread, body)
                anchor = f"thread-{thread}"
            else:
                number = _number(f.get("version")) or notice_versions.latest(c, notice).number
                made = notice_comments.start_thread(
                    c,
                    incident,
                    notice,
                    number,
                    paragraph,
                    body,
                )
                anchor = f"thread-{made.id}"
    except (ValidationFailed, Conflict) as exc:
        errors = {
            f"comment-{f.get('thread') or f.get('paragraph', '')}": "; ".join(_errors(exc).values())
        }
        return _render_page(
            incident_id, obligation_id, _number(f.get("version")), errors, exc.status
        )
    return _back(incident_id, obligation_id, anchor)


@bp.post(NOTICE + "/comments/resolve")
@requires(Action.COMMENT)
def resolve(incident_id: int, obligation_id: int) -> Response:
    thread = _number(request.form.get("thread"))
    if thread is None:
        raise NotFound("no such comment thread")
    with runtime.call() as c:
        incident, notice = _notice(c, incident_id, obligation_id, Action.COMMENT, lock=True)
        notice_comments.resolve(c, incident, notice, thread)
    return _back(incident_id, obligation_id, f"thread-{thread}")


def _download(
    incident_id: int, obligation_id: int, number: int, fmt: str
) -> Response | tuple[str, int]:
    with runtime.call() as c:
        incident, notice = _notice(c, incident_id, obligation_id, Action.VIEW_INCIDENT)
        got = notice_review.fetch_file(c, incident, notice, number, fmt, storage())
    if got.content is None:
        message = (
            f"Refused: {got.problem}. The file was not sent to you. The refusal is in the audit "
            "trail; tell an administrator (the approval record and its hash are intact)."
        )
        return render_template("errors/error.html", code=409, message=message), 409
    response = Response(got.content, mimetype=got.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{got.name}"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get(NOTICE + "/versions/<int:number>/approved.pdf")
@requires(Action.VIEW_INCIDENT)
def approved_pdf(incident_id: int, obligation_id: int, number: int) -> Response | tuple[str, int]:
    return _download(incident_id, obligation_id, number, "pdf")


@bp.get(NOTICE + "/versions/<int:number>/approved.docx")
@requires(Action.VIEW_INCIDENT)
def approved_docx(incident_id: int, obligation_id: int, number: int) -> Response | tuple[str, int]:
    return _download(incident_id, obligation_id, number, "docx")


@bp.get("/notice-details")
@requires(Action.EDIT_NOTICE)
def details(incident_id: int) -> tuple[str, int]:
    with runtime.call() as c:  # the access check and the audit row of the view
        incident = incidents.load_for(c, incident_id, Action.EDIT_NOTICE)
        incidents.record_view(c, incident, "notice details")
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.EDIT_NOTICE)
        form = notice_details.as_form(notice_details.raw_for(c, incident))
        revision = notice_details.revision_of(c, incident)
        drafts = notice_page.summaries(c, incident)
    return _details_page(incident, form, revision, drafts, {}, 200)


def _details_page(
    incident: Incident,
    form: dict[str, str],
    revision: int,
    drafts: list[Any],
    errors: dict[str, str],
    status: int,
) -> tuple[str, int]:
    return render_template(
        "notices/review/details.html",
        incident=incident,
        form=form,
        revision=revision,
        drafts=drafts,
        errors=errors,
    ), status


@bp.post("/notice-details")
@requires(Action.EDIT_NOTICE)
def details_save(incident_id: int) -> Response | tuple[str, int]:
    form = {name: request.form.get(name, "") for name in notice_details.FORM_FIELDS}
    revision = _number(request.form.get("revision")) or 0
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_NOTICE)
            saved = notice_details.save(c, incident, form, revision)
    except (ValidationFailed, Conflict) as exc:
        with runtime.call(read_only=True) as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_NOTICE)
            drafts = notice_page.summaries(c, incident)
        return _details_page(incident, form, revision, drafts, _errors(exc), exc.status)
    flash(
        f"Notice details saved (revision {saved.revision}). Drafts made from older details are "
        "marked below; redraft them from their page when you are ready — your edits stay in "
        "their own versions."
    )
    return redirect(url_for("notices.details", incident_id=incident_id))  # type: ignore[return-value]
