"""The affected-individual list: a checked upload becomes the incident's counts
on confirmation, recomputed in the same transaction; the merged letters are made in chunks; the
list is PHI and never reaches the audit trail."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import AffectedIndividual, Incident, IndividualList, LetterRun
from incident_tracker.services import individuals, letters
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, Forbidden
from incident_tracker.services.individuals import Upload
from tests.services.sending_support import (
    People,
    approve_individual_notice,
    as_user,
    audit_rows,
    load,
    make_incident,
    obligations,
)
from tests.services.sending_support import people as people

HEADER = (
    "name,address_line1,address_line2,city,state,zip,email,deceased,next_of_kin_name,"
    "next_of_kin_address_line1,next_of_kin_address_line2,next_of_kin_city,next_of_kin_state,"
    "next_of_kin_zip"
)
NAMES = ("Ann Quill", "Bo Quill", "Cy Quill", "Di Quill", "Ed Quill")


def listing(ny: int = 2, nj: int = 1, extra: tuple[str, ...] = ()) -> bytes:
    rows = [f"{NAMES[i % 5]} {i},{i} Elm St,,Albany,NY,12207,,no," + ",,,,," for i in range(ny)]
    rows += [f"NJ Person {i},{i} Bay Rd,,Newark,NJ,07102,,no" + ",,,,,," for i in range(nj)]
    return "\n".join((HEADER, *rows, *extra)).encode() + b"\n"


def upload(
    engine: Engine, clock: FixedClock, who: People, incident_id: int, content: bytes
) -> Upload:
    return as_user(
        engine,
        clock,
        who.officer,
        lambda call: individuals.upload(call, load(call, incident_id), content),
    )


def confirm(engine: Engine, clock: FixedClock, who: People, incident_id: int, list_id: int) -> None:
    as_user(
        engine,
        clock,
        who.officer,
        lambda call: individuals.confirm(call, load(call, incident_id), list_id),
    )


def stored_people(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AffectedIndividual)).one()


def test_a_file_with_errors_stores_nothing_and_the_audit_keeps_counts_only(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    incident_id = make_incident(engine, clock, people.officer)
    bad = listing(extra=("Zed Quill,1 Elm St,,Albany,ZZ,12207,,no,,,,,,",))
    result = upload(engine, clock, people, incident_id, bad)
    assert [(e.line, e.message) for e in result.check.errors] == [
        (5, "state: 'ZZ' is not a US State, DC or territory code (e.g. NY)")
    ]
    assert result.pending is None and stored_people(engine) == 0
    [event] = audit_rows(engine, "individuals.")
    assert event.action == "individuals.upload_rejected"
    assert "Quill" not in (event.new_values or "") + (event.detail or "")


def test_confirming_a_list_replaces_the_incidents_counts_and_recomputes_its_obligations(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """The incident said NY 600 + CA 600. The list holds 501 NY and 1 NJ residents (one more
    NY line is a duplicate): after confirmation the counts are NY 501, NJ 1, total 502; the CA
    duties are retired, the NY media notice stays (501 is "more than 500", 164.406) and the HHS
    report is still contemporaneous (502 >= 500, 164.408(b))."""
    incident_id = make_incident(engine, clock, people.officer)
    assert "CA2" in obligations(engine, incident_id)
    content = listing(ny=501, nj=1, extra=("Ann Quill 0,0 Elm Street,,ALBANY,NY,12207,,no,,,,,,",))
    result = upload(engine, clock, people, incident_id, content)
    assert result.pending is not None
    assert (result.pending.people, result.pending.duplicates) == (502, 1)
    assert obligations(engine, incident_id)["CA2"].due is not None  # nothing changes yet
    confirm(engine, clock, people, incident_id, result.pending.id or 0)
    with Session(engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None and incident.total_affected == 502
        assert not incident.count_is_estimate
    found = obligations(engine, incident_id)
    assert "CA1" not in found and "CA2" not in found and "F3 CA" not in found
    assert "F3 NY" in found and "F4" in found
    assert stored_people(engine) == 502
    [event] = audit_rows(engine, "individuals.confirm")
    assert '"NY": 501' in (event.new_values or "") and '"CA": 600' in (event.old_values or "")
    every = " ".join(
        f"{e.old_values} {e.new_values} {e.detail}" for e in audit_rows(engine, "individuals")
    )
    assert "Quill" not in every and "Elm St" not in every


def test_a_new_upload_replaces_the_pending_one_and_a_stale_confirmation_is_refused(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    incident_id = make_incident(engine, clock, people.officer)
    first = upload(engine, clock, people, incident_id, listing(ny=3)).pending
    second = upload(engine, clock, people, incident_id, listing(ny=2)).pending
    assert first is not None and second is not None
    assert stored_people(engine) == 3  # 2 NY + 1 NJ: the first pending list is gone
    with pytest.raises(Conflict):
        confirm(engine, clock, people, incident_id, first.id or 0)
    confirm(engine, clock, people, incident_id, second.id or 0)
    third = upload(engine, clock, people, incident_id, listing(ny=4)).pending
    assert third is not None
    confirm(engine, clock, people, incident_id, third.id or 0)
    with Session(engine) as session:
        statuses = [r.status for r in session.exec(select(IndividualList)).all()]
    # the older list is kept (164.530(j)); the one replaced unconfirmed keeps only its counts
    assert statuses == ["discarded", "superseded", "confirmed"]
    assert stored_people(engine) == 3 + 5


def test_only_the_privacy_officer_manages_the_list(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    incident_id = make_incident(engine, clock, people.officer)
    for who in (people.reviewer, people.reader):

        def attempt(call: Call) -> object:
            return individuals.upload(call, load(call, incident_id), listing())

        with pytest.raises(Forbidden):
            as_user(engine, clock, who, attempt)


def worker(engine: Engine, settings: Settings, clock: FixedClock) -> letters.LetterWorker:
    return letters.LetterWorker(
        engine, settings.audit_key, settings.instance_path / "letters", clock.now
    )


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def start(engine: Engine, clock: FixedClock, who: People, incident_id: int, chunk: int) -> int:
    run = as_user(
        engine,
        clock,
        who.officer,
        lambda call: letters.start(call, load(call, incident_id), chunk),
    )
    return run.id or 0


def run_of(engine: Engine, run_id: int) -> LetterRun:
    with Session(engine) as session:
        found = session.get(LetterRun, run_id)
    assert found is not None
    return found


def test_merged_letters_are_made_in_chunks_one_per_person_with_next_of_kin_for_the_deceased(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    """Five letters in chunks of two: the run advances 2, 4, 5 and then joins one PDF and one
    DOCX outside the web root. The deceased Al Fox's letter goes to Bea Fox at her address
    (164.404(d)(1)(ii)); Cal Fox, deceased with no next-of-kin address, gets none."""
    import docx

    incident_id = make_incident(engine, clock, people.officer)
    kin = (
        "Al Fox,1 Elm St,,Albany,NY,12207,,yes,Bea Fox,7 Bay Rd,,Newark,NJ,07102",
        "Cal Fox,2 Elm St,,Albany,NY,12207,,yes,,,,,,",
    )
    pending = upload(engine, clock, people, incident_id, listing(ny=3, nj=0, extra=kin)).pending
    assert pending is not None and pending.without_letter == 1
    confirm(engine, clock, people, incident_id, pending.id or 0)
    run_id = start(engine, clock, people, incident_id, chunk=2)
    assert run_of(engine, run_id).total == 4
    with pytest.raises(Conflict):
        start(engine, clock, people, incident_id, chunk=2)
    making = worker(engine, settings, clock)
    progress = []
    while making.step(run_id):
        progress.append(run_of(engine, run_id).done)
    assert progress == [2, 4]
    done = run_of(engine, run_id)
    assert done.status == "done" and "drafted" in done.source
    folder = settings.instance_path / "letters"
    assert not (folder / "work" / done.work_dir).exists()
    text = pdf_text(folder / (done.pdf_storage or ""))
    assert text.count("Notice of Data Breach") >= 4
    for name in (
        "Ann Quill 0",
        "Bo Quill 1",
        "Cy Quill 2",
        "Dear Bea Fox:",
        "Re: Al Fox (deceased)",
    ):
        assert name in text
    assert "Cal Fox" not in text and "[Recipient name]" not in text
    document = docx.Document(str(folder / (done.docx_storage or "")))
    salutations = [p.text for p in document.paragraphs if p.text.startswith("Dear ")]
    assert salutations == [
        "Dear Ann Quill 0:",
        "Dear Bo Quill 1:",
        "Dear Cy Quill 2:",
        "Dear Bea Fox:",
    ]
    assert len(document.sections) == 4


def test_the_letters_carry_the_approved_wording_and_a_tampered_file_is_not_handed_out(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    """With an approved F1 notice the merged letters use that version's exact text;
    a stored file whose SHA-256 no longer matches is refused and the refusal audited."""
    incident_id = make_incident(engine, clock, people.officer)
    version_id = approve_individual_notice(
        engine, clock, people, incident_id, settings.instance_path / "notices"
    )
    pending = upload(engine, clock, people, incident_id, listing(ny=1, nj=0)).pending
    assert pending is not None
    confirm(engine, clock, people, incident_id, pending.id or 0)
    run_id = start(engine, clock, people, incident_id, chunk=20)
    assert worker(engine, settings, clock).step(run_id)
    done = run_of(engine, run_id)
    assert (done.status, done.notice_version_id) == ("done", version_id)
    assert done.source == "approved version 1 of the individual notice"
    folder = settings.instance_path / "letters"

    def fetch(call: Call) -> letters.Download:
        return letters.file_for(call, load(call, incident_id), "pdf", folder)

    found = as_user(engine, clock, people.reader, fetch)
    assert found.problem is None and found.name.endswith("-letters.pdf")
    (folder / (done.pdf_storage or "")).write_bytes(b"%PDF-1.4 tampered")
    refused = as_user(engine, clock, people.reader, fetch)
    assert refused.path is None and refused.problem and "SHA-256" in refused.problem
    assert [e.action for e in audit_rows(engine, "letters.download")] == [
        "letters.download",
        "letters.download_refused",
    ]


def test_a_run_is_not_claimed_twice_while_its_lease_holds(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    """Two workers (the scheduler and the web request) never render the same chunk: the claim
    is a conditional UPDATE on the lease; an expired lease (a crashed worker) is taken over."""
    incident_id = make_incident(engine, clock, people.officer)
    pending = upload(engine, clock, people, incident_id, listing(ny=1, nj=0)).pending
    assert pending is not None
    confirm(engine, clock, people, incident_id, pending.id or 0)
    run_id = start(engine, clock, people, incident_id, chunk=20)
    first = worker(engine, settings, clock)
    lease = first._claim(run_id)
    assert lease is not None and lease.run_id == run_id
    assert first._claim(run_id) is None
    clock.advance(minutes=6)
    again = first._claim(run_id)
    assert again is not None and again.run_id == run_id
    assert again.token != lease.token  # each claim gets its own token
    assert run_of(engine, run_id).lease_token == again.token


def test_the_scheduler_process_carries_queued_letters_on(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    """`make run`'s scheduler has a job that advances letter runs chunk by chunk, so a long list
    finishes with the browser closed."""
    from incident_tracker.scheduler import add_letter_job

    jobs: dict[str, tuple[object, str, dict[str, object]]] = {}

    class Recorder:
        def add_job(self, func: object, trigger: str, **options: object) -> None:
            jobs[str(options["id"])] = (func, trigger, options)

    add_letter_job(Recorder(), settings, engine)
    job, trigger, options = jobs["produce-merged-letters"]
    assert (trigger, options["seconds"]) == ("interval", 5)
    incident_id = make_incident(engine, clock, people.officer)
    pending = upload(engine, clock, people, incident_id, listing(ny=3, nj=0)).pending
    assert pending is not None
    confirm(engine, clock, people, incident_id, pending.id or 0)
    run_id = start(engine, clock, people, incident_id, chunk=2)
    assert callable(job)
    job()
    assert (run_of(engine, run_id).status, run_of(engine, run_id).done) == ("done", 3)
