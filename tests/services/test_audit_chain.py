"""The audit trail (services/audit.py): written in the same transaction as the change, HMAC-chained
so that someone who can write the database but lacks AUDIT_KEY cannot edit, delete, insert or cut
rows unnoticed (45 CFR 164.312(b) audit controls, 164.312(c)(1) integrity; ASVS 5.0 16.3, 16.4)."""

from __future__ import annotations

import json
import re
from itertools import pairwise

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, func, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import AuditEvent, User
from incident_tracker.services import audit, auth, auth_failures, users
from incident_tracker.services.audit import SYSTEM, Actor, Verification
from incident_tracker.services.call import Call
from tests import backends
from tests.conftest import AUDIT_KEY, PASSWORD

ADDRESS = "203.0.113.7"
ANONYMOUS = Actor(None, None, None, ADDRESS)


def _call(session: Session, clock: FixedClock, actor: Actor = SYSTEM) -> Call:
    return Call(session, actor, clock.now(), AUDIT_KEY)


def _create(engine: Engine, clock: FixedClock, email: str) -> User:
    with unit_of_work(engine) as session:
        return users.create_user(_call(session, clock), email, "read_only", PASSWORD)


def _sign_in(
    engine: Engine, settings: Settings, clock: FixedClock, email: str, password: str
) -> auth.SignIn:
    with unit_of_work(engine) as session:
        return auth.sign_in(_call(session, clock, ANONYMOUS), settings, email, password, "pytest")


def _history(engine: Engine, settings: Settings, clock: FixedClock) -> int:
    """Five audited events through the real services; returns the row count."""
    for name in ("ann", "bob", "cy"):
        _create(engine, clock, f"{name}@example.org")
        clock.advance(minutes=1)
    assert _sign_in(engine, settings, clock, "ann@example.org", PASSWORD).ok
    assert not _sign_in(engine, settings, clock, "bob@example.org", "wrong password 123").ok
    clock.advance(minutes=10)  # the failure's window closes: its summary row is written
    with unit_of_work(engine) as session:
        assert auth_failures.summarise_closed(_call(session, clock)) == 1
    return 5


def _verify(engine: Engine, key: str = AUDIT_KEY, checkpoint: str | None = None) -> Verification:
    with unit_of_work(engine) as session:
        return audit.verify(session, key, checkpoint)


def _checkpoint(engine: Engine) -> str:
    with unit_of_work(engine) as session:
        return audit.checkpoint(session)


def _rows(engine: Engine) -> list[AuditEvent]:
    with unit_of_work(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())


Statement = tuple[str, dict[str, object]]


def _attack(settings: Settings, *statements: Statement) -> None:
    """Someone with write access to the database: drops the guards, then edits."""
    with backends.raw(settings.db_url) as db:
        backends.drop_audit_guards(db)
        for sql, params in statements:
            db.execute(text(sql), params)
        db.commit()


def test_events_from_real_services_form_an_intact_chain(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    count = _history(engine, settings, clock)
    result = _verify(engine)
    assert result.ok and result.count == count and result.first_bad_id is None
    rows = _rows(engine)
    assert [r.action for r in rows] == ["user.create"] * 3 + ["auth.sign_in", auth_failures.SUMMARY]
    assert result.head == rows[-1].mac and rows[0].prev_mac == audit.GENESIS
    assert all(later.prev_mac == earlier.mac for earlier, later in pairwise(rows))


def test_the_chain_is_keyed_a_different_key_does_not_verify(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """The HMAC key lives outside the database: without it nothing verifies (or can be forged)."""
    _history(engine, settings, clock)
    result = _verify(engine, key="another-key-0123456789abcdef0123456789")
    assert not result.ok and result.first_bad_id == 1


def test_user_audit_rows_never_hold_the_password_hash(engine: Engine, clock: FixedClock) -> None:
    """ASVS 5.0 16.2.5: no credentials in the log; the new values are the public fields."""
    _create(engine, clock, "ann@example.org")
    (row,) = _rows(engine)
    assert row.new_values is not None and '"email": "ann@example.org"' in row.new_values
    assert "argon2" not in row.new_values and PASSWORD not in row.new_values


def test_an_edited_row_is_named(engine: Engine, settings: Settings, clock: FixedClock) -> None:
    _history(engine, settings, clock)
    _attack(
        settings,
        ("UPDATE audit_event SET new_values = :v WHERE id = 2", {"v": '{"role": "admin"}'}),
    )
    result = _verify(engine)
    assert not result.ok and result.first_bad_id == 2
    assert "row 2 does not match the chain" in result.message


def test_a_deleted_middle_row_is_named(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    _history(engine, settings, clock)
    _attack(settings, ("DELETE FROM audit_event WHERE id = 3", {}))
    result = _verify(engine)
    assert not result.ok and result.first_bad_id == 3 and "row 3 is missing" in result.message


def test_an_edit_re_signed_without_the_audit_key_is_detected(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """The attacker edits row 2 and re-chains rows 2..5 with a key of their own: still caught at
    row 2, because only AUDIT_KEY reproduces the macs."""
    _history(engine, settings, clock)
    forged_key = "attacker-guess-key-0123456789abcdef"
    _attack(settings, *_rechain_from(engine, 2, forged_key, new_values='{"role": "admin"}'))
    result = _verify(engine)
    assert not result.ok and result.first_bad_id == 2
    assert "row 2 does not match the chain" in result.message


def test_an_edit_re_signed_with_the_real_key_verifies(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """Control for the test above: the chain trusts exactly the holder of AUDIT_KEY, which is
    why the key must live outside the database."""
    _history(engine, settings, clock)
    _attack(settings, *_rechain_from(engine, 2, AUDIT_KEY, new_values='{"role": "admin"}'))
    assert _verify(engine).ok


def _rechain_from(engine: Engine, start: int, key: str, new_values: str) -> list[Statement]:
    statements: list[Statement] = []
    rows = [AuditEvent.model_validate(r.model_dump()) for r in _rows(engine)]
    prev = rows[start - 2].mac if start > 1 else audit.GENESIS
    for row in rows[start - 1 :]:
        if row.id == start:
            row.new_values = new_values
        row.prev_mac, row.mac = prev, audit.compute_mac(key, prev, row)
        statements.append(
            (
                "UPDATE audit_event SET new_values = :v, prev_mac = :prev, mac = :mac "
                "WHERE id = :id",
                {"v": row.new_values, "prev": row.prev_mac, "mac": row.mac, "id": row.id},
            )
        )
        prev = row.mac
    return statements


def test_a_row_inserted_with_a_forged_mac_is_named(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    count = _history(engine, settings, clock)
    head = _rows(engine)[-1].mac
    with backends.raw(settings.db_url) as db:  # INSERT needs no dropped trigger
        db.execute(
            text(
                "INSERT INTO audit_event (id, at, action, prev_mac, mac) "
                "VALUES (:id, '2026-11-23 09:30:00+00', 'user.create', :prev, :mac)"
            ),
            {"id": count + 1, "prev": head, "mac": "ab" * 32},
        )
        db.commit()
    result = _verify(engine)
    assert not result.ok and result.first_bad_id == count + 1
    assert f"row {count + 1} does not match the chain" in result.message


def test_checkpoint_is_count_and_head_mac(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    assert _checkpoint(engine) == f"0:{audit.GENESIS}"
    count = _history(engine, settings, clock)
    assert _checkpoint(engine) == f"{count}:{_rows(engine)[-1].mac}"


def test_a_checkpoint_still_verifies_after_more_rows_are_added(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    _history(engine, settings, clock)
    taken = _checkpoint(engine)
    _create(engine, clock, "dee@example.org")
    result = _verify(engine, checkpoint=taken)
    assert result.ok and result.count == 6


def test_a_cut_tail_is_invisible_to_the_chain_but_caught_by_the_checkpoint(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """Deleting the newest rows leaves a valid (shorter) chain; only a count kept outside the
    database shows the cut (`verify --checkpoint` detects a cut tail)."""
    _history(engine, settings, clock)
    taken = _checkpoint(engine)
    _attack(settings, ("DELETE FROM audit_event WHERE id >= 4", {}))
    alone = _verify(engine)
    assert alone.ok and alone.count == 3
    result = _verify(engine, checkpoint=taken)
    assert not result.ok
    assert "the trail has 3 rows but the checkpoint recorded 5: tail cut" in result.message


def test_a_cut_tail_regrown_past_the_checkpoint_is_still_caught(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """After the cut, new genuine rows bring the count back up; row 5 is no longer the row the
    checkpoint recorded."""
    _history(engine, settings, clock)
    taken = _checkpoint(engine)
    _attack(settings, ("DELETE FROM audit_event WHERE id >= 4", {}))
    for name in ("dee", "eve", "fay"):
        _create(engine, clock, f"{name}@example.org")
    assert _verify(engine).ok
    result = _verify(engine, checkpoint=taken)
    assert not result.ok and "row 5 does not carry the checkpoint's mac" in result.message


@pytest.mark.parametrize("malformed", ["garbage", "12", "twelve:abcd", ":"])
def test_a_malformed_checkpoint_gets_a_clear_message(
    engine: Engine, clock: FixedClock, malformed: str
) -> None:
    _create(engine, clock, "ann@example.org")
    result = _verify(engine, checkpoint=malformed)
    assert not result.ok
    assert result.message == f"checkpoint {malformed!r} is not in the form COUNT:MAC"


def _count(engine: Engine, model: type[AuditEvent] | type[User]) -> int:
    with unit_of_work(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_a_failed_use_case_rolls_back_the_change_and_its_audit_row(
    engine: Engine, clock: FixedClock
) -> None:
    """The audit row is written in the same transaction as the change."""
    with pytest.raises(RuntimeError, match="after writing"), unit_of_work(engine) as session:
        users.create_user(_call(session, clock), "ann@example.org", "admin", PASSWORD)
        written = session.exec(select(func.count()).select_from(AuditEvent)).one()
        assert written == 1  # flushed inside the transaction...
        raise RuntimeError("the use case failed after writing")
    assert _count(engine, User) == 0 and _count(engine, AuditEvent) == 0  # ...and gone with it


def test_a_change_whose_audit_row_cannot_be_written_is_not_kept(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """No unaudited change: if the audit insert fails, the change rolls back too."""
    with backends.raw(settings.db_url) as db:
        backends.refuse_inserts(db, "audit_event", "audit store unavailable")
        db.commit()
    with pytest.raises(DBAPIError, match="audit store unavailable"):
        _create(engine, clock, "ann@example.org")
    assert _count(engine, User) == 0


def _last(engine: Engine, action: str) -> AuditEvent:
    with unit_of_work(engine) as session:
        query = select(AuditEvent).where(AuditEvent.action == action)
        row = session.exec(query.order_by(col(AuditEvent.id).desc())).first()
    assert row is not None, f"no {action} row"
    return row


def test_failed_sign_ins_are_audited_as_one_summary_per_address_and_window(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """ASVS 5.0 16.3.1: authentication failures are logged, unknown e-mail included, once the
    ten-minute window closes: one row with the count, the accounts tried and the times."""
    ann = _create(engine, clock, "ann@example.org")
    rows_before = len(_rows(engine))
    _sign_in(engine, settings, clock, "nobody@example.org", PASSWORD)
    clock.advance(minutes=3)
    _sign_in(engine, settings, clock, ann.email, "wrong password 123")
    assert len(_rows(engine)) == rows_before  # counted in the throttle store, not yet written
    clock.advance(minutes=7)  # 09:10: the 09:00 window has closed
    assert _sign_in(engine, settings, clock, ann.email, PASSWORD).ok
    summary = _last(engine, auth_failures.SUMMARY)
    assert summary.client_address == ADDRESS and summary.actor_id is None
    assert summary.new_values is not None
    assert json.loads(summary.new_values) == {
        "count": 2,
        "throttled": 0,
        "reasons": {"unknown account": 1, "wrong password": 1},
        "accounts": ["nobody@example.org", "ann@example.org"],
        "unlisted_attempts": 0,
        "first_at": "2026-11-23T09:00:00+00:00",
        "last_at": "2026-11-23T09:03:00+00:00",
    }
    assert [r.action for r in _rows(engine)[rows_before:]] == [
        auth_failures.SUMMARY,
        "auth.sign_in",
    ]


def test_a_lock_out_is_audited_with_the_client_address(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    ann = _create(engine, clock, "ann@example.org")
    for _ in range(settings.max_failed_logins):
        _sign_in(engine, settings, clock, ann.email, "wrong password 123")
    locked = _last(engine, "auth.account_locked")
    assert (locked.client_address, locked.actor_id) == (ADDRESS, ann.id)
    assert _verify(engine).ok


def test_sign_in_and_sign_out_are_audited_with_the_client_address(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    ann = _create(engine, clock, "ann@example.org")
    signed = _sign_in(engine, settings, clock, ann.email, PASSWORD)
    assert signed.ok and signed.token
    with unit_of_work(engine) as session:
        auth.sign_out(
            _call(session, clock, Actor(ann.id, ann.email, ann.role, ADDRESS)), signed.token
        )
    for action in ("auth.sign_in", "auth.sign_out"):
        row = _last(engine, action)
        assert (row.client_address, row.actor_id, row.object_type) == (ADDRESS, ann.id, "session")


def test_session_expiry_is_audited_with_the_client_address(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    """HIPAA 164.312(a)(2)(iii): the automatic logoff itself leaves a trace."""
    ann = _create(engine, clock, "ann@example.org")
    signed = _sign_in(engine, settings, clock, ann.email, PASSWORD)
    clock.advance(minutes=settings.idle_timeout_minutes, seconds=1)
    with unit_of_work(engine) as session:
        current = auth.load(_call(session, clock, ANONYMOUS), settings, signed.token)
    assert current.user is None and current.ended == "idle"
    expired = _last(engine, "auth.session_expired")
    assert (expired.client_address, expired.actor_id, expired.detail) == (ADDRESS, ann.id, "idle")
    assert re.fullmatch(r"\d+", expired.object_id or "")
    assert _verify(engine).ok
