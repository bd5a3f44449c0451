"""Helpers for the document tests: poppler's pdftotext/pdfinfo, and a loopback listener."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
from pathlib import Path
from types import TracebackType

_WORD = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def pdf_text(pdf: bytes, tmp_path: Path, layout: bool = False) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_info(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def word_heights(pdf: bytes, tmp_path: Path) -> list[tuple[str, float]]:
    """Each word with its box height (proportional to its font size)."""
    path = tmp_path / "bbox.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [(w, float(b) - float(a)) for a, b, w in _WORD.findall(html)]


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections and answers each with a 404."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/exfil?ssn=123-45-6789"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()
