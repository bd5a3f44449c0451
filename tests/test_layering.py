"""The domain core stays pure: no web, database or scheduler imports, and it never reads the clock.

Why: each rule must be checkable line by line against its statute, and testable with plain dates
(DEVELOPERS.md, "Shape"; architecture.md §1.1 dependency rule).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "incident_tracker" / "core"
FORBIDDEN_ROOTS = {
    "flask",
    "flask_login",
    "flask_wtf",
    "sqlmodel",
    "sqlalchemy",
    "alembic",
    "apscheduler",
    "weasyprint",
    "docx",
    "requests",
    "smtplib",
    "socket",
}
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic"}
CORE_FILES = sorted(CORE.rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", CORE_FILES, ids=[p.name for p in CORE_FILES])
def test_core_module_imports_no_framework(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not (_imports(tree) & FORBIDDEN_ROOTS)


@pytest.mark.parametrize("path", CORE_FILES, ids=[p.name for p in CORE_FILES])
def test_core_module_never_reads_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not (calls & CLOCK_CALLS), f"{path.name} calls {calls & CLOCK_CALLS}"
    assert "time" not in _imports(tree)


def test_the_layering_check_catches_a_violation(tmp_path: Path) -> None:
    """Guard against a check that cannot fail."""
    bad = ast.parse("import flask\nfrom datetime import date\nx = date.today()\n")
    assert "flask" in _imports(bad)
    assert any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "today"
        for n in ast.walk(bad)
    )


def test_cli_starts_without_web_or_pdf_libraries() -> None:
    """The calculator imports heavy dependencies only inside the commands that use them."""
    code = (
        "import sys, incident_tracker.cli\n"
        "heavy = {'flask', 'sqlmodel', 'sqlalchemy', 'weasyprint', 'docx', 'apscheduler'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
