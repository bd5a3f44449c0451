"""The jurisdictions registry: every list that names the jurisdictions is derived from their
folders, so a jurisdiction is one folder plus one registry line."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from incident_tracker.core.facts import FactsError, NoticesSent, parse_incident
from incident_tracker.core.jurisdictions import registry
from incident_tracker.core.notices.kinds import KINDS, NoticeKind
from incident_tracker.core.parameters import CALENDAR_DAYS, Value, counted, dated, value_on
from incident_tracker.core.vocabulary import STATES
from incident_tracker.db.mapping import DONE_FEEDS
from tests.factories import incident


def test_federal_first_then_the_states() -> None:
    """Federal first: its dates (the HIPAA letter, the HHS report) anchor the States'."""
    codes = registry.codes()
    assert codes[0] == "Federal"
    assert codes.index("NY") < codes.index("NJ") < codes.index("CA")
    assert {"NY", "NJ", "CA"} <= registry.EVALUATED_STATES
    assert "Federal" not in registry.EVALUATED_STATES


def test_each_folder_owns_its_rules_and_parameters() -> None:
    for j in registry.JURISDICTIONS:
        assert j.rules, j.code
        assert all(r.jurisdiction == j.code for r in j.rules), j.code
        assert all(p.jurisdiction == j.code for p in j.parameters), j.code
    ids = [r.id for j in registry.JURISDICTIONS for r in j.rules]
    assert [r.id for r in registry.RULES] == ids
    names = [p.name for j in registry.JURISDICTIONS for p in j.parameters]
    assert [p.name for p in registry.PARAMETERS] == names


def test_done_feeds_are_the_jurisdictions_and_name_a_sent_date() -> None:
    """A duty recorded as done feeds `notices_sent.<key>` (docs/law/conventions.md)."""
    rule_ids = {r.id for r in registry.RULES}
    sent = {f.name for f in fields(NoticesSent)}
    assert DONE_FEEDS is registry.DONE_FEEDS
    for rule_id, key in DONE_FEEDS.items():
        assert rule_id in rule_ids
        assert key in sent
    assert DONE_FEEDS["NY1"] == "ny_residents"
    assert DONE_FEEDS["F5"] == "hhs"


def test_notice_kinds_discharge_the_rules_the_folders_name() -> None:
    rule_ids = {r.id for r in registry.RULES}
    for j in registry.JURISDICTIONS:
        for kind, ids in j.notices:
            assert NoticeKind(kind) in KINDS
            assert set(ids) <= rule_ids
    # The individual letter settles each State's resident notice too (GBL 899-aa(2)(b) and the
    # like), the business associate's notice each vendor-to-owner duty.
    assert KINDS[NoticeKind.INDIVIDUAL].rule_ids == ("F1", "NY1", "NJ2", "CA1")
    assert KINDS[NoticeKind.BA_TO_CE].rule_ids == ("F6", "NY6", "NJ4", "CA3")


def test_every_state_but_two_territories_has_a_rule_set() -> None:
    """45 CFR 160.103 "State": American Samoa and the Northern Mariana Islands are named as not
    evaluated; every other code is evaluated by a folder here or by core/states."""
    assert registry.every_code() == STATES - {"AS", "MP"}
    assert not registry.EVALUATED_STATES & registry.other_jurisdictions().keys()


def test_an_amendment_is_one_more_dated_value() -> None:
    """A value's period ends the day before the next value's date: 2027-01-01 - 1 = 2026-12-31."""
    history = dated(
        "xx.days",
        "XX",
        CALENDAR_DAYS,
        Value(None, None, "old law"),
        Value(date(2024, 12, 21), 30, "first amendment"),
        Value(date(2027, 1, 1), 20, "second amendment"),
    )
    assert [p.effective_to for p in history] == [date(2024, 12, 20), date(2026, 12, 31), None]
    assert value_on(history, date(2024, 12, 20)) is None
    assert value_on(history, date(2026, 12, 31)) == 30
    assert value_on(history, date(2027, 1, 1)) == 20
    # A rule version in force from the first amendment names the later count too.
    assert counted(history, date(2024, 12, 21)) == "30 (20 from 2027-01-01)"
    assert counted(history, date(2027, 1, 1)) == "20"


def test_no_value_before_the_first_dated_one() -> None:
    history = dated("xx.hours", "XX", "hours", Value(date(2023, 12, 1), 24, "23 NYCRR 500.17(c)"))
    with pytest.raises(KeyError):
        value_on(history, date(2023, 11, 30))


def test_a_sent_date_is_read_by_its_done_feed_key() -> None:
    """`notices_sent.<key>` for every done feed; keys beyond the named fields are kept in
    `others`, so a new jurisdiction's feed needs no new field."""
    sent = NoticesSent(ny_residents=date(2026, 3, 2), others=(("xx_residents", date(2026, 3, 5)),))
    assert sent.get("ny_residents") == date(2026, 3, 2)
    assert sent.get("xx_residents") == date(2026, 3, 5)
    assert sent.get("hhs") is None
    parsed = parse_incident(
        incident(affected_by_state={"NY": 3}, notices_sent={"ny_residents": "2026-02-20"})
    )
    assert parsed.notices_sent.get("ny_residents") == date(2026, 2, 20)
    assert parsed.notices_sent.others == ()


def test_a_sent_date_before_discovery_is_refused_under_its_key() -> None:
    with pytest.raises(FactsError, match=r"notices_sent\.ny_residents: 2026-02-01 is before"):
        parse_incident(incident(notices_sent={"ny_residents": "2026-02-01"}))
