"""The word-level redline between two notice versions ("a readable redline
between any two versions (word level, not a raw diff)"), pure and escaped."""

from __future__ import annotations

from incident_tracker.core.redline import Segment, counts, redline, to_html, tokens


def test_tokens_are_words_punctuation_and_runs_of_space() -> None:
    assert tokens("May 1,  2026.\n") == ["May", " ", "1", ",", "  ", "2026", ".", "\n"]


def test_a_changed_word_reads_as_one_deletion_then_one_insertion() -> None:
    assert redline("The breach happened on May 1.", "The incident happened on May 2.") == [
        Segment("equal", "The "),
        Segment("delete", "breach"),
        Segment("insert", "incident"),
        Segment("equal", " happened on May "),
        Segment("delete", "1"),
        Segment("insert", "2"),
        Segment("equal", "."),
    ]


def test_changes_separated_only_by_a_space_merge_into_one_change() -> None:
    """ "b c" -> "x y": not <del>b</del><ins>x</ins> <del>c</del><ins>y</ins> but one pair."""
    assert redline("a b c d", "a x y d") == [
        Segment("equal", "a "),
        Segment("delete", "b c"),
        Segment("insert", "x y"),
        Segment("equal", " d"),
    ]


def test_pure_insertions_and_deletions() -> None:
    assert redline("Call us.", "Call us today.") == [
        Segment("equal", "Call us"),
        Segment("insert", " today"),
        Segment("equal", "."),
    ]
    assert redline("one two three", "one three") == [
        Segment("equal", "one "),
        Segment("delete", "two "),
        Segment("equal", "three"),
    ]


def test_identical_texts_have_no_change() -> None:
    assert redline("Same text.\n", "Same text.\n") == [Segment("equal", "Same text.\n")]
    assert counts(redline("Same", "Same")) == counts([])


def test_html_escapes_every_piece_of_text_inside_ins_and_del() -> None:
    """User text "<script>" or "&" must reach the page as text, never as markup."""
    html = to_html(redline("Smith & Sons", "Smith <script>alert(1)</script> Sons"))
    assert str(html) == (
        "Smith <del>&amp;</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins> Sons"
    )
    assert "<script>" not in str(html)


def test_html_is_never_a_unified_diff() -> None:
    html = str(to_html(redline("line one\nline two\n", "line one\nline 2\n")))
    assert html == "line one\nline <del>two</del><ins>2</ins>\n"
    assert "@@" not in html and "\n-" not in html and "\n+" not in html


def test_counts_words_inserted_and_deleted() -> None:
    """ "a b c d" -> "a x y z d": 3 words in (x, y, z), 2 out (b, c)."""
    found = counts(redline("a b c d", "a x y z d"))
    assert (found.inserted_words, found.deleted_words) == (3, 2)
