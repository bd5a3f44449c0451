"""WSGI entry point for gunicorn: `gunicorn incident_tracker.wsgi:app`. Settings from the
environment; no scheduler is started here (architecture.md §1.8)."""

from incident_tracker import create_app

app = create_app()
