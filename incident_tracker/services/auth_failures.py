"""Authentication failures: counted per client address in ten-minute windows (the throttle store)
and written to the audit trail as one summary row per address per window.

Logging every failed request as its own row let one client write about 90 audit rows a second.
Each failure now updates its window's row here; once the window has closed, the next sign-in
attempt or the scheduler's audit job appends one summary row (count, accounts tried, first and
last time) and marks the window summarised. The audit trail stays append-only: a row is never
rewritten (ASVS 5.0 16.3.1 authentication events logged, 6.3.1 brute-force controls; 45 CFR
164.308(a)(5)(ii)(C) log-in monitoring). Successful sign-ins and lock-outs keep their own rows.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, text, update
from sqlmodel import col, func, select

from incident_tracker.db.models import AuthFailureWindow
from incident_tracker.db.prepared import as_datetime
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call

WINDOW = timedelta(minutes=10)
SUMMARY = "auth.failures_summary"
LISTED_ACCOUNTS = 50  # distinct e-mails listed per window; attempts on others only counted
KEEP_SUMMARISED = timedelta(days=1)  # far beyond any throttle period, then the row goes
_PG_LOCK = text("SELECT pg_advisory_xact_lock(7261125)")


def window_start(at: datetime) -> datetime:
    """The start of the ten-minute window holding `at` (UTC, aligned to :00, :10, ...)."""
    at = at.astimezone(UTC)
    return at.replace(minute=at.minute - at.minute % 10, second=0, microsecond=0)


def _serialise(call: Call) -> None:
    """Writers of this table take turns: SQLite runs writes under BEGIN IMMEDIATE already;
    PostgreSQL takes a transaction-scoped advisory lock, so two requests cannot both create a
    window or both summarise one."""
    connection = call.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_LOCK)


def failures_since(call: Call, address: str, since: datetime) -> int:
    """Password checks that failed from `address` in windows active since `since` (a window
    whose last failure is inside the period counts whole: the throttle errs on the safe side)."""
    query = select(
        func.coalesce(func.sum(AuthFailureWindow.attempts - AuthFailureWindow.throttled), 0)
    ).where(AuthFailureWindow.client_address == address, AuthFailureWindow.last_at >= since)
    return int(call.session.exec(query).one())


def record(call: Call, address: str, email: str, reason: str, *, throttled: bool = False) -> None:
    """Count one failure from `address` for `email` in the current window."""
    _serialise(call)
    summarise_closed(call)
    start = window_start(call.now)
    window = call.session.exec(
        select(AuthFailureWindow).where(
            AuthFailureWindow.client_address == address, AuthFailureWindow.window_start == start
        )
    ).first()
    if window is None:
        window = AuthFailureWindow(
            client_address=address, window_start=start, first_at=call.now, last_at=call.now
        )
    reasons = json.loads(window.reasons)
    reasons[reason] = reasons.get(reason, 0) + 1
    accounts = json.loads(window.accounts)
    email = email[:254]
    if not email or email in accounts:
        pass  # a signed-out form names no account
    elif len(accounts) < LISTED_ACCOUNTS:
        accounts.append(email)
    else:
        window.unlisted_attempts += 1
    window.attempts += 1
    window.throttled += 1 if throttled else 0
    window.reasons = json.dumps(reasons, sort_keys=True)
    window.accounts = json.dumps(accounts, ensure_ascii=False)
    window.last_at = call.now
    call.session.add(window)
    call.session.flush()


def summarise_closed(call: Call) -> int:
    """Append one audit row for each window that has closed and not been summarised yet, oldest
        first; then forget summarised windows older than any throttle period. Returns how many
    rows it wrote."""
    _serialise(call)
    closed = call.session.exec(
        select(AuthFailureWindow)
        .where(
            col(AuthFailureWindow.summarised_at).is_(None),
            AuthFailureWindow.window_start <= call.now - WINDOW,
        )
        .order_by(col(AuthFailureWindow.window_start), col(AuthFailureWindow.id))
    ).all()
    written = 0
    for window in closed:
        claimed = call.session.execute(
            update(AuthFailureWindow)
            .where(
                col(AuthFailureWindow.id) == window.id,
                col(AuthFailureWindow.summarised_at).is_(None),
            )
            .values(summarised_at=call.now)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            continue  # summarised by another process meanwhile
        _audit_summary(call, window)
        written += 1
    call.session.execute(
        delete(AuthFailureWindow).where(
            col(AuthFailureWindow.summarised_at).is_not(None),
            col(AuthFailureWindow.last_at) < call.now - KEEP_SUMMARISED,
        )
    )
    return written


def _audit_summary(call: Call, window: AuthFailureWindow) -> None:
    accounts: list[str] = json.loads(window.accounts)
    first, last = as_datetime(window.first_at), as_datetime(window.last_at)
    summary: dict[str, Any] = {
        "count": window.attempts,
        "throttled": window.throttled,
        "reasons": json.loads(window.reasons),
        "accounts": accounts,
        "unlisted_attempts": window.unlisted_attempts,
        "first_at": first.isoformat() if first else None,
        "last_at": last.isoformat() if last else None,
    }
    from_address = Actor(None, None, None, window.client_address)
    Call(call.session, from_address, call.now, call.audit_key).audit(
        SUMMARY,
        new=summary,
        detail=(
            f"{window.attempts} failed attempt{'s' if window.attempts != 1 else ''} "
            f"({window.throttled} refused by the throttle) for {len(accounts)} "
            f"account{'s' if len(accounts) != 1 else ''}"
            + (f" and {window.unlisted_attempts} for others" if window.unlisted_attempts else "")
            + f", {summary['first_at']} to {summary['last_at']}"
        ),
    )
