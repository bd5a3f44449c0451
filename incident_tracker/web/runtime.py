"""What views need from the app: settings, clock, a unit of work with the acting user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from flask import current_app, request
from flask_login import current_user
from sqlalchemy.engine import Engine

from incident_tracker.clock import Clock
from incident_tracker.config import Settings
from incident_tracker.db import unit_of_work
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call


def settings() -> Settings:
    return cast(Settings, current_app.extensions["incident_tracker.settings"])


def clock() -> Clock:
    return cast(Clock, current_app.extensions["incident_tracker.clock"])


def engine() -> Engine:
    return cast(Engine, current_app.extensions["incident_tracker.engine"])


def client_address() -> str:
    return (request.remote_addr or "")[:64]


def actor() -> Actor:
    """The signed-in user (from the server-side session), or an anonymous actor."""
    if getattr(current_user, "is_authenticated", False):
        user = current_user.user
        return Actor(user.id, user.email, user.role, client_address())
    return Actor(None, None, None, client_address())


@contextmanager
def call(acting: Actor | None = None) -> Iterator[Call]:
    """One transaction for one use case, audit rows included; rolled back on any error."""
    with unit_of_work(engine()) as session:
        yield Call(session, acting or actor(), clock().now(), settings().audit_key)
