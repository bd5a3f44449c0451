"""Names that could end up in an e-mail header are one line (RFC 5322 section 2.2): the forms'
check and the cleaning done when mail is composed agree on what a control character is."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from incident_tracker.core.parsing import has_control_characters, without_control_characters
from incident_tracker.mail import Uncomposable, compose

# Every character Python's e-mail package splits header lines on, and the other C0/C1 controls.
EVERY_CODE_POINT = (chr(c) for c in range(sys.maxunicode + 1))
CONTROL = [c for c in EVERY_CODE_POINT if unicodedata.category(c) in ("Cc", "Zl", "Zp")]


def test_the_check_and_the_cleaning_agree_on_every_code_point() -> None:
    """65 C0/DEL/C1 controls plus U+2028 and U+2029: each is refused and each is cleaned away;
    no other character (a tab-free name in any script, emoji joiners) is."""
    assert len(CONTROL) == 67 and "\u2028" in CONTROL and "\t" in CONTROL
    for c in CONTROL:
        assert has_control_characters(f"a{c}b"), repr(c)
        assert without_control_characters(f"a{c}{c}b") == "a b", repr(c)
    for name in ("Zoë Østergaard-Núñez", "محمد\u200cرضا", "Acme Health, Inc.", "👩\u200d⚕️ Team"):
        assert not has_control_characters(name)
        assert without_control_characters(name) == name


def test_a_subject_with_a_line_break_is_composed_on_one_line() -> None:
    message = compose(
        "tracker@example.org", "owner@example.org", "Due: Evil Co\r\nBcc: x@evil.test", "", "<1@x>"
    )
    assert message["Subject"] == "Due: Evil Co Bcc: x@evil.test"
    assert message["Bcc"] is None
    assert b"\r\nBcc:" not in message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


@pytest.mark.parametrize("field", ["sender", "to", "message_id"])
def test_an_address_with_a_line_break_is_refused_not_cleaned(field: str) -> None:
    """Cleaning an address could make it someone else's: the message fails instead."""
    values = {"sender": "tracker@example.org", "to": "owner@example.org", "message_id": "<1@x>"}
    values[field] = values[field] + "\r\nBcc: x@evil.test"
    with pytest.raises(Uncomposable, match="line break or control character"):
        compose(values["sender"], values["to"], "Subject", "Body", values["message_id"])
