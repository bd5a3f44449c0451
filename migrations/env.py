"""Alembic environment: SQLModel metadata, plain SQLAlchemy types in generated files."""

from __future__ import annotations

import os
from typing import Any

from alembic import context
from sqlmodel import SQLModel

import incident_tracker.db.models  # noqa: F401  (registers every table)
from incident_tracker.config import Settings
from incident_tracker.db import make_engine

target_metadata = SQLModel.metadata


def _url() -> str:
    configured = context.config.attributes.get("database_url")
    if configured:
        return str(configured)
    return Settings.from_env(os.environ).db_url


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render SQLModel's string and datetime types as plain SQLAlchemy (stack.md §2.2)."""
    from sqlmodel.sql.sqltypes import AutoString

    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length!r})" if obj.length else "sa.String()"
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def _options(url: str) -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "render_item": render_item,
        "render_as_batch": url.startswith("sqlite"),
        "compare_type": True,
    }


def run_migrations_offline() -> None:
    url = _url()
    context.configure(url=url, literal_binds=True, **_options(url))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **_options(str(connection.engine.url)))
        with context.begin_transaction():
            context.run_migrations()
        return
    url = _url()
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, **_options(url))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
