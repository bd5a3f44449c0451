"""What this machine allows at all: the harness of benchmarks/web.py (gunicorn, 2 workers, 20
clients, the same HTTP client) against a minimal Flask app that does only the unavoidable part
of each page, against the same bare route.

- `page`: one SQLite statement (a session row joined to its user) and a fixed 12 KB page with
  the app's security headers: the least a signed-in, server-side-session page can cost.
- `audited page`: the same plus one audit row appended per request the way the app appends
  incident views: BEGIN IMMEDIATE, read the previous row's HMAC, insert the new row with its
  HMAC, COMMIT, in WAL mode with SQLite's default synchronous=FULL (the row is on disk before the
  page is sent). Nothing else: no template, no ORM, no page data.

If `audited page` alone is near p95 25 ms, no incident page that records every view durably can
be under it here, whatever its own work. Run: `.venv/bin/python benchmarks/web_floor.py
[--duration 10]`; traffic stays on 127.0.0.1 and every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web

FLOOR_APP = """import hashlib
import hmac
import os
import sqlite3

from flask import Flask, g

app = Flask(__name__)
DB = os.environ["FLOOR_DB"]
BODY = "<!doctype html><title>page</title>" + "<p>" + "x" * 12000 + "</p>"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
    "Cache-Control": "no-store",
}
_pool = []


@app.before_request
def _connect():
    g.db = _pool.pop() if _pool else sqlite3.connect(DB, isolation_level=None, timeout=15)


@app.teardown_request
def _release(_error):
    _pool.append(g.db)


@app.after_request
def _headers(response):
    response.headers.update(HEADERS)
    return response


@app.get("/")
def bare():
    return "ok"


@app.get("/page")
def page():
    row = g.db.execute(
        "SELECT s.user_id, u.email, u.role FROM session s JOIN app_user u ON u.id = s.user_id "
        "WHERE s.token_hash = ?",
        ("a" * 64,),
    ).fetchone()
    return BODY.replace("page", row[1], 1)


@app.get("/audited")
def audited():
    body = page()
    db = g.db
    db.execute("BEGIN IMMEDIATE")
    try:
        last = db.execute("SELECT mac FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        mac = hmac.new(b"k" * 32, ((last[0] if last else "") + "incident.view").encode(),
                       hashlib.sha256).hexdigest()
        db.execute("INSERT INTO audit (action, prev_mac, mac) VALUES (?, ?, ?)",
                   ("incident.view", last[0] if last else "", mac))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return body
"""


def floor_folder(folder: Path) -> dict[str, str]:
    """The floor app and its SQLite database in `folder`; the environment to serve it with."""
    database = folder / "floor.db"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(
            "CREATE TABLE app_user (id INTEGER PRIMARY KEY, email TEXT, role TEXT);"
            "INSERT INTO app_user VALUES (1, 'officer@example.org', 'privacy_officer');"
            "CREATE TABLE session (id INTEGER PRIMARY KEY, token_hash TEXT UNIQUE,"
            " user_id INTEGER);"
            f"INSERT INTO session VALUES (1, '{'a' * 64}', 1);"
            "CREATE TABLE audit (id INTEGER PRIMARY KEY, action TEXT, prev_mac TEXT,"
            " mac TEXT);"
        )
    (folder / "floor_app.py").write_text(FLOOR_APP)
    return {**os.environ, "FLOOR_DB": str(database)}


@contextmanager
def serving(folder: Path) -> Iterator[tuple[int, Callable[[], float]]]:
    """The floor app served from `folder` (made there the first time): its port, and its
    server's CPU seconds so far (benchmarks/web.py drives it between the incident page's
    windows)."""
    environment = (
        floor_folder(folder)
        if not (folder / "floor_app.py").exists()
        else {
            **os.environ,
            "FLOOR_DB": str(folder / "floor.db"),
        }
    )
    port = web.free_port()
    with web.gunicorn("floor_app:app", port, environment, folder, folder / "floor.log") as cpu:
        yield port, cpu


def measure(folder: Path, path: str, duration: float, clients: int = web.CLIENTS) -> web.Figures:
    """One phase against the floor app (`/`, `/page` or `/audited`) served from `folder`."""
    with serving(folder) as (port, cpu):
        browsers = [web.Browser(port) for _ in range(clients)]
        return web.drive(f"floor {path}", browsers, lambda _rng, p=path: p, duration, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    duration = min(max(args.duration, 1.0), 120.0)
    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    try:
        print(f"{os.cpu_count()} CPUs; 1-minute load average {os.getloadavg()[0]:.2f}")
        results = {path: measure(folder, path, duration) for path in ("/", "/page", "/audited")}
        for figures in results.values():
            print(figures.line())
        bare = results["/"].rate
        for path in ("/page", "/audited"):
            print(f"ratio {path} {results[path].rate / bare:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
