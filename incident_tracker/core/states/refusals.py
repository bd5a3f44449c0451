"""Why a jurisdiction's law is not triggered, decided once per jurisdiction.

Each reason (scope, paper, safe harbor, acquisition, definition, HIPAA exemption or deemer) reads
the same for every incident, so its refusals (every duty not owed, with that reason) are built when
the jurisdiction is built; an incident only picks the first that applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from incident_tracker.core.obligations import NotRequired

ACQUISITION_ONLY = frozenset({"acquisition", "access_and_acquisition"})
_SCOPE_WORDS = {
    "information_broker": "information brokers",
    "government_data_collector": "government data collectors",
}

Refusals = tuple[NotRequired, ...]


@dataclass(frozen=True, slots=True)
class Gate:
    """The refusals of one jurisdiction, `None` where that reason can never apply."""

    out_of_scope: Refusals | None  # the law binds only some entities (Georgia)
    binds_brokers: bool
    binds_government: bool
    paper: Refusals | None  # computerized data only
    secured: Refusals | None  # encryption safe harbor
    viewed: Refusals | None  # triggered by acquisition only
    undefined: Refusals  # the data elements are not its "personal information"
    # For an entity with HIPAA duties: the reason it is excused (exempt or deemed compliant).
    hipaa_excused: str | None
    hipaa_refused: Refusals | None
    # The vendor-to-owner duty of an entity that owns or licenses the data: rule id -> refusal.
    not_a_vendor: dict[str, NotRequired]


def gate(code: str, entry: dict[str, Any], duties: tuple[tuple[str, str], ...]) -> Gate:
    """`duties`: (rule id, role) of each duty, in order."""
    rule_ids = tuple(rule_id for rule_id, _ in duties)

    def refused(why: str | None) -> Refusals | None:
        if why is None:
            return None
        return tuple(NotRequired(r, why, jurisdiction=code) for r in rule_ids)

    name = entry["jurisdiction"]
    scope = entry.get("scope")
    applies = scope["applies_to"] if scope is not None else ()
    pi = entry["personal_information"]
    trigger = entry["trigger"]
    excused = hipaa_excused(code, entry)
    undefined = refused(_undefined(entry))
    assert undefined is not None
    return Gate(
        refused(_out_of_scope(entry)),
        "information_broker" in applies,
        "government_data_collector" in applies,
        refused(
            f"paper records: {name}'s law covers computerized data only ({pi['notes']})"
            if pi["paper_covered"] is False
            else None
        ),
        refused(
            f"the data were encrypted and the key was not compromised ({name} safe harbor)"
            if trigger["encryption_safe_harbor"].get("exists")
            else None
        ),
        refused(
            f"the data were viewed but not acquired: {name}'s law is triggered by acquisition "
            f"({trigger['type'].replace('_', ' ')})"
            if trigger["type"] in ACQUISITION_ONLY
            else None
        ),
        undefined,
        excused,
        refused(excused),
        {
            rule_id: NotRequired(
                rule_id,
                f"the entity owns or licenses the data ({code}'s vendor notice binds one that "
                "maintains data for another)",
                jurisdiction=code,
            )
            for rule_id, role in duties
            if role == "owner"
        },
    )


def _out_of_scope(entry: dict[str, Any]) -> str | None:
    scope = entry.get("scope")
    if scope is None:
        return None
    who = " and ".join(_SCOPE_WORDS.get(a, a) for a in scope["applies_to"])
    return (
        f"{entry['jurisdiction']}'s law binds only {who} ({scope['text']}); the entity is neither "
        "(flags.government_entity and flags.information_broker are not set)"
    )


def _undefined(entry: dict[str, Any]) -> str:
    health = (
        "; medical and health-insurance data alone do not trigger it"
        if entry["phi_only_triggers"] == "no"
        else ""
    )
    return (
        f"{entry['jurisdiction']}'s 'personal information' "
        f"({entry['personal_information']['elements']}) does not cover these data elements{health}"
    )


def hipaa_excused(code: str, entry: dict[str, Any]) -> str | None:
    """Why a HIPAA entity owes no notice under the jurisdiction's law, if it owes none."""
    deemer = entry["hipaa"]["deemer"]
    name = entry["jurisdiction"]
    if deemer == "exempt":
        return (
            f"{name}'s law does not apply to HIPAA covered entities and business associates "
            f"(HIPAA-exempt): {entry['hipaa']['notes']}"
        )
    if deemer == "full":
        return (
            f"{name} deems a HIPAA entity that complies with HIPAA compliant with its law "
            f"(deemed compliant), so no separate {code} notice is owed: "
            f"{entry['hipaa']['notes']}"
        )
    return None
