"""Load: 30 signed-in people for 60 s mixing reads and writes, with the scheduler running.

A temporary database (SQLite, or PostgreSQL with --backend postgres: bench_backend.py) is
migrated and seeded through the services: one privacy officer per simulated person, each owning
OWN_INCIDENTS incidents discovered 20 to 80 days ago (their reminders fall due, so the scheduler
sends while the people work). The app runs under gunicorn as the README deploys it (2 workers,
normal development settings with fixed keys), `incident-tracker scheduler` beside it (a tick every
5 s, mail to an SMTP server in this process). Each person signs in through the form, then until
the time is up repeats: pick an action by weight, do it as a browser would, pause (think time,
uniform in [0, 2 x --think] s):

    board        GET /                                              15
    register     GET /incidents?page=N                              20
    incident     GET /incidents/<any id>                            25
    create       GET /incidents/new, POST /incidents                10
    edit facts   GET /incidents/<own>/edit, POST /incidents/<own>   15
    record sent  GET /incidents/<own>, GET its sent form, POST it   15

Forms are filled from the page (the CSRF token, the lock version, every shown value), changing
only what a person types. People write only to their own incidents, so a 409 (someone else
saved first) is not expected: every answer other than 200 (pages) or 302 (saved) is an error,
except the sending form's request for a confirmation (a notice recorded before the one that must
precede it): the person confirms with a reason and sends the form again, as the page asks.

Prints per action the count and p50/p95, the scheduler's messages, the load average before and
after, and last `load BACKEND users U seconds S requests N errors E p95 MS` (every HTTP request
begun in the window; E must be 0). Traffic goes only to 127.0.0.1; the run stops by itself.
Run: `.venv/bin/python benchmarks/load.py [--backend sqlite|postgres] [--users 30] [--seconds 60]`.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bench_backend
from aiosmtpd.controller import Controller
from bench_http import Answer, Browser, form_posting_to, gunicorn, server_errors
from sqlalchemy import text

from incident_tracker.cli_admin import migrate
from incident_tracker.config import PROJECT_ROOT, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Organisation
from incident_tracker.services import incidents, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from incident_tracker.services.register import PAGE_SIZE

OWN_INCIDENTS = 5
PASSWORD = "load benchmark password " + secrets.token_hex(8)
AUDIT_KEY = secrets.token_hex(32)
SECRET_KEY = secrets.token_hex(32)
STATES = ["NY", "NJ", "CA", "PA", "TX", "FL", "OH", "MA"]
MIX = (
    ("board", 15),
    ("register", 20),
    ("incident", 25),
    ("create", 10),
    ("edit facts", 15),
    ("record sent", 15),
)
FIELD_ERROR = re.compile(r'<p class="error"[^>]*\bid="([a-z_]+)-error"[^>]*>([^<]*)</p>')
# What the sending form asks a person to confirm, with a reason, before it records (a notice sent
# before the one that must precede it, N.J.S.A. 56:8-163(c)(1); a stale approved text).
CONFIRMATIONS = {"order_reason": "order_confirmed", "stale_reason": "stale_override"}
SENT_LINK = re.compile(r'href="(/incidents/\d+/obligations/\d+/sent)"')


class Sink:
    """The scheduler's SMTP server: counts what it is given."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0)
        self.messages += 1
        return "250 OK"


def email(n: int) -> str:
    return f"officer{n:02d}@example.org"


def values(rng: random.Random, now: datetime, owner: int, title: str) -> IncidentValues:
    states = rng.sample(STATES, rng.randint(1, 2))
    return IncidentValues(
        title=title,
        discovered_on=(now - timedelta(days=rng.randint(20, 80))).date(),
        breach_type=rng.choice(["theft", "unauthorized_access_disclosure", "hacking_it_incident"]),
        location=rng.choice(["laptop", "email", "network_server"]),
        states={s: rng.choice([40, 499, 600, 1200]) for s in states},
        data_elements=("name", "ssn"),
        medium="electronic",
        acquired=True,
        phi_encrypted=False,
        risk_assessment="not_low_probability",
        owner_id=owner,
    )


def seed(settings: Settings, people: int, rng: random.Random) -> dict[str, list[int]]:
    """The people and their incidents, through the services; each person's own incident ids."""
    migrate(settings)
    engine = make_engine(settings.db_url)
    now = datetime.now(UTC)
    own: dict[str, list[int]] = {}
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "benchmark", trusted=True), now, AUDIT_KEY)
            session.add(Organisation(id=1, legal_name="Load Health (synthetic)"))
            for n in range(people):
                user = users.create_user(call, email(n), "privacy_officer", PASSWORD, f"P{n}")
                own[email(n)] = [
                    incidents.create(call, values(rng, now, user.id or 0, f"Seeded {n}-{k}")).id
                    or 0
                    for k in range(OWN_INCIDENTS)
                ]
    finally:
        engine.dispose()
    return own


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies.setdefault(action, []).append(seconds)
            if problem:
                self.errors.append(f"{action}: {problem}")


class Person:
    def __init__(self, port: int, who: str, own: list[int], every: list[int], pages: int) -> None:
        self.browser = Browser(port)
        self.who, self.own, self.every, self.pages = who, own, every, pages
        self.edits = 0

    def timed(
        self, tally: Tally, action: str, method: str, path: str, data: Any, expect: int
    ) -> Answer | None:
        began = time.perf_counter()
        try:
            answer = self.browser.request(method, path, data)
        except (OSError, http.client.HTTPException) as exc:
            tally.add(action, time.perf_counter() - began, f"{method} {path}: {exc!r}")
            return None
        problem = None
        if answer.status == 422 and expect == 302 and confirm_asked(answer.body):
            return answer  # the form asks for a confirmation: the caller gives it
        if answer.status != expect:
            said = [m for _, m in FIELD_ERROR.findall(answer.body)[:3]]  # never typed values
            problem = f"{method} {path}: {answer.status} {'; '.join(said)}".rstrip()
        tally.add(action, time.perf_counter() - began, problem)
        return answer if problem is None else None

    def act(self, action: str, rng: random.Random, tally: Tally) -> None:
        get = lambda path: self.timed(tally, action, "GET", path, None, 200)  # noqa: E731
        post = lambda path, form: self.timed(tally, action, "POST", path, form, 302)  # noqa: E731
        if action == "board":
            get("/")
        elif action == "register":
            get(f"/incidents?page={rng.randint(1, self.pages)}")
        elif action == "incident":
            get(f"/incidents/{rng.choice(self.every)}")
        elif action == "create":
            page = get("/incidents/new")
            if page is None:
                return
            form = form_posting_to(page.body, "/incidents")
            made = values(rng, datetime.now(UTC), 0, f"Load {self.who} {len(self.own)}")
            form.set("title", made.title)
            form.set("narrative", "Created under load.")
            form.set("breach_type", made.breach_type)
            form.set("location", made.location)
            form.set("discovered_on", (made.discovered_on or datetime.now(UTC).date()).isoformat())
            (code, count), *_ = made.states.items()
            form.set("state_code", code)
            form.set("state_count", str(count))
            form.choose("data_elements", list(made.data_elements))
            form.set("acquired", "yes")
            form.set("phi_encrypted", "no")
            form.set("risk_assessment", "not_low_probability")
            answer = post("/incidents", form.fields)
            if answer is not None and (found := re.search(r"/incidents/(\d+)$", answer.location)):
                self.own.append(int(found.group(1)))
        elif action == "edit facts":
            target = rng.choice(self.own)
            page = get(f"/incidents/{target}/edit")
            if page is None:
                return
            form = form_posting_to(page.body, f"/incidents/{target}")
            self.edits += 1
            form.set("narrative", f"Edited under load ({self.edits}).")
            form.set("state_count", str(rng.choice([40, 499, 600, 1200])))
            counts = [int(v) for k, v in form.fields if k == "state_count" and v.strip()]
            form.set("total_affected", str(sum(counts)))  # the total covers every State's count
            post(f"/incidents/{target}", form.fields)
        elif action == "record sent":
            target = rng.choice(self.own)
            page = get(f"/incidents/{target}")
            links = SENT_LINK.findall(page.body) if page is not None else []
            if not links:
                return
            path = rng.choice(links)
            form_page = get(path)
            if form_page is None:
                return
            form = form_posting_to(form_page.body, path)
            form.set("recipients", str(rng.randint(1, 1200)))
            form.set("reference", f"LOAD-{rng.randrange(10**6):06d}")
            answer = post(path, form.fields)
            if answer is not None and answer.status == 422:  # confirm, as the person is asked to
                form = form_posting_to(answer.body, path)
                for reason, box in CONFIRMATIONS.items():
                    if f'id="{reason}-error"' in answer.body:
                        form.set(box, "yes")
                        form.set(reason, "Sent as the regulator asked (load benchmark)")
                post(path, form.fields)


def run_people(people: list[Person], seconds: float, think: float, seed: int) -> Tally:
    tally = Tally()
    weights = [w for _, w in MIX]
    actions = [a for a, _ in MIX]
    stop_at = time.perf_counter() + seconds

    def run(index: int, person: Person) -> None:
        rng = random.Random(seed + index)
        time.sleep(rng.uniform(0, 2 * think))  # people do not all start at the same instant
        while time.perf_counter() < stop_at:
            action = rng.choices(actions, weights)[0]
            try:
                person.act(action, rng, tally)
            except LookupError as exc:  # a page without the form a person would fill in
                with tally.lock:
                    tally.errors.append(f"{action}: {exc}")
            time.sleep(rng.uniform(0, 2 * think))

    threads = [threading.Thread(target=run, args=(i, p), daemon=True) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return tally


def confirm_asked(page: str) -> bool:
    """A 422 whose only messages ask for a confirmation the person can give."""
    found = {name for name, _ in FIELD_ERROR.findall(page)}
    return bool(found) and found <= set(CONFIRMATIONS)


def count_incidents(settings: Settings) -> int:
    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as db:
            return int(db.execute(text("SELECT count(*) FROM incident")).scalar() or 0)
    finally:
        engine.dispose()


def p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bench_backend.add_argument(parser)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between actions")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--keep", action="store_true", help="keep the run's folder and logs")
    args = parser.parse_args()
    seconds = min(max(args.seconds, 5.0), 600.0)
    people_count = min(max(args.users, 1), 200)
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    sink = Sink()
    smtp_port = bench_backend.free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    scheduler: subprocess.Popen[bytes] | None = None
    try:
        with bench_backend.database(args.backend, folder) as url:
            settings = Settings(
                env="development",
                instance_path=folder,
                audit_key=AUDIT_KEY,
                secret_key=SECRET_KEY,
                database_url=url,
            )
            began = time.perf_counter()
            own = seed(settings, people_count, rng)
            every = sorted(i for ids in own.values() for i in ids)
            print(
                f"{args.backend}: seeded {people_count} people and {len(every)} incidents in "
                f"{time.perf_counter() - began:.1f} s",
                flush=True,
            )
            env = {
                **os.environ,
                "INCIDENT_TRACKER_ENV": "development",
                "INSTANCE_PATH": str(folder),
                "DATABASE_URL": url,
                "AUDIT_KEY": AUDIT_KEY,
                "SECRET_KEY": SECRET_KEY,
                "AUDIT_CHECKPOINT_DIR": str(folder / "audit-checkpoints"),
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(smtp_port),
                "SMTP_FROM": "tracker@example.org",
                "REMINDER_TICK_SECONDS": "5",
            }
            port = bench_backend.free_port()
            with gunicorn(port, env, PROJECT_ROOT, folder / "gunicorn.log"):
                with (folder / "scheduler.log").open("ab") as log:
                    scheduler = subprocess.Popen(
                        [str(Path(sys.executable).with_name("incident-tracker")), "scheduler"],
                        env=env,
                        stdout=log,
                        stderr=log,
                    )
                pages = -(-len(every) // PAGE_SIZE)
                people = [Person(port, who, own[who], every, pages) for who in own]
                for person in people:
                    person.browser.sign_in(person.who, PASSWORD)
                before = bench_backend.load_average()
                print(f"load average before {before}", flush=True)
                tally = run_people(people, seconds, args.think, args.seed)
                after = bench_backend.load_average()
                scheduler.terminate()
                scheduler.wait(timeout=15)
            every_latency = [x for xs in tally.latencies.values() for x in xs]
            for action, _ in MIX:
                xs = tally.latencies.get(action, [])
                print(
                    f"  {action:<12} {len(xs):6d} requests  p50 {p(xs, 50):7.1f} ms  "
                    f"p95 {p(xs, 95):7.1f} ms"
                )
            for problem in tally.errors[:10]:
                print(f"  error: {problem}")
            if tally.errors:  # the server's side: exception types (their messages are withheld)
                for line in server_errors(folder / "gunicorn.log"):
                    print(f"  server: {line}")
            print(f"scheduler: {sink.messages} reminder message(s) sent during the run")
            created = sum(len(person.own) - OWN_INCIDENTS for person in people)
            stored = count_incidents(settings) - len(every)
            print(f"incidents created: {created} acknowledged, {stored} in the database")
            if stored != created:
                tally.errors.append(f"{created} creations acknowledged, {stored} stored")
            print(f"load average after {after}")
            print(
                f"load {args.backend} users {people_count} seconds {seconds:g} "
                f"requests {len(every_latency)} errors {len(tally.errors)} "
                f"p95 {p(every_latency, 95):.0f}"
            )
            return 1 if tally.errors else 0
    finally:
        if scheduler is not None and scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait(timeout=10)
        controller.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
