"""CSV cells that a spreadsheet would run as formulas are neutralised (OWASP "CSV Injection"),
in every export through one helper; chart labels are escaped in the server-drawn SVG."""

from __future__ import annotations

import csv
import io

import pytest

from incident_tracker.core import charts
from incident_tracker.core.access_words import spreadsheet_cell
from incident_tracker.core.spreadsheet import cell, csv_text


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_a_cell_starting_a_formula_gets_a_leading_apostrophe(given: object, written: str) -> None:
    assert cell(given) == written


def test_the_access_review_uses_the_same_helper() -> None:
    assert spreadsheet_cell is cell


def test_csv_text_neutralises_the_header_and_every_row() -> None:
    text = csv_text(("=h", "ok"), [("-2", "plain"), ("@x", "+y")])
    assert list(csv.reader(io.StringIO(text))) == [
        ["'=h", "ok"],
        ["'-2", "plain"],
        ["'@x", "'+y"],
    ]
    assert text.endswith("\r\n")


def test_chart_labels_and_titles_are_escaped_and_the_svg_has_a_title() -> None:
    svg = charts.stacked_bars(
        "Per <month>", ("Jan", "<b>"), (charts.Series("a&b", (1.0, 2.0)),), "incidents"
    )
    assert svg.startswith("<svg") and "<title>Per &lt;month&gt;</title>" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a&amp;b" in svg
    # Two bars of 1 and 2 on an axis to 4: heights a quarter and a half of the plot.
    plot_h = charts.HEIGHT - charts.TOP - charts.BOTTOM - 20
    assert f'height="{plot_h / 4:.1f}"' in svg and f'height="{plot_h / 2:.1f}"' in svg


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert charts.median([3, 1, 10, 4]) == 3.5  # sorted 1, 3, 4, 10: (3 + 4) / 2
    assert charts.median([7]) == 7.0
    assert charts.median([]) == 0.0
