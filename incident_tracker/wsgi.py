"""WSGI entry point for gunicorn: `gunicorn incident_tracker.wsgi:app`. Settings from the
environment; no scheduler is started here (architecture.md §1.8)."""

import gc

from incident_tracker import create_app
from incident_tracker.files import restrict_umask

restrict_umask()  # the database's -wal/-shm, attachments, letters: readable only by the service
app = create_app()
# Everything made while importing and building the app lives as long as the process: moved out
# of the collector's sight, a full collection no longer walks ~120,000 long-lived objects
# (about 100 ms, during which the worker answers nobody).
gc.freeze()
