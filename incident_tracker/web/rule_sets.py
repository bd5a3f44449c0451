"""The State rule sets: every jurisdiction's status, version and counsel's review; legal reviewers
record a review here."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from incident_tracker.core.jurisdictions.registry import in_words
from incident_tracker.core.permissions import Action, can
from incident_tracker.services import counsel_reviews
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("rule_sets", __name__, url_prefix="/admin/rule-sets")
FIELDS = ("jurisdiction", "version", "counsel", "reviewed_on", "note")


def _page(chosen: str, errors: dict[str, str], form: dict[str, str]) -> str:
    with runtime.call(read_only=True) as c:
        rows = counsel_reviews.rule_sets(c)
    selected = next((r for r in rows if r.code == chosen), None)
    recording = selected is not None and can(runtime.actor().role, Action.RECORD_COUNSEL_REVIEW)
    return render_template(
        "admin/rule_sets.html",
        rows=rows,
        selected=selected if recording else None,
        errors=errors,
        form=form,
        own_rule_sets=in_words("federal law"),
    )


@bp.get("")
@requires(Action.VIEW_RULE_SETS)
def rule_set_list() -> str:
    """`?review=TX` opens the form to record counsel's review of Texas's rule set."""
    return _page(request.args.get("review", "").strip().upper(), {}, {})


@bp.post("/reviews")
@requires(Action.RECORD_COUNSEL_REVIEW)
def record_review() -> Response | tuple[str, int]:
    form = {k: request.form.get(k, "") for k in FIELDS}
    try:
        with runtime.call() as c:
            row = counsel_reviews.record(
                c,
                form["jurisdiction"].strip().upper(),
                form["counsel"],
                _date(form["reviewed_on"]),
                form["note"],
                form["version"].strip(),
            )
    except ValidationFailed as exc:
        return _page(form["jurisdiction"].strip().upper(), exc.field_errors, form), 422
    flash(
        f"Counsel's review of the {row.jurisdiction} rule set (version {row.version}) is "
        "recorded; its provisional duties now show it."
    )
    return redirect(url_for("rule_sets.rule_set_list") + f"#rule-set-{row.jurisdiction}")  # type: ignore[return-value]


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None
