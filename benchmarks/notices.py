"""Notice rendering speed: one PDF notice (target < 300 ms), one DOCX (target < 100 ms), and
1,000 individual letters merged into one PDF.

Each single-document figure is the median of 7 runs after one warm-up, from the facts to the
bytes (draft + render). Run: `make bench` or `.venv/bin/python benchmarks/notices.py`.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jinja2 import FileSystemLoader

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import (
    NoticeKind,
    Recipient,
    draft,
    draft_letters,
    make_environment,
    parse_notice,
    parse_organisation,
)
from incident_tracker.documents import render_docx, render_pdf

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "data" / "worked_cases.json").read_text(encoding="utf-8"))[
    "cases"
]
INCIDENT = next(c for c in CASES if c["id"] == "C13")["incident"]  # NY, NJ, CA, PA; SSNs
ORGANISATION = {
    "name": "Smith & Sons Health",
    "address": "100 Main Street\nAlbany, NY 12207",
    "toll_free_phone": "1-800-555-0100",
    "email": "privacy@smith-sons.example",
    "website": "www.smith-sons.example",
}
NOTICE = {
    "what_happened": "An unauthorized person signed in to an employee's email account.",
    "what_we_are_doing": "We reset the password, turned on two-step sign-in and hired a "
    "forensic firm.",
    "identity_protection": {
        "provider": "IdentityWatch",
        "months": 12,
        "enrollment_url": "https://enroll.example",
        "enroll_by": "2027-03-31",
    },
    "notice_date": "2026-04-01",
}
RUNS = 7
PEOPLE = 1_000


def median_ms(work: Callable[[], object]) -> float:
    work()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _pages(pdf: bytes) -> str:
    """The page count as pdfinfo (poppler-utils) reads it."""
    if shutil.which("pdfinfo") is None:
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    env = make_environment(FileSystemLoader(str(ROOT / "templates" / "notices" / "letters")))
    facts, org = parse_incident(INCIDENT), parse_organisation(ORGANISATION)
    details = parse_notice(NOTICE)

    def one(render: Callable[..., bytes]) -> bytes:
        notice = draft(env, facts, org, details, NoticeKind.INDIVIDUAL)
        return render([notice.blocks], notice.title)

    pdf_ms = median_ms(lambda: one(render_pdf))
    docx_ms = median_ms(lambda: one(render_docx))
    print(f"one PDF notice:  {pdf_ms:7.1f} ms (target < 300 ms)")
    print(f"one DOCX notice: {docx_ms:7.1f} ms (target < 100 ms)")

    people = [
        Recipient(f"Person {i}", (f"{i} Main Street", "Albany, NY 12207")) for i in range(PEOPLE)
    ]
    start = time.perf_counter()
    letters = draft_letters(env, facts, org, details, people)
    drafted = time.perf_counter() - start
    pdf = render_pdf([letter.blocks for letter in letters], "Notice of Data Breach")
    total = time.perf_counter() - start
    pages = _pages(pdf)
    print(
        f"{PEOPLE:,} merged letters: {total:7.1f} s for one PDF ({drafted * 1000:.0f} ms drafting, "
        f"{len(pdf) / 1e6:.1f} MB, {total / PEOPLE * 1000:.1f} ms per letter, {pages} pages)"
    )


if __name__ == "__main__":
    main()
