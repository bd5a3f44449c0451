"""Web throughput: the signed-in register and incident pages against a bare Flask route.

Seeds 10,000 incidents into a temporary SQLite database, serves the app with gunicorn (2 workers)
on 127.0.0.1 with every security check and audit write in place (server-side session check,
permission check, CSRF-bearing forms, security headers, an HMAC-chained audit row per incident
view), then drives 20 concurrent clients for a fixed time against /incidents?page=N and
/incidents/<id>, and the same against a bare Flask route served by this script's own tiny app
on the same gunicorn settings, and against the floor of benchmarks/web_floor.py (a page with the
session check and a durable audit row, nothing else). Prints req/s and p50/p95 latency for each,
the line `ratio X` (register req/s / bare req/s; target >= 0.5 and p95 < 25 ms at 20 clients) and
beside it `incident page ratio R p95 MS` (R = incident summary req/s / floor req/s, same run;
target R >= 0.5 and p95 < 60 ms). The incident summary and the floor are driven in SLICES
alternating windows, both servers up, so R compares them under the same conditions (on this
shared virtual machine the same code's CPU per request drifts by half from one minute to the
next).

Seeding, fast but real (about 10 s): TEMPLATES distinct incidents are created through the
services (facts validated, obligations computed by the real engine with their version rows, audit
rows written); those discovered more than OPEN_DAYS ago in a five-year history get every legal
duty recorded as done (through the service, so done dates feed the engine) and are closed or
voided, the rest are in intake, assessment or notification; one in ten is restricted to another
officer. Then their incident, incident_state, incident_assignee, obligation and obligation_version
rows are copied with INSERT ... SELECT under new ids and numbers until there are 10,000. Copies
keep their template's facts, so their obligations are exactly what the engine computes for them;
they have no audit rows of their own (the chain stays valid: nothing is edited).

The app runs with its normal (development) settings and random SECRET_KEY and AUDIT_KEY; cookies
lack the Secure flag only because the traffic is plain HTTP on 127.0.0.1. Each client signs in
through the form (CSRF token, argon2id check) with its own session, like 20 browser tabs.
The machine's load average is printed first: other work on the same CPUs lowers every figure.
Each phase also prints the CPU time per request of the server (gunicorn's master and workers,
from /proc) and of the clients (this script), which other work changes far less than req/s; the
line before `ratio X` divides the bare route's CPU per request by the register's, roughly the
ratio to expect on otherwise idle CPUs (for information: `ratio X` is always the measured one).

Traffic goes only to 127.0.0.1; every loop is bounded in time and count and stops by itself.
Run: `make bench-web` or `.venv/bin/python benchmarks/web.py [--duration 10] [--profile]`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import text
from sqlmodel import col, select

from incident_tracker.clock import SystemClock
from incident_tracker.config import PROJECT_ROOT, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Incident, ObligationRecord, Organisation
from incident_tracker.services import incidents, sending, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from incident_tracker.services.register import PAGE_SIZE, local_today

SEED = 20261123
INCIDENTS = 10_000
TEMPLATES = 250
CLIENTS = 20
MAX_REQUESTS_PER_CLIENT = 200_000
WARM_UP_SECONDS = 1.0
SLICES = 5  # alternating windows of the incident summary and the floor (`alternate`)
HISTORY_DAYS = 5 * 365  # a register of five years: incidents older than OPEN_DAYS are closed
OPEN_DAYS = 150
EMAIL = "bench-officer@example.org"
COLLEAGUE = "bench-colleague@example.org"
PASSWORD = "benchmark password " + secrets.token_hex(8)
AUDIT_KEY = secrets.token_hex(32)
SECRET_KEY = secrets.token_hex(32)
STATES = ["NY", "NJ", "CA", "PA", "TX", "FL", "OH", "DC", "MA"]
ELEMENTS = ["ssn", "diagnosis", "medical_record_number", "drivers_license", "date_of_birth"]
BARE_APP = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok() -> str:
    return "ok"
"""


# --- seeding ---------------------------------------------------------------------------------


def template_values(rng: random.Random, today: date, owner: int, colleague: int) -> IncidentValues:
    """One of the distinct fact patterns: discovered in the last HISTORY_DAYS, 1-3 States, some
    restricted to a colleague (the signed-in officer must not see those)."""
    restricted = rng.random() < 0.1
    states = rng.sample(STATES, rng.randint(1, 3))
    return IncidentValues(
        title=f"Benchmark incident {rng.randrange(10**6):06d}",
        discovered_on=today - timedelta(days=rng.randrange(0, HISTORY_DAYS)),
        breach_type=rng.choice(["unauthorized_access_disclosure", "theft", "hacking_it_incident"]),
        location=rng.choice(["network_server", "email", "laptop", "paper_films"]),
        states={s: rng.choice([3, 40, 499, 600, 1200, 6000]) for s in states},
        data_elements=("name", *rng.sample(ELEMENTS, rng.randint(1, 3))),
        acquired=rng.choice([True, None]),
        phi_encrypted=False,
        risk_assessment="not_low_probability",
        restricted=restricted,
        owner_id=colleague if restricted or rng.random() < 0.3 else owner,
        assignee_ids=(owner,) if rng.random() < 0.2 else (),
    )


def seed(settings: Settings) -> None:
    """The schema, a privacy officer and a colleague, TEMPLATES incidents through the services,
    then copies up to INCIDENTS (see the module docstring)."""
    from incident_tracker.cli_admin import migrate

    migrate(settings)
    now = SystemClock().now()
    engine = make_engine(settings.db_url)
    rng = random.Random(SEED)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "benchmark", trusted=True), now, AUDIT_KEY)
            session.add(Organisation(id=1, legal_name="Benchmark Health (synthetic)"))
            officer = users.create_user(call, EMAIL, "privacy_officer", PASSWORD, "Officer")
            colleague = users.create_user(call, COLLEAGUE, "privacy_officer", PASSWORD, "Colleague")
            today = local_today(call)  # the organisation's date, as the services count days
            for n in range(TEMPLATES):
                values = template_values(rng, today, officer.id or 0, colleague.id or 0)
                incident = incidents.create(call, values)
                if (today - incident.discovered_on).days > OPEN_DAYS:
                    _close(call, incident, today, void=n % 20 == 0)
                elif n % 3:
                    incidents.set_status(
                        call, incident, ("assessment", "notification")[n % 2], "", False
                    )
        with unit_of_work(engine) as session:
            _clone(session, now.year)
    finally:
        engine.dispose()


def _close(call: Call, incident: Incident, today: date, void: bool) -> None:
    """An old incident: every legal duty recorded as done (each feeding the engine, as in the
    app), then closed; or void."""
    if void:
        incidents.set_status(call, incident, "void", "not a breach: duplicate report", False)
        return
    for _ in range(40):  # a done date can add or move a duty (NY5 follows the HHS date)
        open_duty = call.session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == incident.id,
                ObligationRecord.live == True,  # noqa: E712
                ObligationRecord.kind == "legal",
                col(ObligationRecord.done_on).is_(None),
            )
        ).first()
        if open_duty is None:
            break
        sent = open_duty.due or incident.discovered_on + timedelta(days=20)
        sent = max(incident.discovered_on, min(sent, today))
        sending.record_sent(
            call, incident, open_duty.id or 0, sending.SentInput(sent, "mail", None, "")
        )
    incidents.set_status(call, incident, "closed", "all notices sent", True)


def _clone(session: Any, year: int) -> None:
    db = session.connection()

    def top(table: str) -> int:
        return int(db.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0)

    tables = ("incident", "incident_state", "incident_assignee", "obligation", "obligation_version")
    maxima = {t: top(t) for t in tables}
    columns = {t: [r[1] for r in db.execute(text(f"PRAGMA table_info({t})")).all()] for t in tables}
    db.execute(
        text("UPDATE incident SET number = printf('INC-%d-%05d', :year, id)"), {"year": year}
    )
    copies = -(-INCIDENTS // maxima["incident"]) - 1
    for k in range(1, copies + 1):
        offset = {t: k * maxima[t] for t in tables}
        limit = INCIDENTS - k * maxima["incident"]
        plans: dict[str, dict[str, str]] = {
            "incident": {
                "id": f"id + {offset['incident']}",
                "number": f"printf('INC-%d-%05d', {year}, id + {offset['incident']})",
                "title": f"title || ' (copy {k})'",
            },
            "incident_state": {
                "id": f"id + {offset['incident_state']}",
                "incident_id": f"incident_id + {offset['incident']}",
            },
            "incident_assignee": {
                "id": f"id + {offset['incident_assignee']}",
                "incident_id": f"incident_id + {offset['incident']}",
            },
            "obligation": {
                "id": f"id + {offset['obligation']}",
                "incident_id": f"incident_id + {offset['incident']}",
            },
            "obligation_version": {
                "id": f"id + {offset['obligation_version']}",
                "obligation_id": f"obligation_id + {offset['obligation']}",
            },
        }
        for table in tables:
            chosen = ", ".join(plans[table].get(c, c) for c in columns[table])
            if table == "obligation_version":
                where = (
                    f"id <= {maxima[table]} AND obligation_id IN (SELECT id FROM obligation "
                    f"WHERE id <= {maxima['obligation']} AND incident_id <= {limit})"
                )
            elif table == "incident":
                where = f"id <= {min(limit, maxima[table])}"
            else:
                where = f"id <= {maxima[table]} AND incident_id <= {limit}"
            db.execute(
                text(
                    f"INSERT INTO {table} ({', '.join(columns[table])}) "
                    f"SELECT {chosen} FROM {table} WHERE {where}"
                )
            )


# --- serving ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(root: int) -> float:
    """User + system CPU of a process and its children (gunicorn's master and workers), from
    /proc; 0 where there is no /proc. CPU per request moves far less than req/s when other work
    shares the CPUs."""
    proc = Path("/proc")
    if not (proc / str(root) / "stat").exists():
        return 0.0
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if stat.parent.name == str(root) or fields[1] == str(root):  # itself, or a child
            total += int(fields[11]) + int(fields[12])  # utime, stime (proc(5) fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(
    target: str, port: int, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[Callable[[], float]]:
    """`gunicorn --bind 127.0.0.1:PORT --workers 2 TARGET`, stopped (by its pid) afterwards; its
    own messages go to `log` (a pipe nobody reads could fill up and stall it). Yields a meter of
    the server's CPU seconds so far."""
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with log.open("wb") as output:
        process = subprocess.Popen([*command, target], cwd=cwd, env=env, stderr=output)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start listening within 30 s")
        yield lambda: cpu_seconds(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# --- an HTTP client from the standard library --------------------------------------------------


@dataclass
class Browser:
    """One client: its own session cookie, updated from Set-Cookie like a browser's jar."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str, http.client.HTTPResponse]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, response

    def sign_in(self) -> None:
        status, page, _ = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert status == 200 and token, "no sign-in form"
        form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
        status, _, response = self.request("POST", "/login", form)
        assert status == 302 and response.headers["Location"] == "/", f"sign-in failed: {status}"
        status, _, _ = self.request("GET", "/")  # the board: the session now holds a CSRF token
        assert status == 200


# --- load ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    label: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int
    server_cpu_ms: float  # gunicorn's CPU per request in the measured window
    client_cpu_ms: float  # this script's (the 20 clients') CPU per request
    latencies: tuple[float, ...] = field(default=(), repr=False)  # seconds, for `merged`

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.server_cpu_ms + self.client_cpu_ms

    def line(self) -> str:
        return (
            f"{self.label:<34} {self.rate:8.1f} req/s   p50 {self.p50_ms:6.1f} ms   "
            f"p95 {self.p95_ms:6.1f} ms   ({self.requests} requests, {self.errors} errors)\n"
            f"{'':<34} CPU per request: server {self.server_cpu_ms:.2f} ms, "
            f"clients {self.client_cpu_ms:.2f} ms"
        )


def drive(
    label: str,
    clients: list[Browser],
    paths: Callable[[random.Random], str],
    duration: float,
    server_cpu: Callable[[], float],
) -> Figures:
    """Every client in its own thread, one request after another, for `duration` seconds after
    a warm-up, each bounded by MAX_REQUESTS_PER_CLIENT. CPU is read at the window's edges."""
    latencies: list[list[float]] = [[] for _ in clients]
    errors = [0] * len(clients)
    start_gate = threading.Barrier(len(clients) + 1)
    measure_from = 0.0
    stop_at = 0.0

    def run(index: int, client: Browser) -> None:
        rng = random.Random(SEED + index)
        start_gate.wait()
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            began = time.perf_counter()
            if began >= stop_at:
                break
            status, _, _ = client.request("GET", paths(rng))
            ended = time.perf_counter()
            if began >= measure_from and ended <= stop_at:
                latencies[index].append(ended - began)
                errors[index] += status != 200

    threads = [
        threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    measure_from = time.perf_counter() + WARM_UP_SECONDS
    stop_at = measure_from + duration
    start_gate.wait()
    time.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu_from = (server_cpu(), time.process_time())
    time.sleep(max(0.0, stop_at - time.perf_counter()))
    cpu_to = (server_cpu(), time.process_time())
    for thread in threads:
        thread.join(timeout=duration + WARM_UP_SECONDS + 60)
    merged = sorted(x for per_client in latencies for x in per_client)
    if not merged:
        raise RuntimeError(f"{label}: no request completed")
    cut = statistics.quantiles(merged, n=100, method="inclusive")
    per_request = 1000 / len(merged)
    return Figures(
        label,
        len(merged),
        duration,
        cut[49] * 1000,
        cut[94] * 1000,
        sum(errors),
        (cpu_to[0] - cpu_from[0]) * per_request,
        (cpu_to[1] - cpu_from[1]) * per_request,
        tuple(merged),
    )


def merged(label: str, slices: list[Figures]) -> Figures:
    """Several windows of one phase as one: requests and seconds added, latencies pooled, CPU
    per request weighted by each window's requests."""
    pooled = sorted(x for f in slices for x in f.latencies)
    cut = statistics.quantiles(pooled, n=100, method="inclusive")
    requests = sum(f.requests for f in slices)
    return Figures(
        label,
        requests,
        sum(f.seconds for f in slices),
        cut[49] * 1000,
        cut[94] * 1000,
        sum(f.errors for f in slices),
        sum(f.server_cpu_ms * f.requests for f in slices) / requests,
        sum(f.client_cpu_ms * f.requests for f in slices) / requests,
        tuple(pooled),
    )


def alternate(
    first: tuple[str, list[Browser], Callable[[random.Random], str], Callable[[], float]],
    second: tuple[str, list[Browser], Callable[[random.Random], str], Callable[[], float]],
    duration: float,
) -> tuple[Figures, Figures]:
    """Two phases in SLICES alternating windows, `duration` seconds each in all: a ratio of
    their rates then compares them under the same conditions, where one phase after the other
    would also compare whatever else the machine was doing twenty seconds apart (on a shared
    virtual machine, the same code's CPU per request drifted by half between runs)."""
    ones: list[Figures] = []
    twos: list[Figures] = []
    for _ in range(SLICES):
        for phase, into in ((first, ones), (second, twos)):
            label, clients, paths, cpu = phase
            into.append(drive(label, clients, paths, duration / SLICES, cpu))
    return merged(first[0], ones), merged(second[0], twos)


# --- profile ---------------------------------------------------------------------------------


def profile(settings: Settings, pages: int, ids: list[int]) -> None:
    """cProfile in-process on the Flask test client: where a register and an incident page spend
    their time, one request at a time (no concurrency, no HTTP)."""
    import cProfile
    import pstats

    from incident_tracker import create_app

    app = create_app(settings)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    signed = client.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert signed.status_code == 302
    rng = random.Random(SEED)
    for label, path in (
        ("register", lambda: f"/incidents?page={rng.randint(1, pages)}"),
        ("incident page", lambda: f"/incidents/{rng.choice(ids)}"),
        ("deadline board", lambda: "/"),
    ):
        for _ in range(20):
            assert client.get(path()).status_code == 200
        plain = []  # without the profiler, in batches: the quickest batch is the least disturbed
        for _ in range(10):
            began = time.perf_counter()
            for _ in range(20):
                client.get(path())
            plain.append((time.perf_counter() - began) / 20 * 1000)
        profiler = cProfile.Profile()
        began = time.perf_counter()
        profiler.enable()
        for _ in range(200):
            client.get(path())
        profiler.disable()
        print(
            f"\n== {label}: {min(plain):.2f} ms per request without the profiler (quickest batch "
            f"of 20; median {statistics.median(plain):.2f}), "
            f"{(time.perf_counter() - began) / 200 * 1000:.2f} ms with it"
        )
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(r"incident_tracker|render_template|sqlite3|_load_user|commit", 30)
    app.extensions["incident_tracker.engine"].dispose()


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--profile", action="store_true", help="cProfile in-process instead")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance")
    args = parser.parse_args()
    duration = min(max(args.duration, 1.0), 120.0)
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        settings = Settings(
            env="development",
            instance_path=folder,
            audit_key=AUDIT_KEY,
            secret_key=SECRET_KEY,
        )
        began = time.perf_counter()
        seed(settings)
        engine = make_engine(settings.db_url)
        with engine.connect() as db:
            total = int(db.execute(text("SELECT count(*) FROM incident")).scalar() or 0)
            visible_ids = list(
                db.execute(
                    text(
                        "SELECT id FROM incident WHERE restricted = 0 OR owner_id = "
                        "(SELECT id FROM app_user WHERE email = :e)"
                    ),
                    {"e": EMAIL},
                ).scalars()
            )
        engine.dispose()
        pages = -(-len(visible_ids) // PAGE_SIZE)
        print(
            f"seeded {total:,} incidents ({TEMPLATES} through the services, the rest copied) "
            f"in {time.perf_counter() - began:.1f} s; the officer sees {len(visible_ids):,} "
            f"({pages} register pages)"
        )
        if args.profile:
            profile(settings, pages, visible_ids)
            return
        load = os.getloadavg()[0]
        print(f"{os.cpu_count()} CPUs; 1-minute load average before the run {load:.2f}")
        results = run_phases(settings, folder, pages, visible_ids, duration, args.clients)
        for figures in results.values():
            print(figures.line())
        ratio = results["register"].rate / results["bare"].rate
        if results["register"].cpu_ms > 0:
            print(
                "for information, CPU per request (server + clients) bare / register = "
                f"{results['bare'].cpu_ms / results['register'].cpu_ms:.2f}: roughly the ratio to "
                "expect when nothing else uses the CPUs"
            )
        register_met = ratio >= 0.5 and results["register"].p95_ms < 25
        incident_met = results["incident"].p95_ms < 25
        print(
            f"register target (ratio >= 0.5, p95 < 25 ms at {args.clients} clients): "
            f"{'met' if register_met else 'missed'}"
        )
        print(
            f"incident page p95 < 25 ms at {args.clients} clients: "
            f"{'met' if incident_met else 'missed'} (each view appends a durable audit row; "
            "benchmarks/web_floor.py measures what that alone allows on this machine)"
        )
        print(f"ratio {ratio:.2f}")
        summary = results["incident"].rate / results["floor"].rate
        print(
            f"incident page target (>= 0.5 of the audited floor, p95 < 60 ms at {args.clients} "
            f"clients): {'met' if summary >= 0.5 and results['incident'].p95_ms < 60 else 'missed'}"
        )
        print(f"incident page ratio {summary:.2f} p95 {results['incident'].p95_ms:.1f}")
        if any(f.errors for f in results.values()):
            sys.exit("some requests failed (see the errors column)")
    finally:
        if args.keep:
            print(f"instance kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run_phases(
    settings: Settings,
    folder: Path,
    pages: int,
    ids: list[int],
    duration: float,
    clients: int,
) -> dict[str, Figures]:
    environment = {
        **os.environ,
        "INSTANCE_PATH": str(folder),
        "DATABASE_URL": settings.db_url,
        "AUDIT_KEY": AUDIT_KEY,
        "SECRET_KEY": SECRET_KEY,
        "INCIDENT_TRACKER_ENV": "development",
    }
    import web_floor  # imports this module: only once it is loaded

    results: dict[str, Figures] = {}
    port = free_port()
    app_log = folder / "app.log"
    floor = folder / "floor"
    floor.mkdir()
    with (
        gunicorn("incident_tracker.wsgi:app", port, environment, PROJECT_ROOT, app_log) as cpu,
        web_floor.serving(floor) as (floor_port, floor_cpu),
    ):
        browsers = [Browser(port) for _ in range(clients)]
        for browser in browsers:
            browser.sign_in()
        results["register"] = drive(
            f"register /incidents?page=1..{pages}",
            browsers,
            lambda rng: f"/incidents?page={rng.randint(1, pages)}",
            duration,
            cpu,
        )
        results["incident"], results["floor"] = alternate(
            (
                "incident summary /incidents/<id>",
                browsers,
                lambda rng: f"/incidents/{rng.choice(ids)}",
                cpu,
            ),
            (
                "floor /audited",
                [Browser(floor_port) for _ in range(clients)],
                lambda rng: "/audited",
                floor_cpu,
            ),
            duration,
        )
        results["board"] = drive(
            "deadline board / (for information)", browsers, lambda rng: "/", duration, cpu
        )
    (folder / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    with gunicorn("bare_app:app", port, dict(os.environ), folder, folder / "bare.log") as cpu:
        bare = [Browser(port) for _ in range(clients)]
        results["bare"] = drive("bare Flask route /", bare, lambda rng: "/", duration, cpu)
    return results


if __name__ == "__main__":
    main()
