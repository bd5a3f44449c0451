"""`NoticeKind` is built from the jurisdictions' declarations at run time, so mypy cannot catch a
misspelt member: every `NoticeKind.<NAME>` the code and templates use must be a member."""

from __future__ import annotations

import re

from incident_tracker.core.notices.kinds import NoticeKind
from tests.worked_cases import REPO_ROOT as ROOT

USE = re.compile(r"NoticeKind\.([A-Z][A-Z0-9_]*)\b")


def _used_names() -> set[str]:
    names: set[str] = set()
    for folder, pattern in (
        ("incident_tracker", "*.py"),
        ("templates", "*.html"),
        ("tests", "*.py"),
    ):
        for path in (ROOT / folder).rglob(pattern):
            names.update(USE.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_notice_kind_named_in_the_code_is_a_member() -> None:
    used = _used_names()
    assert "INDIVIDUAL" in used and "NY_AGENCIES" in used  # the scan reads the code
    assert sorted(n for n in used if n not in NoticeKind.__members__) == []


def test_a_misspelt_member_is_found() -> None:
    assert USE.findall("x = NoticeKind" + ".NY_AGENCY") == ["NY_AGENCY"]
    assert "NY_AGENCY" not in NoticeKind.__members__
