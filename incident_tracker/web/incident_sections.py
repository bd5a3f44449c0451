"""An incident's summary and its sections, each on its own page under the summary's header.

Every view is access-checked and audited (HIPAA 164.312(b)) in a short write, then reads only its
own section's rows. Thin: parse, call a service, render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.wrappers import Response

from incident_tracker.core.permissions import Action, can
from incident_tracker.db.models import Incident
from incident_tracker.services import (
    board_window,
    evidence,
    incident_page,
    incident_summary,
    incidents,
)
from incident_tracker.services import obligations as obligation_service
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound
from incident_tracker.web import runtime, timeline_svg
from incident_tracker.web.days_left import days_left
from incident_tracker.web.errors import MESSAGES
from incident_tracker.web.section_links import SectionLinks
from incident_tracker.web.security import requires

Shown = TypeVar("Shown")
bp = Blueprint("sections", __name__, url_prefix="/incidents")
bp.add_app_template_global(timeline_svg.draw, "timeline_svg")  # the summary's and the board's
bp.add_app_template_global(days_left)  # the summary's, the sections' and the 90-day view's

# Each section: its title and the anchors of the old one-page incident it now holds, so the
# summary can carry the old ids as links (an anchor never reaches the server).
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "obligations": ("Obligations", ("obligations",)),
    "notices": ("Notices", ("notices", "sent", "returned", "addenda", "individuals")),
    "assessment": ("Risk assessment", ("assessment", "presumed-breach")),
    "facts": ("Facts", ("facts",)),
    "evidence": ("Evidence", ("holds", "attachments")),
    "people": ("People", ()),
    "history": ("History and status", ("status",)),
}
OLD_ANCHORS = {old: name for name, (_, olds) in SECTIONS.items() for old in olds}
LINKS = SectionLinks(SECTIONS, OLD_ANCHORS)


def section_urls(incident_id: int) -> dict[str, str]:
    """The summary's URL and each section's, for the header's links and the old anchors: the
    mount point and the incidents' prefix, since each section's route is the summary's URL and
    its name (see `_route`): no route build at all on the page opened most
    (tests/web/test_incident_summary.py holds each link to its route)."""
    home = f"{request.script_root}{bp.url_prefix}/{incident_id}"
    return {"summary": home, **{name: f"{home}/{name}" for name in SECTIONS}}


def page_urls(home: str) -> dict[str, str]:
    """The header's and the summary's other links, from the summary's URL as `section_urls`
    (tests/web/test_incident_summary.py holds each to its route): editing and exporting the
    facts, the assessment's first step, and `duty` + an obligation id + `/notice` or `/sent`,
    a duty's notice and its sent form."""
    return {
        "edit": f"{home}/edit",
        "export": f"{home}/export.json",
        "assess": f"{home}/assessment/approach",
        "duty": f"{home}/obligations/",
    }


def section_for(errors: dict[str, str]) -> str:
    """The section whose form a field error belongs to (the forms post where they always did)."""
    for key in errors:
        if key.startswith("done-"):
            return "obligations"
        if key.startswith(("returned", "addendum")):
            return "notices"
        if key.startswith(("hold_", "void_reason", "attachment_")):
            return "evidence"
    return "history"


def anchor_url(incident_id: int, anchor: str) -> str:
    """Where an old anchor of the one-page incident lives now: `obligation-7` and `sent-7` go to
    their rows in their sections."""
    name = OLD_ANCHORS.get(anchor)
    if name is None and anchor.startswith("obligation-"):
        name = "obligations"
    if name is None and anchor.startswith(("sent-", "notice-")):
        name = "notices"
    if name is None:
        return url_for("incidents.detail", incident_id=incident_id)
    target = url_for(f"sections.{name}", incident_id=incident_id)
    return target + (f"#{anchor}" if anchor and anchor != name else "")


def viewed(
    incident_id: int, page: str | None, read: Callable[[Call], tuple[incidents.Viewed, Shown]]
) -> Shown:
    """The access check and the page's rows in one read-only snapshot (`read` does both and
    returns the incident it checked), then the audit row of the view in a short write of its
    own, before anything is rendered: the write holds the database's write lock only for the
    audit row (as benchmarks/web_floor.py's floor page does), not while the incident is loaded
    and checked. Both run on the driver (db/driver.py): the pages opened most. A hidden
    incident's 404 offers break-glass to those who may use it (on every 404 alike)."""
    try:
        with runtime.call(read_only=True, on_driver=True) as c:
            incident, shown = read(c)
    except NotFound:
        if not can(runtime.actor().role, Action.BREAK_GLASS):
            raise
        offer = url_for("break_glass.form", incident_id=incident_id)
        abort(
            Response(
                render_template(
                    "errors/error.html", code=404, message=MESSAGES[404], break_glass_url=offer
                ),
                404,
                mimetype="text/html",  # werkzeug's Response says text/plain otherwise
            )
        )
    with runtime.call(audit_only=True, on_driver=True) as c:
        incidents.record_view(c, incident, page)  # HIPAA 164.312(b), durable before the page
    return shown


def _summary(c: Call, incident_id: int) -> tuple[incidents.Viewed, incident_summary.Summary]:
    """The summary checks access itself, in its first statement (services/incident_head.py)."""
    s = incident_summary.build(c, incident_id)
    return s.header.incident, s


def summary_page(incident_id: int) -> str:
    s = viewed(incident_id, None, lambda c: _summary(c, incident_id))
    urls = section_urls(incident_id)
    return render_template(
        "incidents/summary.html",
        h=s.header,
        s=s,
        sections=SECTIONS,
        section="summary",
        section_url=urls,
        page_url=page_urls(urls["summary"]),
        section_bar=LINKS.bar(urls["summary"], "summary"),
        old_anchor_links=LINKS.old_anchors(urls["summary"]),
    )


def section_page(
    incident_id: int,
    name: str,
    errors: dict[str, str] | None = None,
    status: int = 200,
    audit: bool = True,
) -> tuple[str, int]:
    def read(c: Call) -> tuple[Incident, tuple[incident_summary.Header, Any]]:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        head = incident_summary.header(c, incident)
        build = incident_page.SECTIONS.get(name)
        page = build(c, incident) if build else incident_page.IncidentPage(incident, head.today)
        return incident, (head, page)

    if audit:
        head, page = viewed(incident_id, name, read)
    else:  # a form's answer: its own write already checked and audited
        with runtime.call(read_only=True) as c:
            head, page = read(c)[1]
    urls = section_urls(incident_id)
    return render_template(
        f"incidents/sections/{name}.html",
        h=head,
        p=page,
        sections=SECTIONS,
        section=name,
        section_url=urls,
        page_url=page_urls(urls["summary"]),
        section_bar=LINKS.bar(urls["summary"], name),
        methods=obligation_service.DONE_METHODS,
        kinds=evidence.ATTACHMENT_KINDS,
        statuses=incidents.STATUSES,
        errors=errors or {},
        form=request.form if errors else {},
    ), status


def _route(name: str) -> None:
    def view(incident_id: int) -> tuple[str, int]:
        return section_page(incident_id, name)

    view.__name__ = name
    view.__doc__ = f"The incident's {SECTIONS[name][0].lower()}, on a page of its own."
    bp.get(f"/<int:incident_id>/{name}")(requires(Action.VIEW_INCIDENT)(view))


for _name in SECTIONS:
    _route(_name)


@bp.get("/next-90-days")
@requires(Action.VIEW_INCIDENT)
def next_90_days() -> str:
    """The deadline board's 90-day view across the incidents the viewer may see."""
    with runtime.call(read_only=True) as c:
        w = board_window.window(c)
    return render_template("incidents/next_90_days.html", w=w)
