"""The database a benchmark runs on: SQLite (a file in the benchmark's temporary folder) or
PostgreSQL, chosen by `--backend` or the BENCH_BACKEND environment variable (sqlite when neither).

PostgreSQL: DATABASE_URL, when set, names a server on 127.0.0.1 (any database on it; the role
needs CREATEDB); otherwise a throw-away cluster is started from the newest
/usr/lib/postgresql/*/bin (initdb refuses root, so as the `postgres` user when run as root, as
scripts/pg-schema-check.sh does) and removed afterwards. Either way each run gets a database of
its own, created here and dropped afterwards: a benchmark never writes into a database it did not
make. The cluster keeps PostgreSQL's default durability (fsync on): the figures are a real
server's. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from incident_tracker.config import with_driver

BACKENDS = ("sqlite", "postgres")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def add_argument(parser: argparse.ArgumentParser) -> None:
    default = os.environ.get("BENCH_BACKEND", "sqlite").strip().lower() or "sqlite"
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=default if default in BACKENDS else "sqlite",
        help="sqlite (default, or BENCH_BACKEND) or postgres (DATABASE_URL's server on "
        "127.0.0.1, else a throw-away cluster)",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name or 0))
    if not found or not (found[-1] / "initdb").exists():
        raise SystemExit(
            "PostgreSQL's server binaries are not installed (apt-get install postgresql), "
            "or set DATABASE_URL to a server on 127.0.0.1"
        )
    return found[-1]


@contextmanager
def scratch_cluster() -> Iterator[str]:
    """A cluster on a free port of 127.0.0.1, trust authentication, stopped and deleted after;
    yields the URL of its maintenance database."""
    pg_bin, folder, port = _pg_bin(), Path(tempfile.mkdtemp(prefix="bench-pg-")), free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"

    def pg(*args: str) -> None:
        subprocess.run([*as_postgres, *args], check=True, capture_output=True, timeout=120)

    try:
        pg(str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
           "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=200"
        pg(str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
           options, "start")  # fmt: skip
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            pg(str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    given = with_driver(os.environ.get("DATABASE_URL", "").strip())
    if not given:
        with scratch_cluster() as url:
            yield url
        return
    if not given.startswith("postgresql") or make_url(given).host not in LOCAL_HOSTS:
        raise SystemExit("DATABASE_URL must name a PostgreSQL server on 127.0.0.1")
    yield given


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A new empty database for this run; yields its DATABASE_URL ("" for SQLite: the file
    `incident-tracker.db` in the instance folder `folder`)."""
    if backend == "sqlite":
        yield ""
        return
    with postgres_server() as server:
        name = f"bench_{secrets.token_hex(6)}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def label(backend: str) -> str:
    return "postgresql" if backend == "postgres" else "sqlite"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
