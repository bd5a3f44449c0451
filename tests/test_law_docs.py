"""docs/law/: the rule table is the command's output (so the two cannot drift), every page the
index names exists, and the pages stand on their own (no pointer outside the repository)."""

from __future__ import annotations

import io
import re

from incident_tracker.cli import main
from tests.worked_cases import REPO_ROOT

LAW = REPO_ROOT / "docs" / "law"
REGENERATE = ".venv/bin/incident-tracker rules --format md > docs/law/rules.md"


def test_the_committed_rule_table_is_the_commands_output() -> None:
    out = io.StringIO()
    assert main(["rules", "--format", "md"], out=out, err=io.StringIO()) == 0
    committed = (LAW / "rules.md").read_text(encoding="utf-8")
    assert committed == out.getvalue(), f"docs/law/rules.md is stale; run: {REGENERATE}"


def test_the_rule_table_holds_every_rule_and_the_state_duties() -> None:
    text = (LAW / "rules.md").read_text(encoding="utf-8")
    for rule_id in ("F1", "P2", "NY1", "NY9", "NJ4", "CA5", "AL1", "TX3", "VI1"):
        assert f"| {rule_id} |" in text, rule_id
    assert REGENERATE in text


def test_every_page_the_index_links_exists() -> None:
    index = (LAW / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+\.md)", index)
    expected = {
        "conventions.md",
        "federal.md",
        "new-york.md",
        "new-jersey.md",
        "california.md",
        "other-states.md",
        "rules.md",
    }
    assert expected <= set(links)
    for link in links:
        assert (LAW / link).is_file(), link


def test_the_pages_point_nowhere_outside_the_repository() -> None:
    leaving = re.compile(r"\.\./" + "shared|cases" + r"\.json|issue \d|rules\.md §")
    for page in LAW.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert not leaving.search(text), page.name
