"""The annual small-breach log (45 CFR 164.408(c), F5): the year's incidents under 500 with the
OCR portal's answers, a submission that marks F5 done and moves the NY Attorney General's clock
(N.Y. Gen. Bus. Law § 899-aa(9), NY5), and the CSV in the portal's order."""

from __future__ import annotations

import csv
import io
from datetime import date
from io import StringIO

import pytest
from sqlalchemy.engine import Engine

from incident_tracker.cli import main
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.services import annual_log
from incident_tracker.services.errors import ValidationFailed
from tests.conftest import AUDIT_KEY
from tests.services.sending_support import (
    People,
    as_user,
    load,
    make_incident,
    obligation_id,
    obligations,
    terms,
)
from tests.services.sending_support import people as people

__all__ = ["people"]


def small(engine: Engine, clock: FixedClock, who: People) -> int:
    """120 NY residents' names and SSNs on a stolen laptop, discovered 2026-09-14."""
    return make_incident(engine, clock, who.officer, states={"NY": 120})


def submit(engine: Engine, clock: FixedClock, who: People, iid: int, on: date, number: str) -> None:
    f5 = obligation_id(engine, iid, "F5")
    as_user(
        engine,
        clock,
        who.officer,
        lambda c: annual_log.record_submission(c, load(c, iid), f5, on, number),
    )


def test_the_log_lists_the_years_small_breaches_with_the_portal_answers(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """F5 is due 60 days after 31 December 2026: January's 31 days end on Jan 31 (day 31),
    February's 28 on Feb 28 (day 59), so day 60 is 2027-03-01 (164.408(c); no roll-over).
    The 600-resident incident reports to HHS at once (F4, 164.408(b)) and is not in the log."""
    iid = small(engine, clock, people)
    make_incident(engine, clock, people.officer, states={"NY": 600})
    log = as_user(engine, clock, people.officer, lambda c: annual_log.entries(c, 2026))
    assert [e.incident_id for e in log] == [iid]
    entry = log[0]
    assert entry.due == date(2027, 3, 1)
    answers = {q.label: q.answer for q in entry.questions}
    assert answers["Breach affecting"] == "Fewer than 500 individuals"
    assert answers["Type of breach"] == "Theft"
    assert answers["Approximate number of individuals affected"] == "120"
    # No notice details were typed: the description is shown as missing, not invented.
    assert "Brief description of the breach" in [q.label for q in entry.missing]
    assert as_user(engine, clock, people.officer, lambda c: annual_log.entries(c, 2025)) == []


def test_a_submission_marks_f5_done_and_moves_the_ny_attorney_general_clock(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """Before HHS is told, NY5 runs from the latest permitted HHS date, Mon 2027-03-01: Tue 2,
    Wed 3, Thu 4, Fri 5, Mon 8 -> 2027-03-08. Logged with HHS on Mon 2026-11-16: 5 NY business
    days after it, Tue 17, Wed 18, Thu 19, Fri 20, Mon 23 -> 2026-11-23 (§ 899-aa(9); the day of
    the notice is not counted, docs/law/conventions.md)."""
    iid = small(engine, clock, people)
    assert obligations(engine, iid)["NY5"].due == date(2027, 3, 8)
    submit(engine, clock, people, iid, date(2026, 11, 16), "OCR-LOG-2026-17")
    found = obligations(engine, iid)
    assert found["F5"].done_on == date(2026, 11, 16)
    assert found["F5"].done_reference == "OCR-LOG-2026-17"
    assert found["F5"].done_method == "portal"
    assert found["NY5"].due == date(2026, 11, 23)
    assert terms(found["NY5"])["outer_limit"] == "2027-03-08"


def test_the_csv_parses_in_the_portal_order_and_neutralises_formulas(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    iid = small(engine, clock, people)
    submit(engine, clock, people, iid, date(2026, 11, 16), '=HYPERLINK("http://x")')
    text = as_user(
        engine, clock, people.officer, lambda c: annual_log.to_csv(annual_log.entries(c, 2026))
    )
    rows = list(csv.reader(io.StringIO(text)))
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    assert header[:6] == [
        "incident",
        "discovered_on",
        "f5_due",
        "submitted_on",
        "confirmation_number",
        "missing_answers",
    ]
    portal = header[6:]
    # The portal asks in this order: general, covered entity, business associate, breach, ...
    order = ["1. General: Breach affecting", "2. Covered entity: Name", "4. Breach: Type of breach"]
    assert [portal.index(h) for h in order] == sorted(portal.index(h) for h in order)
    values = dict(zip(header, row, strict=True))
    assert values["discovered_on"] == "2026-09-14"
    assert values["f5_due"] == "2027-03-01"
    assert values["submitted_on"] == "2026-11-16"
    assert values["confirmation_number"] == '\'=HYPERLINK("http://x")'
    assert values["4. Breach: Type of breach"] == "Theft"


def test_a_submission_needs_a_date_and_a_confirmation_number(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    iid = small(engine, clock, people)
    f5 = obligation_id(engine, iid, "F5")
    with pytest.raises(ValidationFailed) as refused:
        as_user(
            engine,
            clock,
            people.officer,
            lambda c: annual_log.record_submission(c, load(c, iid), f5, None, "  "),
        )
    assert set(refused.value.field_errors) == {"sent_on", "confirmation"}
    assert obligations(engine, iid)["F5"].done_on is None


def test_years_outside_the_rule_are_refused() -> None:
    today = date(2026, 11, 23)
    assert annual_log.check_year("2026", today) == 2026
    for bad in ("2008", "2027", "twenty", None):
        with pytest.raises(ValidationFailed):
            annual_log.check_year(bad, today)


def test_the_command_line_prints_the_same_csv(
    engine: Engine,
    clock: FixedClock,
    people: People,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`incident-tracker annual-log 2026 --format csv`: the operator's copy of the page's CSV."""
    small(engine, clock, people)
    submit(engine, clock, people, small(engine, clock, people), date(2026, 11, 16), "OCR-9")
    monkeypatch.setenv("DATABASE_URL", settings.db_url)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("INSTANCE_PATH", str(settings.instance_path))
    monkeypatch.delenv("INCIDENT_TRACKER_ENV", raising=False)
    out, err = StringIO(), StringIO()
    assert main(["annual-log", "2026", "--format", "csv"], out=out, err=err) == 0, err.getvalue()
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["f5_due"], r["confirmation_number"]) for r in rows] == [
        ("2027-03-01", ""),
        ("2027-03-01", "OCR-9"),
    ]
    assert main(["annual-log", "1999", "--format", "csv"], out=out, err=err) == 2
    assert "give a year from 2009" in err.getvalue()
