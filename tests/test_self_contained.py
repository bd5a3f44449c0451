"""The repository needs nothing beside it: no source, test or benchmark reaches outside the
repository root, and every data file the tests load resolves inside it (a fresh clone passes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.worked_cases import REPO_ROOT, WORKED_CASES_FILE

SCANNED = ("incident_tracker", "tests", "benchmarks", "scripts", "templates")
SUFFIXES = {".py", ".json", ".html", ".txt", ".sh", ".toml", ".ini", ".cfg", ".md", ".j2"}

# Ways a path can leave the repository: the specification folder beside it, a relative climb out
# of it, or a parent index deep enough to pass the root. The pattern text is split so this file
# does not match itself.
LEAVING = [
    re.compile(r"\.\./" + "shared"),
    re.compile(r"shared/" + "rules"),
    re.compile(r"/work/" + "shared"),
    re.compile(r"parents\[(?:[3-9]|\d\d)\]"),
    re.compile(r"ROOT\.parent\b"),
    re.compile(r"(?:\.parent){3,}"),
]


def _sources() -> list[Path]:
    found: list[Path] = []
    for top in SCANNED:
        base = REPO_ROOT / top
        if base.is_dir():
            found += [p for p in base.rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    return sorted(found)


def test_the_scan_sees_the_package_and_the_tests() -> None:
    names = {p.relative_to(REPO_ROOT).as_posix() for p in _sources()}
    assert "incident_tracker/core/engine.py" in names
    assert "tests/test_self_contained.py" in names
    assert "tests/data/worked_cases.json" in names


@pytest.mark.parametrize("pattern", LEAVING, ids=[p.pattern for p in LEAVING])
def test_no_file_refers_to_a_path_outside_the_repository(pattern: re.Pattern[str]) -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{n}: {line.strip()}"
        for path in _sources()
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_a_path_that_climbs_out_is_caught() -> None:
    """The patterns are not vacuous: the old way of reading the cases matches them."""
    old = "Path(__file__).resolve().parents" + '[3] / "shared" / "rules" / "cases.json"'
    assert any(p.search(old) for p in LEAVING)
    assert any(p.search("ROOT" + ".parent / 'shared'") for p in LEAVING)
    assert not any(p.search('REPO_ROOT / "tests" / "data"') for p in LEAVING)


def test_loaded_data_resolves_inside_the_repository() -> None:
    for path in (WORKED_CASES_FILE,):
        resolved = path.resolve()
        assert resolved.is_relative_to(REPO_ROOT.resolve()), resolved
        assert resolved.is_file()
    assert (REPO_ROOT / "pyproject.toml").is_file()
