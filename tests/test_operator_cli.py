"""Operator commands: migrate, seed-demo, create-user and
`audit verify / checkpoint`, run through `incident_tracker.cli.main` against a real SQLite file
named by DATABASE_URL (45 CFR 164.312(b), (c)(1), (d); ASVS 5.0 6.2, 13.3, 16.4)."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import text
from sqlmodel import Session, select

from incident_tracker import create_app
from incident_tracker.cli import OPERATOR_COMMANDS, build_parser, main
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.core import risk
from incident_tracker.core.notices.markup import paragraphs
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import (
    AssessmentComment,
    AssessmentDraft,
    AssessmentRecord,
    Incident,
    Notice,
    NoticeApproval,
    NoticeComment,
    NoticeVersion,
    ObligationRecord,
    SentRecord,
    User,
)
from incident_tracker.services import demo_incidents, notice_review
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests import backends
from tests.backends import Template
from tests.conftest import AUDIT_KEY, PASSWORD, START, csrf_token

ROLES = ["privacy_officer", "legal_reviewer", "admin", "read_only"]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Instance:
    path: Path
    url: str  # DATABASE_URL

    def run(self, *argv: str, stdin: str = "") -> Run:
        out, err = StringIO(), StringIO()
        code = main(list(argv), out=out, err=err, stdin=StringIO(stdin))
        return Run(code, out.getvalue(), err.getvalue())

    def attack(self, *statements: str) -> None:
        """Someone with write access to the database: drops the audit guards, then edits."""
        with backends.raw(self.url) as db:
            backends.drop_audit_guards(db)
            for statement in statements:
                db.execute(text(statement))
            db.commit()

    def count(self, table: str) -> int:
        with backends.raw(self.url) as db:
            return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _database_url(tmp_path: Path, empty: Template) -> str:
    """SQLite: a file in a folder that does not exist yet (migrate makes it)."""
    return empty.url or f"sqlite:///{tmp_path / 'data' / 'tracker.db'}"


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty_database: Template) -> Instance:
    """A fresh instance folder configured only through the environment, then `migrate`."""
    folder, url = tmp_path / "instance", _database_url(tmp_path, empty_database)
    for name in ("INCIDENT_TRACKER_ENV", "SECRET_KEY", "FLASK_DEBUG", "SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("INSTANCE_PATH", str(folder))
    created = Instance(folder, url)
    result = created.run("migrate")
    assert result.code == 0 and "latest schema" in result.out, result.err
    return created


@pytest.fixture
def app(instance: Instance) -> Iterator[Flask]:
    """The web app on the same database, to prove the created passwords sign in."""
    settings = Settings(
        env="test",
        instance_path=instance.path,
        database_url=instance.url,
        audit_key=AUDIT_KEY,
        clock=FixedClock(START),
    )
    application = create_app(settings)
    yield application
    application.extensions["incident_tracker.engine"].dispose()


def _signs_in(app: Flask, email: str, password: str) -> bool:
    client = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data).status_code == 302


def _credentials(instance: Instance) -> list[list[str]]:
    return [
        line.split(" ")
        for line in (instance.path / "demo-credentials.txt").read_text().splitlines()
    ]


def test_migrate_creates_the_database_named_by_database_url(instance: Instance) -> None:
    assert instance.count("alembic_version") == 1 and instance.count("app_user") == 0
    assert instance.run("migrate").code == 0  # running it again is harmless


def test_seed_demo_creates_four_accounts_and_a_private_credentials_file(
    instance: Instance, app: Flask
) -> None:
    """One line per user `role email password`, file mode 600, every printed password works."""
    result = instance.run("seed-demo")
    assert result.code == 0
    credentials = instance.path / "demo-credentials.txt"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    lines = _credentials(instance)
    assert [role for role, _, _ in lines] == ROLES
    assert all(len(line) == 3 for line in lines)
    assert instance.count("app_user") == 4
    for role, email, password in lines:
        assert f"{role} {email} {password}" in result.out
        assert _signs_in(app, email, password), f"{role} cannot sign in"


def test_seed_demo_is_idempotent_and_keeps_the_passwords(instance: Instance) -> None:
    first = instance.run("seed-demo")
    before = _credentials(instance)
    events = instance.count("audit_event")
    sent_records = instance.count("sent_record")
    stored = sorted((instance.path / "notices").iterdir())
    again = instance.run("seed-demo")
    assert first.code == again.code == 0
    assert instance.count("app_user") == 4 and instance.count("audit_event") == events
    assert instance.count("assessment_record") == instance.count("assessment_draft") == 1
    assert instance.count("notice") == 2 and instance.count("sent_record") == sent_records
    assert len(stored) == 2 and sorted((instance.path / "notices").iterdir()) == stored
    assert _credentials(instance) == before
    assert again.out == first.out


@contextmanager
def _demo_session(instance: Instance) -> Iterator[Session]:
    engine = make_engine(instance.url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def _by_title(session: Session, title: str) -> Incident:
    found = session.exec(select(Incident).where(Incident.title == title)).one()
    assert found.id is not None
    return found


def _role_of(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id)
    assert user is not None
    return user.role


def test_seed_demo_shows_a_signed_assessment_and_one_stopped_mid_walk(instance: Instance) -> None:
    """In the demo: the chatbot incident has a signed v1 concluding "notify" with the four
    factors of 45 CFR 164.402(2)(i)-(iv) documented and a legal reviewer's comment on it; the
    wrong-payer incident has a draft saved up to factor (iii), so the walk resumes at (iv)."""
    assert instance.run("seed-demo").code == 0
    with _demo_session(instance) as session:
        chatbot = _by_title(session, demo_incidents.SHOWCASE["signed"])
        (record,) = session.exec(
            select(AssessmentRecord).where(AssessmentRecord.incident_id == chatbot.id)
        ).all()
        assert (record.version, record.approach) == (1, "assess")
        assert (record.proposed_outcome, record.outcome, record.override_reason) == (
            "notify",
            "notify",
            "",
        )
        found = risk.findings(json.loads(record.answers))
        assert [(f.factor.code, f.documented) for f in found] == [
            ("i", True),
            ("ii", True),
            ("iii", True),
            ("iv", True),
        ]
        assert chatbot.risk_assessment == "not_low_probability"
        (remark,) = session.exec(
            select(AssessmentComment).where(AssessmentComment.incident_id == chatbot.id)
        ).all()
        assert remark.version == 1 and _role_of(session, remark.author_id) == "legal_reviewer"
        payer = _by_title(session, demo_incidents.SHOWCASE["draft"])
        draft = session.exec(
            select(AssessmentDraft).where(AssessmentDraft.incident_id == payer.id)
        ).one()
        assert (draft.step, draft.based_on_version) == ("factor_iv", None)
        assert not session.exec(
            select(AssessmentRecord).where(AssessmentRecord.incident_id == payer.id)
        ).all()


def test_seed_demo_shows_a_notice_in_review_and_one_approved_and_sent(instance: Instance) -> None:
    """In the demo: the chatbot's F1 letter (45 CFR 164.404) is in legal review with the
    reviewer's comment on its "what happened" paragraph. The remittance incident's F1 letter
    was approved by legal (not its author: four eyes), its DOCX and PDF stored with their
    SHA-256, and recorded as mailed to all 200 people (TX 140 + FL 60) on the seed's day in New
    York, 66 days after discovery: 6 days after the 60-day limit of 164.404(b)."""
    assert instance.run("seed-demo").code == 0
    storage = instance.path / "notices"
    with _demo_session(instance) as session:
        chatbot = _by_title(session, demo_incidents.SHOWCASE["in_review"])
        review = session.exec(select(Notice).where(Notice.incident_id == chatbot.id)).one()
        assert (review.kind, review.state) == ("individual", "in_review")
        (thread,) = session.exec(
            select(NoticeComment).where(NoticeComment.notice_id == review.id)
        ).all()
        (version,) = session.exec(
            select(NoticeVersion).where(NoticeVersion.notice_id == review.id)
        ).all()
        anchored = paragraphs(version.text)[thread.paragraph]
        assert anchored.startswith("A member of our staff pasted clinic notes")
        assert _role_of(session, thread.author_id) == "legal_reviewer"
        assert _role_of(session, version.author_id) == "privacy_officer"

        remittance = _by_title(session, demo_incidents.SHOWCASE["sent"])
        sent = session.exec(select(Notice).where(Notice.incident_id == remittance.id)).one()
        approval = session.exec(
            select(NoticeApproval).where(NoticeApproval.notice_id == sent.id)
        ).one()
        assert (sent.kind, sent.state, sent.sent_version_id) == (
            "individual",
            "sent",
            approval.version_id,
        )
        assert _role_of(session, approval.approved_by) == "legal_reviewer"
        assert json.loads(approval.missing) == [] and approval.override_reason == ""
        for stored, expected, size in (
            (approval.docx_storage, approval.docx_sha256, approval.docx_size),
            (approval.pdf_storage, approval.pdf_sha256, approval.pdf_size),
        ):
            content = (storage / stored).read_bytes()
            assert (hashlib.sha256(content).hexdigest(), len(content)) == (expected, size)
        assert (storage / approval.pdf_storage).read_bytes().startswith(b"%PDF-")
        records = session.exec(
            select(SentRecord).where(SentRecord.incident_id == remittance.id)
        ).all()
        # One mailing; every other duty the same letter settles (a State whose residents the
        # HIPAA letter serves) is recorded as deemed sent from it, never as a second mailing.
        (mailing,) = [r for r in records if r.deemed_from_id is None]
        assert all(r.deemed_from_id == mailing.id for r in records if r is not mailing)
        f1 = session.get(ObligationRecord, mailing.obligation_id)
        assert f1 is not None and f1.rule_id == "F1"
        seeded_at = mailing.recorded_at.replace(tzinfo=UTC)
        in_new_york = seeded_at.astimezone(ZoneInfo("America/New_York")).date()
        assert (mailing.sent_on, mailing.method, mailing.recipients) == (in_new_york, "mail", 200)
        assert mailing.notice_version_id == approval.version_id
        assert remittance.discovered_on == seeded_at.date() - timedelta(days=66)
        assert f1.due == remittance.discovered_on + timedelta(days=60)
        assert f1.done_on == mailing.sent_on
    # The download path re-reads both files against the hashes kept at approval.
    settings = Settings.from_env(
        {"DATABASE_URL": instance.url, "INSTANCE_PATH": str(instance.path)}
    )
    assert settings.notice_storage == storage
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), START, AUDIT_KEY)
            remittance = _by_title(session, demo_incidents.SHOWCASE["sent"])
            sent = session.exec(select(Notice).where(Notice.incident_id == remittance.id)).one()
            for fmt in ("docx", "pdf"):
                got = notice_review.fetch_file(call, remittance, sent, 1, fmt, storage)
                assert got.problem is None and got.content is not None
    finally:
        engine.dispose()
    assert instance.run("audit", "verify").code == 0


def test_seed_demo_passwords_are_random_per_install(
    instance: Instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random passwords per install: no credentials shared between installs."""
    assert instance.run("seed-demo").code == 0
    empty = backends.empty(tmp_path / "other")
    other = Instance(tmp_path / "other", empty.database_url)
    monkeypatch.setenv("DATABASE_URL", other.url)
    monkeypatch.setenv("INSTANCE_PATH", str(other.path))
    try:
        assert other.run("migrate").code == other.run("seed-demo").code == 0
    finally:
        backends.drop(empty.url)
    mine = {password for _, _, password in _credentials(instance)}
    theirs = {password for _, _, password in _credentials(other)}
    assert len(mine) == len(theirs) == 4 and not mine & theirs


def test_create_user_reads_the_password_from_stdin_and_the_user_signs_in(
    instance: Instance, app: Flask
) -> None:
    result = instance.run(
        "create-user", "--role", "admin", "Ops@Example.org", stdin=PASSWORD + "\n"
    )
    assert result.code == 0 and result.out == "created ops@example.org (admin)\n"
    assert PASSWORD not in result.out + result.err
    assert _signs_in(app, "ops@example.org", PASSWORD)
    assert not _signs_in(app, "ops@example.org", "not the password 123")


def test_create_user_has_no_password_argument() -> None:
    """A password on the command line lands in shell history and `ps` output (ASVS 5.0 13.3)."""
    parser = build_parser("create-user")
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    create_user = subcommands.choices["create-user"]
    options = [s for action in create_user._actions for s in action.option_strings]
    assert "--role" in options and not [o for o in options if "pass" in o.lower()]
    with pytest.raises(SystemExit) as caught:
        main(["create-user", "--role", "admin", "--password", PASSWORD, "a@example.org"])
    assert caught.value.code == 2


def test_create_user_refuses_a_weak_password(instance: Instance) -> None:
    """ASVS 5.0 6.2: the shipped common-password list and the minimum length apply here too."""
    common = instance.run("create-user", "--role", "admin", "a@example.org", stdin="password1234\n")
    assert common.code == 2 and "most common passwords" in common.err
    short = instance.run("create-user", "--role", "admin", "a@example.org", stdin="short\n")
    assert short.code == 2 and "at least 12 characters" in short.err
    assert instance.count("app_user") == 0 and instance.count("audit_event") == 0


def test_create_user_refuses_a_duplicate(instance: Instance) -> None:
    argv = ("create-user", "--role", "read_only", "a@example.org")
    assert instance.run(*argv, stdin=PASSWORD).code == 0
    again = instance.run("create-user", "--role", "admin", "A@example.org", stdin=PASSWORD)
    assert again.code == 2 and "already exists" in again.err
    assert instance.count("app_user") == 1


def _populate(instance: Instance) -> None:
    assert instance.run("seed-demo").code == 0  # audited users, demo incidents and obligations


def test_audit_checkpoint_prints_count_and_head_mac(instance: Instance) -> None:
    empty = instance.run("audit", "checkpoint")
    assert empty.code == 0 and empty.out == "0:" + "0" * 64 + "\n"
    _populate(instance)
    result = instance.run("audit", "checkpoint")
    assert result.code == 0
    found = re.fullmatch(r"(\d+):([0-9a-f]{64})\n", result.out)
    assert found and int(found.group(1)) == instance.count("audit_event") > 4
    with backends.raw(instance.url) as db:
        head = db.execute(text("SELECT mac FROM audit_event ORDER BY id DESC LIMIT 1")).scalar()
    assert found.group(2) == head


def test_audit_verify_exits_0_on_an_intact_chain(instance: Instance) -> None:
    _populate(instance)
    result = instance.run("audit", "verify")
    rows = instance.count("audit_event")
    assert result.code == 0 and result.out.startswith(f"audit chain intact: {rows} rows")


def test_audit_verify_exits_1_naming_an_edited_row(instance: Instance) -> None:
    _populate(instance)
    instance.attack('UPDATE audit_event SET new_values = \'{"role": "admin"}\' WHERE id = 3')
    result = instance.run("audit", "verify")
    assert result.code == 1 and "row 3 does not match the chain" in result.err


def test_audit_verify_with_the_wrong_key_fails(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key comes from the environment: the chain only verifies under the one that wrote it."""
    _populate(instance)
    monkeypatch.setenv("AUDIT_KEY", "another-audit-key-0123456789abcdef0123")
    result = instance.run("audit", "verify")
    assert result.code == 1 and "row 1 does not match the chain" in result.err


def test_audit_verify_checkpoint_detects_a_cut_tail(instance: Instance) -> None:
    _populate(instance)
    taken = instance.run("audit", "checkpoint").out.strip()
    assert instance.run("audit", "verify", "--checkpoint", taken).code == 0
    instance.attack("DELETE FROM audit_event WHERE id >= 3")
    assert instance.run("audit", "verify").code == 0  # the shorter chain is still consistent
    result = instance.run("audit", "verify", "--checkpoint", taken)
    assert result.code == 1 and "tail cut" in result.err


def test_help_lists_the_operator_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    shown = capsys.readouterr().out
    for name in (*OPERATOR_COMMANDS, "deadlines", "rules"):
        assert re.search(rf"^\s+{re.escape(name)}\s", shown, re.MULTILINE), name
