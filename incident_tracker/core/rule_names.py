"""A name for each rule id, so no page, e-mail or document shows an id alone ("Still owed: NY6")."""

from __future__ import annotations

import re

from incident_tracker.core.jurisdictions.registry import JURISDICTIONS as REGISTERED
from incident_tracker.core.states import JURISDICTIONS
from incident_tracker.core.states.model import Duty, Jurisdiction

# Each jurisdiction names its rules in its folder (core/jurisdictions/<name>/__init__.py).
RULE_NAMES: dict[str, str] = {rule_id: name for j in REGISTERED for rule_id, name in j.names}


def _state_duty_name(j: Jurisdiction, duty: Duty) -> str:
    """The other jurisdictions' duties named from the registry, as the NY/NJ/CA ones are above:
    whom the jurisdiction's law says to notify ("Texas: notice to residents")."""
    if duty.role == "residents":
        return f"{j.name}: notice to residents"
    if duty.role == "cra":
        return f"{j.name}: consumer reporting agencies"
    if duty.role == "owner":
        return f"{j.name}: vendor's notice to the owner of the data"
    return f"{j.name}: {duty.recipient}"


STATE_RULE_NAMES: dict[str, str] = {
    duty.rule_id: _state_duty_name(j, duty)
    for j in JURISDICTIONS.values()
    for duty in j.duties
    if duty.rule_id not in RULE_NAMES
}


def rule_name(rule_id: str, state: str = "") -> str:
    """The rule's name with its id ("notice to individuals (45 CFR 164.404), F1"), falling back
    to the id's family for ids not listed (NY3-AG and the like)."""
    family = rule_id.split("-")[0]
    name = (
        RULE_NAMES.get(rule_id)
        or RULE_NAMES.get(family)
        or STATE_RULE_NAMES.get(rule_id)
        or STATE_RULE_NAMES.get(family)
    )
    where = f", {state}" if state and state not in rule_id else ""
    if name is None:
        return f"rule {rule_id}{where}"
    return f"{name}{where} [{rule_id}]"


_FILE_REFERENCES = (
    (re.compile(r"\s*\(rules\.md §[\d.]+(?: \[OPEN §[\d.]+\])?\)"), ""),
    (re.compile(r",\s*rules\.md §[\d.]+"), ""),
    (re.compile(r"\s*\brules\.md §[\d.]+"), ""),
    (re.compile(r"\s*\((?:see )?docs/law/[\w-]+\.md(?: \[OPEN\])?\)"), ""),
    (re.compile(r"[,;]\s*docs/law/[\w-]+\.md"), ""),
)


def without_file_references(text: str) -> str:
    """A reason as people read it: the engine's pointers into its specification file ("rules.md
    §8.12") are for developers and are left out; the statute citations stay."""
    for pattern, replacement in _FILE_REFERENCES:
        text = pattern.sub(replacement, text)
    return text


# The engine's fact names (its input format) as the incident form labels them.
FACT_LABELS: dict[str, str] = {
    "breach_occurred_on": "the date it occurred",
    "discovered_on": "the discovery date",
    "first_known_to_privacy_office": "the date the privacy office learned of it",
    "affected_by_state": "the affected residents by State",
    "total_affected": "the total affected",
    "data_elements": "the information involved",
    "risk_assessment": "the risk assessment outcome",
    "phi_encrypted": "whether the information was encrypted",
    "encryption_key_compromised": "whether the key was compromised",
    "ny_harm_determination_on": "the New York harm determination date",
    "nj_misuse_determination_on": "the New Jersey misuse determination date",
    "substitute_notice_started_on": "the date substitute notice started",
    "ce_notified_by_ba_on": "the date the business associate told the covered entity",
}
_FACT_NAME = re.compile(r"\b(" + "|".join(FACT_LABELS) + r")\b")


def facts_in_words(message: str) -> str:
    """An engine message with its fact names replaced by the form's labels."""
    return without_file_references(_FACT_NAME.sub(lambda m: FACT_LABELS[m.group(1)], message))
