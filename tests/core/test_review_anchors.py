"""Comment anchors survive edits: paragraph index plus a short quote."""

from __future__ import annotations

from incident_tracker.core.anchors import QUOTE_CHARS, locate, quote_of

V1 = ["# Notice of Data Breach", "Dear Member:", "We are writing about an incident.", "Sincerely,"]


def test_the_quote_is_the_paragraphs_start_with_spaces_collapsed() -> None:
    assert quote_of("Dear   Member:\n how are") == "Dear Member: how are"
    assert len(quote_of("x" * 500)) == QUOTE_CHARS


def test_same_place_same_text() -> None:
    assert locate(V1, 1, quote_of(V1[1])) == 1


def test_a_paragraph_moved_down_is_found_by_its_quote() -> None:
    v2 = ["CONFIDENTIAL", *V1]
    assert locate(v2, 2, quote_of(V1[2])) == 3


def test_a_lightly_reworded_paragraph_is_found_by_similarity() -> None:
    v2 = [V1[0], V1[1], "We are writing about a security incident.", V1[3]]
    assert locate(v2, 2, quote_of(V1[2])) == 2


def test_the_nearest_of_two_identical_paragraphs_wins() -> None:
    v2 = ["Sincerely,", "a", "b", "c", "Sincerely,"]
    assert locate(v2, 3, "Sincerely,") == 4


def test_a_deleted_paragraph_has_no_anchor() -> None:
    v2 = [V1[0], V1[1], V1[3]]
    assert locate(v2, 2, quote_of(V1[2])) is None
