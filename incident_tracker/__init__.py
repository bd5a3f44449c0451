"""incident-tracker: HIPAA and state breach-notification deadlines, notices and records."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from incident_tracker.config import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build a configured app. Starts no threads and touches no schema (architecture.md §1.2)."""
    from incident_tracker.web.app import build

    return build(settings)
