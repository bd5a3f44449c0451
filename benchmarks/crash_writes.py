"""Crash safety of the web writes: SIGKILL the gunicorn worker again and again while it creates
incidents and approves notices, and check after each kill that nothing acknowledged was lost
and nothing was left half-done.

1. A temporary database (SQLite, or PostgreSQL with --backend postgres: bench_backend.py) is
   migrated; through the services an organisation profile, officers, legal reviewers and
   --notices incidents whose individual notice (F1, 45 CFR 164.404) is drafted and in legal
   review, ready to approve.
2. gunicorn serves the app with one worker of 4 threads (so every kill lands on the worker
   serving these writes, with several requests in flight) and STORAGE_PATH in the run's folder.
   Officers create incidents through the form (GET /incidents/new, POST /incidents); reviewers
   approve the waiting notices through theirs (GET the notice page, POST .../approve, which
   renders the DOCX and PDF, stores them and records their SHA-256). A 302 is an acknowledged
   write; a connection cut by the kill is not (it may or may not have been committed).
3. --kills times: once the master has started a new worker and it has acknowledged both an
   incident and an approval, wait a random 0 to 1 s (an approval takes about that long, so kills
   land in every part of it) and SIGKILL the worker; gunicorn's master starts another.
4. After each kill, and at the end, the database and the storage folder are checked:
   lost = acknowledged incidents or approvals not in the database;
   incomplete = an incident without its obligations or its `incident.create` audit row, an
   approval whose DOCX or PDF is missing or differs from its recorded SHA-256, a notice whose
   state and approval row disagree, or an audit chain that does not verify.
   Files written by a request killed before its commit have no row and are only counted (orphan
   files): nothing refers to them.

Prints a line per kill, the unacknowledged and refused requests, the load average before and
after, and last `crash BACKEND kills K acknowledged A lost L incomplete I` (L and I must be 0).
Traffic goes only to 127.0.0.1; every wait is bounded and gunicorn is stopped by its pid.
Run: `.venv/bin/python benchmarks/crash_writes.py [--backend sqlite|postgres] [--kills 12]`.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bench_backend
from bench_http import Browser, children, form_posting_to, gunicorn, server_errors
from sqlalchemy import text
from sqlmodel import Session, select

from incident_tracker.cli_admin import migrate
from incident_tracker.config import PROJECT_ROOT, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Notice, NoticeApproval, ObligationRecord, User
from incident_tracker.services import audit, incidents, notice_review, notice_versions, users
from incident_tracker.services import organisation as org
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues

PASSWORD = "crash benchmark password " + secrets.token_hex(8)
AUDIT_KEY = secrets.token_hex(32)
SECRET_KEY = secrets.token_hex(32)
OFFICERS, REVIEWERS = 2, 2
INCIDENT = IncidentValues(
    title="Crash benchmark",
    discovered_on=None,
    breach_type="theft",
    location="laptop",
    states={"NY": 600},
    data_elements=("name", "ssn"),
    medium="electronic",
    acquired=True,
    phi_encrypted=False,
    risk_assessment="not_low_probability",
)
PROFILE = org.ProfileInput(
    legal_name="Crash Health (synthetic)",
    address="100 Main Street, Albany, NY 12207",
    time_zone="America/New_York",
    is_covered_entity=True,
    covered_entity_type="provider",
    is_business_associate=False,
    nydfs_covered_entity=False,
    toll_free_number="1-800-555-0100",
    contact_email="privacy@crash.example",
    website="https://crash.example",
    postal_address="",
    internal_target_days="",
)


def seed(settings: Settings, notices: int) -> list[str]:
    """People and `notices` notices in legal review; returns each notice page's path."""
    migrate(settings)
    engine = make_engine(settings.db_url)
    now = datetime.now(UTC) - timedelta(minutes=5)
    paths = []
    try:
        with unit_of_work(engine) as session:
            system = Call(session, Actor(None, "benchmark", trusted=True), now, AUDIT_KEY)
            org.update(system, PROFILE)
            for n in range(OFFICERS):
                users.create_user(system, f"officer{n}@example.org", "privacy_officer", PASSWORD)
            for n in range(REVIEWERS):
                users.create_user(system, f"legal{n}@example.org", "legal_reviewer", PASSWORD)
            officer = session.exec(select(User).where(User.role == "privacy_officer")).first()
            assert officer is not None
            call = Call(
                session, Actor(officer.id, officer.email, officer.role, "127.0.0.1"), now, AUDIT_KEY
            )
            discovered = (now - timedelta(days=10)).date()
            for n in range(notices):
                values = IncidentValues(
                    **{
                        **INCIDENT.__dict__,
                        "title": f"Waiting notice {n}",
                        "discovered_on": discovered,
                        "owner_id": officer.id,
                    }
                )
                incident = incidents.create(call, values)
                f1 = session.exec(
                    select(ObligationRecord).where(
                        ObligationRecord.incident_id == incident.id,
                        ObligationRecord.rule_id == "F1",
                    )
                ).one()
                notice = notice_versions.create(call, incident, f1.id or 0)
                notice_review.submit(call, incident, notice, 1)
                paths.append(f"/incidents/{incident.id}/obligations/{f1.id}/notice")
    finally:
        engine.dispose()
    return paths


@dataclass
class Ledger:
    """What the clients were told: acknowledged writes, cut connections, other answers."""

    incidents: set[int] = field(default_factory=set)
    approvals: set[int] = field(default_factory=set)  # incident ids whose F1 approval was acked
    unacknowledged: int = 0
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def counts(self) -> tuple[int, int]:
        with self.lock:
            return len(self.incidents), len(self.approvals)

    @property
    def acknowledged(self) -> int:
        with self.lock:
            return len(self.incidents) + len(self.approvals)


def officer_loop(browser: Browser, ledger: Ledger, stop: threading.Event, n: int) -> None:
    made = 0
    while not stop.is_set():
        try:
            page = browser.request("GET", "/incidents/new")
            if page.status != 200:
                time.sleep(0.05)
                continue
            form = form_posting_to(page.body, "/incidents")
            made += 1
            form.set("title", f"Created by officer {n} ({made})")
            form.set("breach_type", "theft")
            form.set("location", "laptop")
            form.set("discovered_on", (datetime.now(UTC) - timedelta(days=3)).date().isoformat())
            form.set("state_code", "PA")
            form.set("state_count", "600")
            form.choose("data_elements", ["name", "ssn"])
            form.set("acquired", "yes")
            form.set("phi_encrypted", "no")
            form.set("risk_assessment", "not_low_probability")
            answer = browser.request("POST", "/incidents", form.fields)
        except (OSError, http.client.HTTPException):  # the connection cut by the kill
            with ledger.lock:
                ledger.unacknowledged += 1
            continue
        found = re.search(r"/incidents/(\d+)$", answer.location)
        with ledger.lock:
            if answer.status == 302 and found:
                ledger.incidents.add(int(found.group(1)))
            else:
                ledger.refused.append(f"create: {answer.status}")


def reviewer_loop(
    browser: Browser, ledger: Ledger, stop: threading.Event, waiting: list[str]
) -> None:
    while not stop.is_set():
        with ledger.lock:
            if not waiting:
                return
            path = waiting.pop()
        try:
            page = browser.request("GET", path)
            if page.status != 200:
                with ledger.lock:
                    ledger.refused.append(f"notice page: {page.status}")
                continue
            form = form_posting_to(page.body, path + "/approve")
            form.set("number", "1")
            form.set("override", "1")
            form.set("reason", "Counsel approved with the details still to come")
            answer = browser.request("POST", path + "/approve", form.fields)
        except (OSError, http.client.HTTPException):  # the connection cut by the kill
            with ledger.lock:
                ledger.unacknowledged += 1
            continue
        except LookupError:  # a killed attempt had committed: the page offers no approval now
            with ledger.lock:
                ledger.refused.append("no approval offered")
            continue
        with ledger.lock:
            if answer.status == 302:
                ledger.approvals.add(int(path.split("/")[2]))
            else:
                ledger.refused.append(f"approve: {answer.status}")


@dataclass
class Findings:
    lost: set[str] = field(default_factory=set)
    incomplete: set[str] = field(default_factory=set)
    orphan_files: int = 0


def check(settings: Settings, storage: Path, ledger: Ledger, findings: Findings) -> None:
    """The database and the storage folder against what was acknowledged (module docstring)."""
    with ledger.lock:
        acked_incidents, acked_approvals = set(ledger.incidents), set(ledger.approvals)
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            db = session.connection()
            present = set(db.execute(text("SELECT id FROM incident")).scalars())
            findings.lost |= {f"incident {i}" for i in acked_incidents - present}
            for (incident_id,) in db.execute(
                text(
                    "SELECT i.id FROM incident i WHERE NOT EXISTS "
                    "(SELECT 1 FROM obligation o WHERE o.incident_id = i.id)"
                )
            ):
                findings.incomplete.add(f"incident {incident_id} without obligations")
            for (incident_id,) in db.execute(
                text(
                    "SELECT i.id FROM incident i WHERE NOT EXISTS (SELECT 1 FROM audit_event a "
                    "WHERE a.action = 'incident.create' "
                    "AND a.object_id = CAST(i.id AS VARCHAR(64)))"
                )
            ):
                findings.incomplete.add(f"incident {incident_id} without its audit row")
            approved_incidents = set()
            referenced = set()
            for approval, notice in session.exec(
                select(NoticeApproval, Notice).where(NoticeApproval.notice_id == Notice.id)
            ):
                approved_incidents.add(notice.incident_id)
                if notice.state not in ("approved", "sent"):
                    findings.incomplete.add(f"approval {approval.id} of a {notice.state} notice")
                for name, digest in (
                    (approval.docx_storage, approval.docx_sha256),
                    (approval.pdf_storage, approval.pdf_sha256),
                ):
                    referenced.add(name)
                    stored = storage / "notices" / name
                    if not stored.is_file():
                        findings.incomplete.add(f"approval {approval.id}: {name} missing")
                    elif hashlib.sha256(stored.read_bytes()).hexdigest() != digest:
                        findings.incomplete.add(f"approval {approval.id}: {name} differs")
            for notice in session.exec(select(Notice).where(Notice.state == "approved")):
                if notice.incident_id not in approved_incidents:
                    findings.incomplete.add(f"notice {notice.id} approved without its approval")
            findings.lost |= {
                f"approval of incident {i}" for i in acked_approvals - approved_incidents
            }
            chain = audit.verify(session, AUDIT_KEY)
            if not chain.ok:
                findings.incomplete.add(f"audit chain: {chain.message}")
    finally:
        engine.dispose()
    folder = storage / "notices"
    on_disk = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    findings.orphan_files = len(on_disk - referenced)


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bench_backend.add_argument(parser)
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--notices", type=int, default=150, help="notices waiting for approval")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the run's folder and logs")
    args = parser.parse_args()
    kills_wanted = min(max(args.kills, 1), 100)
    rng_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(rng_seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-crash-"))
    storage = folder / "storage"
    try:
        with bench_backend.database(args.backend, folder / "instance") as url:
            settings = Settings(
                env="development",
                instance_path=folder / "instance",
                audit_key=AUDIT_KEY,
                secret_key=SECRET_KEY,
                database_url=url,
                storage_path=storage,
            )
            began = time.perf_counter()
            waiting = seed(settings, args.notices)
            print(
                f"{args.backend}; seed {rng_seed}; {len(waiting)} notices in review, seeded in "
                f"{time.perf_counter() - began:.1f} s; load average {bench_backend.load_average()}",
                flush=True,
            )
            env = {
                **os.environ,
                "INCIDENT_TRACKER_ENV": "development",
                "INSTANCE_PATH": str(folder / "instance"),
                "DATABASE_URL": url,
                "STORAGE_PATH": str(storage),
                "AUDIT_KEY": AUDIT_KEY,
                "SECRET_KEY": SECRET_KEY,
            }
            port = bench_backend.free_port()
            ledger, findings, stop = Ledger(), Findings(), threading.Event()
            kills = 0
            with gunicorn(port, env, PROJECT_ROOT, folder / "gunicorn.log", 1, 4) as master:
                officers = [Browser(port) for _ in range(OFFICERS)]
                reviewers = [Browser(port) for _ in range(REVIEWERS)]
                for n, browser in enumerate(officers):
                    browser.sign_in(f"officer{n}@example.org", PASSWORD)
                for n, browser in enumerate(reviewers):
                    browser.sign_in(f"legal{n}@example.org", PASSWORD)
                threads = [
                    threading.Thread(target=officer_loop, args=(b, ledger, stop, n), daemon=True)
                    for n, b in enumerate(officers)
                ] + [
                    threading.Thread(
                        target=reviewer_loop, args=(b, ledger, stop, waiting), daemon=True
                    )
                    for b in reviewers
                ]
                for thread in threads:
                    thread.start()
                try:
                    for _ in range(kills_wanted):
                        before = ledger.counts()
                        if not wait_for(
                            lambda b=before: (
                                len(children(master.pid)) == 1
                                and all(
                                    now > then for now, then in zip(ledger.counts(), b, strict=True)
                                )
                            ),
                            120,
                        ):
                            print("no creation and approval acknowledged within 120 s; stopping")
                            break
                        time.sleep(rng.uniform(0, 1.0))
                        [worker] = children(master.pid) or [0]
                        if not worker:
                            continue
                        os.kill(worker, signal.SIGKILL)
                        kills += 1
                        wait_for(lambda w=worker: w not in children(master.pid), 30)
                        check(settings, storage, ledger, findings)
                        print(
                            f"kill {kills}: acknowledged {ledger.acknowledged} "
                            f"(incidents {len(ledger.incidents)}, approvals "
                            f"{len(ledger.approvals)}), lost {len(findings.lost)}, incomplete "
                            f"{len(findings.incomplete)}, orphan files {findings.orphan_files}",
                            flush=True,
                        )
                finally:
                    stop.set()
                    for thread in threads:
                        thread.join(timeout=90)
            check(settings, storage, ledger, findings)
            for problem in sorted(findings.lost | findings.incomplete)[:10]:
                print(f"  {problem}")
            if ledger.refused:
                for line in server_errors(folder / "gunicorn.log"):
                    print(f"  server: {line}")
            print(
                f"unacknowledged (connection cut by a kill) {ledger.unacknowledged}; other "
                f"answers {len(ledger.refused)} {sorted(set(ledger.refused))[:5]}; orphan files "
                f"{findings.orphan_files}; load average {bench_backend.load_average()}"
            )
            print(
                f"crash {args.backend} kills {kills} acknowledged {ledger.acknowledged} "
                f"lost {len(findings.lost)} incomplete {len(findings.incomplete)}"
            )
            return 0 if not (findings.lost or findings.incomplete) and kills >= 10 else 1
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
