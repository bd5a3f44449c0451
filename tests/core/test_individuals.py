"""The affected-individual CSV: every row checked with its line number, the same
person at the same address kept once, counted per State, written to the next of kin when
deceased (45 CFR 164.404(d)(1)(ii))."""

from __future__ import annotations

from jinja2 import FileSystemLoader

from incident_tracker.config import PROJECT_ROOT
from incident_tracker.core import individuals as ind
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import (
    NoticeKind,
    draft,
    draft_letters,
    make_environment,
    parse_notice,
    parse_organisation,
)
from incident_tracker.core.notices.details import Recipient
from incident_tracker.core.notices.render import Block
from tests.factories import incident

HEADER = "name,address_line1,address_line2,city,state,zip,email,deceased"
KIN = (
    ",next_of_kin_name,next_of_kin_address_line1,next_of_kin_address_line2,next_of_kin_city,"
    "next_of_kin_state,next_of_kin_zip"
)


def csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def messages(check: ind.ListCheck) -> dict[int, str]:
    return {e.line: e.message for e in check.errors}


def test_every_bad_row_is_reported_with_its_line_number_and_column() -> None:
    """Line 1 is the header; a blank line is skipped but still counted in the numbering."""
    check = ind.check(
        csv(
            "Ann Lee,1 Elm St,,Albany,NY,12207,ann@example.org,no",
            "Bob Roe,2 Elm St,,Albany,XX,12207,,no",
            "",
            ",3 Elm St,,Trenton,NJ,0860,bob@,maybe",
            "Cy Poe,,,Fresno,CA,93650-1234,,yes",
        )
    )
    assert messages(check) == {
        3: "state: 'XX' is not a US State, DC or territory code (e.g. NY)",
        5: "name: is required; email: not an e-mail address (name@example.org); deceased: answer "
        "yes or no; zip: '0860' is not a ZIP code (12345 or 12345-6789)",
        6: "address_line1: the address is required",
    }
    assert not check.ok and check.rows_read == 4
    assert [p.line for p in check.people] == [2]


def test_a_quoted_cell_may_span_lines_and_the_next_row_keeps_its_true_line_number() -> None:
    check = ind.check(csv('"Dee Ray","4 Oak St\nUnit 2",,Albany,NY,12207,,no', "Eve Ode,,,,,,,"))
    assert messages(check) == {
        4: "address_line1: the address is required; city: the address is required; state: the "
        "address is required; zip: the address is required",
    }
    assert check.people[0].address.line1 == "4 Oak St\nUnit 2"


def test_the_header_must_name_known_columns_including_the_required_ones() -> None:
    """Unknown columns are refused (the list is PHI: no SSN column slips in unnoticed)."""
    check = ind.check("name,ssn,city,state\nAnn,123-45-6789,Albany,NY\n")
    assert [(e.line, e.message) for e in check.errors] == [
        (1, "unknown column(s) 'ssn'; the columns are " + ", ".join(ind.COLUMNS)),
        (1, "missing required column(s) address_line1, zip"),
    ]
    assert check.people == ()


def test_an_empty_file_and_a_header_alone_are_errors() -> None:
    assert messages(ind.check(b"")) == {1: "the file is empty"}
    assert messages(ind.check(csv())) == {2: "no rows under the header"}


def test_the_same_person_at_the_same_address_is_kept_once_whatever_the_spelling() -> None:
    """Normalised name and address: case, punctuation, "Street"/"St", ZIP+4 against ZIP. A
    different apartment is a different address, so both are kept."""
    check = ind.check(
        csv(
            "J. Doe,12 Main Street,Apt 3,Albany,NY,12207,,no",
            "j doe,12 MAIN ST.,apt 3,ALBANY,ny,12207-0001,,no",
            "J. Doe,12 Main Street,Apt 4,Albany,NY,12207,,no",
            "J. Doe,12 Main Street,Apt 3,Albany,NY,12207,,no",
        )
    )
    assert check.ok
    assert [(d.line, d.first_line) for d in check.duplicates] == [(3, 2), (5, 2)]
    assert [p.line for p in check.people] == [2, 4]


def test_counts_per_state_are_of_people_kept_after_de_duplication() -> None:
    """45 CFR 164.406 and the State laws count residents per State: 2 NY (one duplicate
    dropped), 1 NJ, 1 PR (a "State" under 45 CFR 160.103)."""
    check = ind.check(
        csv(
            "Ann Lee,1 Elm St,,Albany,NY,12207,,no",
            "Ann Lee,1 Elm St,,Albany,NY,12207,,no",
            "Bo Li,9 Pine Rd,,Buffalo,NY,14201,,no",
            "Cy Ng,3 Oak Ave,,Trenton,NJ,08608,,no",
            "Di Ruiz,5 Calle Sol,,San Juan,PR,00901,,no",
        )
    )
    assert check.by_state == {"NJ": 1, "NY": 2, "PR": 1}
    assert len(check.people) == 4 and len(check.duplicates) == 1


def test_a_deceased_individual_is_written_to_the_next_of_kin_at_their_address() -> None:
    """164.404(d)(1)(ii): first-class mail to the next of kin or personal representative, if the
    address is known; without it no letter, and (d)(2) needs no substitute notice for them."""
    check = ind.check(
        csv(
            "Al Fox,1 Elm St,,Albany,NY,12207,,yes,Bea Fox,7 Bay Rd,Apt 1,Newark,NJ,07102",
            "Cal Fox,2 Elm St,,Albany,NY,12207,,yes,,,,,,",
            "Dot Fox,3 Elm St,,Albany,NY,12207,,no,Eli Fox,8 Bay Rd,,Newark,NJ,07102",
            "Flo Fox,4 Elm St,,Albany,NY,12207,,yes,Gus Fox,,,Newark,NJ,",
            header=HEADER + KIN,
        )
    )
    assert messages(check) == {
        4: "next_of_kin_*: only for a deceased individual (deceased: yes)",
        5: "next_of_kin_address_line1: the next-of-kin address is required; next_of_kin_zip: "
        "the next-of-kin address is required",
    }
    al, cal = check.people
    assert ind.letter_recipient(al) == Recipient(
        "Bea Fox", ("Re: Al Fox (deceased)", "7 Bay Rd", "Apt 1", "Newark, NJ 07102")
    )
    assert ind.letter_recipient(cal) is None
    assert check.by_state == {"NY": 2}  # counted where the individual lived


def test_a_living_individual_is_addressed_at_their_own_address() -> None:
    [person] = ind.check(csv("Ann Lee,1 Elm St,Apt 2,Albany,NY,12207-1234,,")).people
    assert ind.letter_recipient(person) == Recipient(
        "Ann Lee", ("1 Elm St", "Apt 2", "Albany, NY 12207-1234")
    )


def test_a_file_that_is_not_utf8_is_read_as_windows_1252_with_a_note() -> None:
    content = csv("José Núñez,1 Elm St,,Albany,NY,12207,,no").encode("cp1252")
    check = ind.check(content)
    assert check.people[0].name == "José Núñez"
    assert check.notes and "Windows-1252" in check.notes[0]


def test_more_rows_than_the_limit_are_refused_at_the_first_row_over_it() -> None:
    rows = [f"P {i},{i} Elm St,,Albany,NY,12207,,no" for i in range(4)]
    assert messages(ind.check(csv(*rows), max_rows=3)) == {5: "more than 3 rows: split the file"}


def test_an_addressed_copy_of_the_drafted_text_is_the_letter_the_cli_merges() -> None:
    """The merge fills the draft's placeholders; for the same person it gives exactly the blocks
    of core.notices.draft_letters (what `incident-tracker notices` makes)."""
    env = make_environment(FileSystemLoader(str(PROJECT_ROOT / "templates/notices/letters")))
    facts = parse_incident(incident(affected_by_state={"NY": 20}))
    org = parse_organisation({"name": "Smith & Sons", "address": "1 Main St\nAlbany, NY 12207"})
    details = parse_notice({"what_happened": "A laptop was stolen."})
    template = draft(env, facts, org, details, NoticeKind.INDIVIDUAL).blocks
    assert ind.placeholders_missing(template) == []
    person = Recipient("Ann [Recipient name] Lee", ("1 Elm St", "Albany, NY 12207"))
    [expected] = draft_letters(env, facts, org, details, [person])
    assert ind.addressed(template, person) == expected.blocks


def test_a_text_without_the_placeholders_is_reported() -> None:
    blocks = (Block("paragraph", "Dear patient:"),)
    assert ind.placeholders_missing(blocks) == [ind.NAME_PLACEHOLDER, ind.ADDRESS_PLACEHOLDER]
