"""No PHI in the error log: a failed statement is logged with its SQL and the exception types,
never its parameters or an exception's message (45 CFR 164.502(b), minimum necessary; ASVS 5.0
16.2.5, no sensitive data in logs)."""

from __future__ import annotations

import io
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.db.models import User
from incident_tracker.web.errors import without_values
from tests import backends
from tests.conftest import csrf_token, sign_in
from tests.web.test_incidents import incident_form

NAME, SSN = "Jane Doe", "123-45-6789"


def _refuse_new_incidents(settings: Settings) -> None:
    """A trigger makes the INSERT itself fail, as a constraint would, after validation passed."""
    engine = make_engine(settings.db_url)
    with engine.begin() as conn:
        backends.refuse_inserts(conn, "incident", "refused by the test trigger")
    engine.dispose()


def test_a_failed_insert_is_logged_without_the_values_it_carried(
    app: Flask,
    client: FlaskClient,
    settings: Settings,
    officer: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _refuse_new_incidents(settings)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # as gunicorn's error log would write it
    app.logger.addHandler(handler)
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    form = incident_form(token, title=f"{NAME} SSN {SSN}", narrative=f"Chart of {NAME}, {SSN}")
    try:
        with caplog.at_level(logging.ERROR, logger=app.logger.name):
            response = client.post("/incidents", data=form)
    finally:
        app.logger.removeHandler(handler)
    assert response.status_code == 500
    logged = stream.getvalue() + caplog.text
    # The error is there for the operator: where, which statement, which exception.
    assert "unhandled error in POST /incidents" in logged
    assert "INSERT INTO incident" in logged
    assert "sqlalchemy.exc.IntegrityError (message withheld)" in logged
    assert "incident_tracker/services/incidents.py" in logged  # the frames are kept
    # The values are not.
    for phi in (NAME, SSN, "Chart of"):
        assert phi not in logged
    assert not any(record.exc_info for record in caplog.records)
    body = response.get_data(as_text=True)
    assert SSN not in body and "INSERT" not in body


def test_statement_errors_hide_their_parameters_on_every_engine(settings: Settings) -> None:
    """Both branches of make_engine: SQLite here, and the PostgreSQL engine (made, not
    connected) used in production."""
    sqlite = make_engine(settings.db_url)
    postgres = make_engine("postgresql://tracker@127.0.0.1:1/tracker")
    try:
        assert sqlite.hide_parameters and postgres.hide_parameters
        with pytest.raises(Exception) as failed, sqlite.connect() as conn:
            conn.execute(text("SELECT no_such_column FROM incident WHERE title = :t"), {"t": SSN})
        assert SSN not in str(failed.value)
        assert "SQL parameters hidden" in str(failed.value)
    finally:
        sqlite.dispose()
        postgres.dispose()


def test_the_logged_traceback_drops_every_message_in_the_chain() -> None:
    """A message can quote a value (int('Jane Doe'), PostgreSQL's DETAIL: Key (name)=(...));
    the causes and contexts are written without theirs too."""

    def parse(value: str) -> int:
        return int(value)

    try:
        try:
            parse(NAME)
        except ValueError as exc:
            raise LookupError(f"no patient {SSN}") from exc
    except LookupError as error:
        logged = without_values(error)
    assert NAME not in logged and SSN not in logged
    assert "builtins.ValueError (message withheld)" in logged
    assert "builtins.LookupError (message withheld)" in logged
    assert logged.index("ValueError") < logged.index("LookupError")  # oldest first, as Python
    assert "return int(value)" in logged
