"""The project's worked cases (tests/data/worked_cases.json): named inputs and hand-computed
expected outputs, kept in the repository so the tests need nothing beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKED_CASES_FILE = REPO_ROOT / "tests" / "data" / "worked_cases.json"


def load_worked_cases() -> list[dict[str, Any]]:
    data = json.loads(WORKED_CASES_FILE.read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data["cases"]
    return cases


CASES: list[dict[str, Any]] = load_worked_cases()
