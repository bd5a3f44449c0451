"""What the load and crash benchmarks share: gunicorn started and stopped by its pid, and a
standard-library browser that keeps its cookies and fills in a page's form the way a browser
submits it (every field with its shown value, checked boxes only), so a benchmark changes only the
fields a person would type into. Traffic goes only to 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}


@contextmanager
def gunicorn(
    port: int, env: dict[str, str], cwd: Path, log: Path, workers: int = 2, threads: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    """`gunicorn --workers N incident_tracker.wsgi:app` on 127.0.0.1:PORT until it listens;
    stopped by its own pid afterwards."""
    command = [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "incident_tracker.wsgi:app",
    ]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start listening within 60 s")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield process
    finally:
        workers = children(process.pid)
        process.terminate()
        try:
            process.wait(timeout=40)  # gunicorn's graceful timeout is 30 s
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for worker in workers:  # a worker its killed master left behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return sorted(found)


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((v for k, v in self.fields if k == name), None)

    def set(self, name: str, value: str) -> None:
        """The first field of that name (the first of a repeated row), else a new one."""
        for index, (key, _) in enumerate(self.fields):
            if key == name:
                self.fields[index] = (name, value)
                return
        self.fields.append((name, value))

    def choose(self, name: str, values: list[str]) -> None:
        """Checkboxes of one name: exactly these ticked."""
        self.fields = [(k, v) for k, v in self.fields if k != name]
        self.fields.extend((name, v) for v in values)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        if not self.forms or tag not in ("input", "select", "option", "textarea"):
            return
        form = self.forms[-1]
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_INPUTS or "disabled" in a:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
                return
            form.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None:
            value, selected = self._option
            self._options.append((value if value is not None else self._option_text, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, s in self._options if s] or [v for v, _ in self._options[:1]]
            if self.forms and chosen:
                self.forms[-1].fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self.forms:
                self.forms[-1].fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def forms(page: str) -> list[Form]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def form_posting_to(page: str, action: str) -> Form:
    for found in forms(page):
        if found.method == "post" and found.action.split("#", 1)[0] == action:
            return found
    raise LookupError(f"no form posting to {action}")


@dataclass
class Answer:
    status: int
    location: str
    body: str


@dataclass
class Browser:
    """One person: their own session cookie, like a browser's jar."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: list[tuple[str, str]] | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, response.headers.get("Location", ""), content)

    def sign_in(self, email: str, password: str) -> None:
        page = self.request("GET", "/login")
        form = form_posting_to(page.body, "/login") if page.status == 200 else None
        if form is None:
            raise RuntimeError(f"no sign-in form ({page.status})")
        form.set("email", email)
        form.set("password", password)
        answer = self.request("POST", "/login", form.fields)
        if answer.status != 302:
            raise RuntimeError(f"sign-in of {email} failed: {answer.status}")


def server_errors(log: Path) -> list[str]:
    """The exception types gunicorn's log shows (the app withholds their messages)."""
    found = re.findall(r"^([\w.]+(?:Error|Exception|Violation)\b.*)$", log.read_text(), re.M)
    return sorted(set(found))[:10]
