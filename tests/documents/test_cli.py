"""The `notices draft` command-line contract, kept exactly."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from docx import Document

from incident_tracker.cli import main
from tests.core.notices.support import FULL_NOTICE, ORGANISATION, case
from tests.documents.support import pdf_text


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def _file(tmp_path: Path, **parts: Any) -> str:
    data = {"incident": case("C13")["incident"], "organization": ORGANISATION, **parts}
    path = tmp_path / "notice.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_draft_prints_the_letter_as_text(tmp_path: Path) -> None:
    code, out, err = _run(
        ["notices", "draft", _file(tmp_path, notice=FULL_NOTICE), "--kind", "individual"]
    )
    assert code == 0
    assert out.startswith("Smith & Sons Health\n")
    assert "Notice of Data Breach\n=====================" in out
    assert "note: CA residents: due April 8, 2026" in err


def test_check_prints_the_missing_elements_with_citations(tmp_path: Path) -> None:
    notice = {k: v for k, v in FULL_NOTICE.items() if k != "what_we_are_doing"}
    code, out, _ = _run(
        ["notices", "draft", _file(tmp_path, notice=notice), "--kind", "individual", "--check"]
    )
    assert code == 0
    assert json.loads(out) == {
        "missing": [
            {
                "element": "what the organisation is doing to investigate the breach, mitigate "
                "harm and protect against further breaches",
                "citation": "45 CFR 164.404(c)(1)(D)",
            }
        ]
    }
    code, out, _ = _run(
        ["notices", "draft", _file(tmp_path, notice=FULL_NOTICE), "--kind", "individual", "--check"]
    )
    assert json.loads(out) == {"missing": []}


def test_without_notice_details_the_draft_warns_and_marks_gaps(tmp_path: Path) -> None:
    code, out, err = _run(["notices", "draft", _file(tmp_path), "--kind", "individual"])
    assert code == 0
    assert "[MISSING: a brief description of what happened]" in out
    # 164.404(c)(1)(A) and (D), the CA notice date and offer, and PA's credit monitoring (C13
    # has 2,500 PA residents with SSNs; PA's own letter is owed).
    assert "warning: 5 required element(s) missing" in err


def test_no_organisation_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bare.json"
    path.write_text(json.dumps({"incident": case("C01")["incident"]}), encoding="utf-8")
    code, out, err = _run(["notices", "draft", str(path), "--kind", "individual"])
    assert (code, out) == (2, "")
    assert err.startswith("organization: required to draft a notice")


def test_unknown_kind_exits_2_and_lists_the_kinds(tmp_path: Path) -> None:
    code, _, err = _run(["notices", "draft", _file(tmp_path), "--kind", "letter"])
    assert code == 2
    assert "unknown notice kind 'letter'; one of: individual, substitute, media, hhs" in err


def test_media_needs_a_state_when_several_qualify(tmp_path: Path) -> None:
    path = _file(tmp_path, notice=FULL_NOTICE)
    code, _, err = _run(["notices", "draft", path, "--kind", "media"])
    assert code == 2 and "choose one with --state: CA, NJ, NY, PA" in err
    code, out, _ = _run(["notices", "draft", path, "--kind", "media", "--state", "NJ"])
    assert code == 0 and "approximately 1,500 residents of New Jersey" in out


def test_bad_input_names_each_field(tmp_path: Path) -> None:
    path = _file(
        tmp_path, notice={"notice_date": "tomorrow", "identity_protection": {"months": -1}}
    )
    code, _, err = _run(["notices", "draft", path, "--kind", "individual"])
    assert code == 2
    assert "notice.notice_date: 'tomorrow' is not a date" in err
    assert "notice.identity_protection.months: -1 is not a non-negative whole number" in err


def test_docx_and_pdf_are_written_to_the_output(tmp_path: Path) -> None:
    path = _file(tmp_path, notice=FULL_NOTICE)
    docx_path, pdf_path = tmp_path / "n.docx", tmp_path / "n.pdf"
    assert (
        _run(
            [
                "notices",
                "draft",
                path,
                "--kind",
                "individual",
                "--format",
                "docx",
                "--output",
                str(docx_path),
            ]
        )[0]
        == 0
    )
    assert "Notice of Data Breach" in [p.text for p in Document(str(docx_path)).paragraphs]
    assert (
        _run(
            [
                "notices",
                "draft",
                path,
                "--kind",
                "hhs",
                "--format",
                "pdf",
                "--output",
                str(pdf_path),
            ]
        )[0]
        == 0
    )
    assert "HHS breach report worksheet" in pdf_text(pdf_path.read_bytes(), tmp_path)
    code, _, err = _run(["notices", "draft", path, "--kind", "hhs", "--format", "pdf"])
    assert code == 2 and "--format pdf needs --output PATH" in err


def test_the_installed_command_reads_stdin(tmp_path: Path) -> None:
    data = json.dumps(
        {"incident": case("C01")["incident"], "organization": ORGANISATION, "notice": FULL_NOTICE}
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "incident_tracker",
            "notices",
            "draft",
            "-",
            "--kind",
            "individual",
            "--check",
        ],
        input=data,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"missing": []}
