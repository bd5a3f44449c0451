"""A letter worker whose lease expired and was taken over cannot spoil the run:
every write after the claim is conditional on the worker's own lease token and on the run still
running, so a slow worker drops its output quietly instead of failing or rewinding the run. The
merged letters stay downloadable: losing them would hold up the individual notices of
164.404(a)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.services import letters
from incident_tracker.services.call import Call
from tests.services.sending_support import People, as_user, audit_rows, load, make_incident
from tests.services.sending_support import people as people
from tests.services.test_individuals import (
    confirm,
    listing,
    pdf_text,
    run_of,
    start,
    upload,
    worker,
)

Interleave = Callable[[], None]


def queued_run(
    engine: Engine, clock: FixedClock, people: People, ny: int, chunk: int
) -> tuple[int, int]:
    incident_id = make_incident(engine, clock, people.officer)
    pending = upload(engine, clock, people, incident_id, listing(ny=ny, nj=0)).pending
    assert pending is not None
    confirm(engine, clock, people, incident_id, pending.id or 0)
    return incident_id, start(engine, clock, people, incident_id, chunk=chunk)


def slow_first_render(monkeypatch: pytest.MonkeyPatch, meanwhile: Interleave) -> None:
    """Worker A's first chunk takes longer than the lease: `meanwhile` (worker B) runs while A
    renders, then A finishes rendering into the same work folder."""
    original, calls = letters._render_chunk, []

    def render(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            meanwhile()
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(letters, "_render_chunk", render)


def stored_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def test_a_slow_worker_that_was_taken_over_does_not_fail_the_finished_run(
    engine: Engine,
    clock: FixedClock,
    people: People,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reviewer's case: A stalls past the 5-minute lease; B takes over, makes all 3 letters
    and removes the work folder; A then hits FileNotFoundError. Before the fix A's failure set
    the run to failed and the letters could no longer be downloaded; now it is dropped."""
    incident_id, run_id = queued_run(engine, clock, people, ny=3, chunk=20)
    a, b = worker(engine, settings, clock), worker(engine, settings, clock)

    def b_takes_over() -> None:
        clock.advance(minutes=6)
        while b.step(run_id):
            pass
        assert run_of(engine, run_id).status == "done"

    slow_first_render(monkeypatch, b_takes_over)
    assert a.step(run_id)  # raised FileNotFoundError inside; the failure write found no lease
    run = run_of(engine, run_id)
    assert (run.status, run.done, run.error, run.lease_token) == ("done", 3, "", None)
    assert [e.action for e in audit_rows(engine, "letters.")] == ["letters.start", "letters.done"]
    folder = settings.instance_path / "letters"

    def fetch(call: Call) -> letters.Download:
        return letters.file_for(call, load(call, incident_id), "pdf", folder)

    found = as_user(engine, clock, people.reader, fetch)
    assert found.problem is None and found.path == folder / (run.pdf_storage or "")
    assert pdf_text(found.path).count("Dear ") == 3


def test_a_slow_worker_cannot_move_the_progress_backwards(
    engine: Engine,
    clock: FixedClock,
    people: People,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Five letters in chunks of 2. A claims letters 1-2 and stalls; B takes over and makes
    1-2 and 3-4 (done = 4). A's late "done = 2" is refused, so B goes on from 4, not from 2,
    and the merged PDF holds each of the five letters exactly once."""
    _, run_id = queued_run(engine, clock, people, ny=5, chunk=2)
    a, b = worker(engine, settings, clock), worker(engine, settings, clock)

    def b_does_two_chunks() -> None:
        clock.advance(minutes=6)
        assert b.step(run_id) and b.step(run_id)
        assert run_of(engine, run_id).done == 4

    slow_first_render(monkeypatch, b_does_two_chunks)
    assert a.step(run_id)
    run = run_of(engine, run_id)
    assert (run.status, run.done, run.lease_until, run.lease_token) == ("running", 4, None, None)
    assert b.step(run_id) and not b.step(run_id)
    run = run_of(engine, run_id)
    assert (run.status, run.done) == ("done", 5)
    text = pdf_text(settings.instance_path / "letters" / (run.pdf_storage or ""))
    assert [
        text.count(f"Dear {name} {i}:")
        for i, name in enumerate(("Ann Quill", "Bo Quill", "Cy Quill", "Di Quill", "Ed Quill"))
    ] == [1, 1, 1, 1, 1]


def test_a_slow_worker_finishing_after_a_takeover_discards_its_merged_files(
    engine: Engine,
    clock: FixedClock,
    people: People,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A renders the only chunk and joins the files while B holds the lease: A's "done" is
    refused, its two files are deleted and the work folder is left to B, whose files are the
    ones recorded and kept."""
    _, run_id = queued_run(engine, clock, people, ny=2, chunk=20)
    a, b = worker(engine, settings, clock), worker(engine, settings, clock)
    leases: list[letters.Lease] = []

    def b_claims() -> None:
        clock.advance(minutes=6)
        lease = b._claim(run_id)
        assert lease is not None
        leases.append(lease)

    slow_first_render(monkeypatch, b_claims)
    assert a.step(run_id)
    run = run_of(engine, run_id)
    assert (run.status, run.done, run.lease_token) == ("running", 0, leases[0].token)
    folder = settings.instance_path / "letters"
    assert stored_files(folder) == []
    assert (folder / "work" / run.work_dir).is_dir()
    b._chunk(leases[0])
    run = run_of(engine, run_id)
    assert (run.status, run.done) == ("done", 2)
    assert stored_files(folder) == sorted([run.pdf_storage or "", run.docx_storage or ""])
    assert [e.action for e in audit_rows(engine, "letters.")] == ["letters.start", "letters.done"]


def test_a_failure_under_a_held_lease_still_fails_the_run(
    engine: Engine,
    clock: FixedClock,
    people: People,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The guard only drops a stale worker's writes: a worker that still holds its lease and
    fails marks the run failed and audits it, as before."""
    _, run_id = queued_run(engine, clock, people, ny=1, chunk=20)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(letters, "_render_chunk", broken)
    assert worker(engine, settings, clock).step(run_id)
    run = run_of(engine, run_id)
    assert (run.status, run.error, run.lease_token) == (
        "failed",
        "OSError while making letters 1-",
        None,
    )
    assert [e.action for e in audit_rows(engine, "letters.")][-1] == "letters.failed"
