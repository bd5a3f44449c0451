"""`make run`: the web server, the reminder scheduler and (for the demo) a local SMTP sink, as
separate processes, all stopped together on Ctrl-C (architecture.md §1.8: web processes never start
a scheduler). Reminders sent to the sink are kept in the app's outbox (Admin → Outbox)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from incident_tracker.files import restrict_umask

BIN = Path(sys.executable).parent


def main() -> int:
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "5000")
    env = dict(os.environ)
    env.setdefault("INCIDENT_TRACKER_ENV", "demo")  # `make run` sets it too; the pages say so
    env.setdefault("BASE_URL", f"http://{host}:{port}")
    demo_sink = "SMTP_HOST" not in os.environ
    env.setdefault("SMTP_HOST", "127.0.0.1")
    env.setdefault("SMTP_PORT", "8025")
    commands = []
    if demo_sink:
        commands.append(
            [
                str(BIN / "python"),
                "-m",
                "aiosmtpd",
                "-n",
                "-c",
                "aiosmtpd.handlers.Sink",
                "-l",
                "127.0.0.1:8025",
            ]
        )
    commands.append([str(BIN / "incident-tracker"), "scheduler"])
    commands.append(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"{host}:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
            "incident_tracker.wsgi:app",
        ]
    )
    restrict_umask()  # inherited by the web server, the scheduler and the mail sink
    children = [subprocess.Popen(command, env=env) for command in commands]
    print(
        f"incident-tracker on http://{host}:{port} (Ctrl-C stops the web server, the scheduler"
        f"{' and the local mail sink' if demo_sink else ''})",
        flush=True,
    )

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop()
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


if __name__ == "__main__":
    sys.exit(main())
