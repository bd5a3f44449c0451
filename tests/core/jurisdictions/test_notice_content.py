"""Each folder's notices: the kinds it declares become NoticeKind members with a template, and
the content it adds (elements, worksheets, letter rules) is its own."""

from __future__ import annotations

from incident_tracker.core.jurisdictions import registry
from incident_tracker.core.notices.content import contents, structure_problems
from incident_tracker.core.notices.elements import labels
from incident_tracker.core.notices.kinds import KINDS, NoticeKind
from incident_tracker.core.notices.render import Block
from tests.core.notices.support import LETTERS


def test_each_declared_kind_is_a_notice_kind_with_its_stored_value_and_template() -> None:
    for j in registry.JURISDICTIONS:
        for spec in j.notice_kinds:
            kind = NoticeKind(spec.key)
            assert kind.name == spec.key.upper()
            assert KINDS[kind].title == spec.title
            assert (LETTERS / KINDS[kind].template).is_file(), spec.key
    # The values stored in the database before the kinds moved to the folders.
    assert NoticeKind.NY_AGENCIES == "ny_agencies"
    assert NoticeKind.CDPH_REPORT == "cdph_report"
    assert NoticeKind.STATE_REGULATOR == "state_regulator"


def test_a_folders_content_covers_only_its_own_kinds() -> None:
    own = {j.code: {k.key for k in j.notice_kinds} for j in registry.JURISDICTIONS}
    for content in contents():
        assert set(content.by_kind) <= own[content.code], content.code
        for e in content.elements:
            assert labels()[e.key] == e.label


def test_only_californias_law_asks_the_letter_for_title_and_headings() -> None:
    """Civ. Code § 1798.82(d)(1): "Notice of Data Breach" and the five headings; GBL 899-aa(7)
    asks no structure of the letter."""
    plain = (Block("title", "Letter"), Block("paragraph", "We write about a breach."))
    problems = structure_problems(plain, "CA1")
    assert [p.element for p in problems] == [
        'the title "Notice of Data Breach"',
        "the five headings, in order: What Happened, What Information Was Involved, "
        "What We Are Doing, What You Can Do, For More Information",
    ]
    assert structure_problems(plain, "NY1") == []
