"""A name for each rule id, so no page, e-mail or document shows an id alone ("Still owed: NY6")."""

from __future__ import annotations

import re

from incident_tracker.core.states import JURISDICTIONS
from incident_tracker.core.states.model import Duty, Jurisdiction

RULE_NAMES: dict[str, str] = {
    "F1": "notice to individuals (45 CFR 164.404)",
    "F2": "substitute notice (45 CFR 164.404(d)(2))",
    "F3": "notice to the media (45 CFR 164.406)",
    "F4": "report to HHS (45 CFR 164.408(b))",
    "F5": "HHS annual log of small breaches (45 CFR 164.408(c))",
    "F6": "business associate's notice to the covered entity (45 CFR 164.410)",
    "F7": "law-enforcement delay (45 CFR 164.412)",
    "F8": "documentation kept six years (45 CFR 164.530(j))",
    "P2": "42 CFR Part 2 breach report to HHS",
    "NY1": "notice to New York residents (GBL 899-aa(2))",
    "NY2": "New York Attorney General: written harm determination (GBL 899-aa(2)(a))",
    "NY3": "New York agencies (GBL 899-aa(8)(a))",
    "NY4": "New York: consumer reporting agencies (GBL 899-aa(8)(b))",
    "NY5": "New York Attorney General after the HHS report (GBL 899-aa(9))",
    "NY6": "vendor's notice to the owner of New York data (GBL 899-aa(3))",
    "NY7": "New York DFS: cybersecurity event (23 NYCRR 500.17)",
    "NY8": "New York DFS: extortion payment (23 NYCRR 500.17(c))",
    "NY9": "New York DFS: reasons for an extortion payment (23 NYCRR 500.17(c))",
    "NJ1": "New Jersey State Police (N.J.S.A. 56:8-163(c)(1))",
    "NJ2": "notice to New Jersey residents (N.J.S.A. 56:8-163(a))",
    "NJ3": "New Jersey: consumer reporting agencies (N.J.S.A. 56:8-163(f))",
    "NJ4": "vendor's notice to the owner of New Jersey data (N.J.S.A. 56:8-163(b))",
    "CA1": "notice to California residents (Civ. Code 1798.82(a))",
    "CA2": "California Attorney General sample copy (Civ. Code 1798.82(f))",
    "CA3": "vendor's notice to the owner of California data (Civ. Code 1798.82(b))",
    "CA4": "California Department of Public Health (H&S 1280.15(b)(1))",
    "CA5": "California patient notice (H&S 1280.15(b)(2))",
}


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
