"""The version of a jurisdiction's rule set: a fingerprint counsel's review is recorded against.

It hashes what the interpreter applies for the jurisdiction: its entry in the project's
states.json, its code overrides and the questions left open for counsel. A change to any of them
gives a new version, so a review of the old one no longer covers the duties computed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from incident_tracker.core.states.model import Jurisdiction, Overrides
from incident_tracker.core.states.questions import QUESTIONS

LENGTH = 12  # hex digits shown and stored


def fingerprint(entry: dict[str, Any], overrides: Overrides, questions: tuple[str, ...]) -> str:
    """A stable hash: canonical JSON (sorted keys, no spacing), so key order never matters."""
    canonical = json.dumps(
        {"entry": entry, "overrides": asdict(overrides), "questions": list(questions)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:LENGTH]


def version(j: Jurisdiction) -> str:
    return fingerprint(j.data, j.overrides, QUESTIONS.get(j.code, ()))
