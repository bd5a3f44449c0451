"""Several law-enforcement statements (45 CFR 164.412; Cal. Health & Safety Code 1280.15(c)).

The hold is the latest written statement's period, which may extend or shorten an earlier one
(164.412(a)); an oral statement alone holds at most 30 days from its date (164.412(b)); the
tolling `alt_due` runs from the first statement's date. Every date below was worked by hand:
"N days after X" = X + N; the default due date is the later of the 60-day date and the hold end.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.facts import parse_incident
from tests.factories import incident, owed, run

# Discovered Mon 2026-04-06: the strict 60-day date is 2026-04-06 + 60 = Fri 2026-06-05.
HELD: dict[str, Any] = {"breach_occurred_on": "2026-04-01", "discovered_on": "2026-04-06"}


def written(stated: str, until: str) -> dict[str, str]:
    return {"form": "written", "statement_date": stated, "delay_until": until}


def oral(stated: str, until: str | None = None) -> dict[str, str]:
    return {"form": "oral", "statement_date": stated, **({"delay_until": until} if until else {})}


@pytest.mark.parametrize(
    ("statements", "due", "tolled"),
    [
        # A later written statement SHORTENS the hold: 04-10 to 08-31, then 05-01 to 06-20. The
        # latest governs: end 06-20; max(06-05, 06-20) = 2026-06-20. Tolling from the first
        # statement: 04-10 to 06-20 = 20 + 31 + 20 = 71 days; 06-05 + 71 = 25 days to 06-30,
        # 31 to 07-31, 15 more = 2026-08-15.
        (
            [written("2026-04-10", "2026-08-31"), written("2026-05-01", "2026-06-20")],
            date(2026, 6, 20),
            date(2026, 8, 15),
        ),
        # A later written statement EXTENDS it: 04-10 to 05-15, then 05-10 to 07-20: end 07-20.
        # Tolling: 04-10 to 07-20 = 20 + 31 + 30 + 20 = 101 days; 06-05 + 101 = 06-30 (25),
        # 07-31 (56), 08-31 (87), 14 more = 2026-09-14.
        (
            [written("2026-04-10", "2026-05-15"), written("2026-05-10", "2026-07-20")],
            date(2026, 7, 20),
            date(2026, 9, 14),
        ),
        # Listed out of order: the statement DATE decides which is latest, not the list order.
        (
            [written("2026-05-01", "2026-06-20"), written("2026-04-10", "2026-08-31")],
            date(2026, 6, 20),
            date(2026, 8, 15),
        ),
        # An oral statement after a written one does not displace it (164.412(b) covers an oral
        # statement alone): written 04-10 to 06-20, oral 06-15 asking to 07-10: end 06-20.
        (
            [written("2026-04-10", "2026-06-20"), oral("2026-06-15", "2026-07-10")],
            date(2026, 6, 20),
            date(2026, 8, 15),
        ),
        # A written statement made after an oral one lapsed still governs (164.412(a)): oral
        # 04-08 (cap 05-08), written 05-20 to 06-30: end 06-30. Tolling from the FIRST statement,
        # 04-08: 22 + 31 + 30 = 83 days; 06-05 + 83 = 06-30 (25), 07-31 (56), 27 more =
        # 2026-08-27.
        (
            [oral("2026-04-08"), written("2026-05-20", "2026-06-30")],
            date(2026, 6, 30),
            date(2026, 8, 27),
        ),
    ],
)
def test_164_412_a_latest_written_statement_governs(
    statements: list[dict[str, str]], due: date, tolled: date
) -> None:
    """45 CFR 164.412(a): "for the time period specified by the official" — the latest written
    statement's period, longer or shorter than an earlier one's."""
    result = run(**HELD, law_enforcement_delay=statements)
    f1 = owed(result, "F1")
    assert (f1.due, f1.alt_due) == (due, tolled)
    f7 = owed(result, "F7")
    assert "governs" in f7.reason and "164.412(a)" in f7.reason


def test_164_412_b_oral_converted_by_a_shorter_written_statement_within_30_days() -> None:
    """45 CFR 164.412(b): an oral statement holds at most 30 days "unless a written statement ...
    is submitted during that time", which then governs even when it ends sooner. Discovered
    Sun 2026-03-01: strict 60-day date 03-01 + 60 = 2026-04-30. Oral 04-08 (its own cap 04-08 +
    30 = 05-08); written 04-20 to 05-04: end 05-04; max(04-30, 05-04) = 2026-05-04 (reading the
    longer oral cap would give 05-08). Tolling: 04-08 to 05-04 = 22 + 4 = 26 days; 04-30 + 26 =
    2026-05-26."""
    result = run(
        breach_occurred_on="2026-02-25",
        discovered_on="2026-03-01",
        law_enforcement_delay=[oral("2026-04-08"), written("2026-04-20", "2026-05-04")],
    )
    f1 = owed(result, "F1")
    assert (f1.due, f1.alt_due) == (date(2026, 5, 4), date(2026, 5, 26))


def test_164_412_a_single_statement_object_is_a_list_of_one() -> None:
    one = written("2026-04-20", "2026-07-15")
    as_object = parse_incident(incident(**HELD, law_enforcement_delay=one))
    as_list = parse_incident(incident(**HELD, law_enforcement_delay=[one]))
    assert as_object.holds == as_list.holds
    # 164.412(a): max(06-05, 07-15) = 2026-07-15 either way.
    assert owed(run(**HELD, law_enforcement_delay=one), "F1").due == date(2026, 7, 15)


# --- Cal. Health & Safety Code 1280.15(c): the CDPH caps warn, never refuse ------------------

FACILITY: dict[str, Any] = {
    "entity_type": "ca_licensed_health_facility",
    "affected_by_state": {"CA": 3},
    "breach_occurred_on": "2026-02-27",
    "discovered_on": "2026-03-02",
}


def test_1280_15_c_written_request_over_60_days_warns_and_is_still_used() -> None:
    """H&S 1280.15(c): a written request delays the patient report at most 60 days. Written
    statement Mon 2026-03-02 to Fri 2026-05-15 = 29 + 30 + 15 = 74 days > 60 (cap 03-02 + 60 =
    2026-05-01): a warning, and the stated end is used. CA5 = 15 CA business days after Fri
    05-15: May 18-22 (5), [25 Memorial Day], 26-29 (9), Jun 1-5 (14), Jun 8 (15) = 2026-06-08."""
    result = run(**FACILITY, law_enforcement_delay=written("2026-03-02", "2026-05-15"))
    assert owed(result, "CA5").due == date(2026, 6, 8)
    (warning,) = result.warnings
    assert warning.startswith("law_enforcement_delay: the written statement of 2026-03-02")
    assert "74 days" in warning and "1280.15(c)" in warning and "2026-05-01" in warning


def test_1280_15_c_written_request_of_exactly_60_days_does_not_warn() -> None:
    """03-02 to 05-01 is 60 days: within the cap."""
    result = run(**FACILITY, law_enforcement_delay=written("2026-03-02", "2026-05-01"))
    assert result.warnings == ()


def test_1280_15_c_oral_request_over_30_days_warns_unless_a_written_one_follows() -> None:
    """H&S 1280.15(c): an oral request holds at most 30 days (03-02 + 30 = 2026-04-01) unless a
    further written declaration extends it. Oral 03-02 asking to 04-15 (44 days): warning. With a
    written declaration on 03-20 (within the 30 days) to 04-15 (26 days): no warning."""
    alone = run(**FACILITY, law_enforcement_delay=oral("2026-03-02", "2026-04-15"))
    (warning,) = alone.warnings
    assert "oral statement of 2026-03-02" in warning and "2026-04-01" in warning
    followed = run(
        **FACILITY,
        law_enforcement_delay=[
            oral("2026-03-02", "2026-04-15"),
            written("2026-03-20", "2026-04-15"),
        ],
    )
    assert followed.warnings == ()


def test_1280_15_c_caps_concern_cdph_facilities_only() -> None:
    """A covered entity that is not a CDPH-licensed facility: 164.412(a) has no cap, no warning."""
    result = run(**HELD, law_enforcement_delay=written("2026-04-10", "2026-08-31"))
    assert result.warnings == ()
