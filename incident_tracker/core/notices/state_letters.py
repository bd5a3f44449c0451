"""What the other States' laws add to, or forbid in, the letter to their residents.

Only what the project's states.json states: an offer of credit monitoring or identity-theft
services where the State's entry (`health_specific`) requires one for the data exposed, and a
prohibition a jurisdiction module records (Massachusetts, M.G.L. c. 93H § 3: the letter must not
state the nature of the breach or the number of residents affected). Either applies only where the
State's own letter is owed: where the HIPAA letter serves its residents (individual notice only,
e.g. M.G.L. c. 93H § 5) or the State deems HIPAA compliance compliant, its letter rules do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from incident_tracker.core.facts import IncidentFacts
from incident_tracker.core.notices.details import NoticeDetails
from incident_tracker.core.obligations import Obligation, Result
from incident_tracker.core.states import JURISDICTIONS
from incident_tracker.core.states.interpreter import HIPAA_LETTER_SERVES


@dataclass(frozen=True, slots=True)
class Offer:
    """A no-cost offer the State's law requires in its residents' letter when `elements` are
    exposed. `source` is the words of the State's entry in states.json that say so (a test keeps
    the two in step)."""

    code: str
    months: int
    elements: frozenset[str]
    citation: str
    source: str
    what: str = "credit monitoring"

    @property
    def key(self) -> str:
        return f"offer_{self.code}"

    @property
    def label(self) -> str:
        name = JURISDICTIONS[self.code].name
        return (
            f"an offer of at least {self.months} months of {self.what} at no cost for "
            f"{name} residents ({self.citation})"
        )


# From each entry's `health_specific` in incident_tracker/data/states.json; no other State's entry
# states a letter content requirement.
OFFERS: dict[str, Offer] = {
    o.code: o
    for o in (
        Offer(
            "MA",
            18,
            frozenset({"ssn"}),
            "M.G.L. c. 93H § 3A",
            "18 months of credit monitoring if SSN",
        ),
        Offer(
            "CT",
            24,
            frozenset({"ssn", "tax_id"}),
            "Conn. Gen. Stat. § 36a-701b(b)(2)(B)",
            "24 months of identity-theft prevention/credit monitoring if SSN or TIN",
            "identity theft prevention services or credit monitoring",
        ),
        Offer(
            "DC",
            18,
            frozenset({"ssn", "tax_id"}),
            "D.C. Code §§ 28-3851 to 28-3853",
            "18 months of identity-theft prevention services if SSN or TIN",
            "identity theft prevention services",
        ),
        Offer(
            "DE",
            12,
            frozenset({"ssn"}),
            "6 Del. C. §§ 12B-101 to 12B-104",
            "1 year of free credit monitoring if SSN breached",
        ),
        Offer(
            "PA",
            12,
            frozenset(
                {"ssn", "account_number", "account_number_with_access_code", "drivers_license"}
            ),
            "73 P.S. §§ 2301–2330",
            "12 months credit monitoring + one credit report if SSN, bank account number, or "
            "DL/state ID",
            "credit monitoring, with one credit report,",
        ),
    )
}


@cache
def resident_duties() -> dict[str, str]:
    """{rule id of a State's resident notice (TX1, MA1 ...): its jurisdiction code}."""
    return {j.duties[0].rule_id: code for code, j in JURISDICTIONS.items()}


def own_letter(o: Obligation) -> bool:
    """A State resident duty that the State's own letter must meet (not the HIPAA letter)."""
    return o.rule_id in resident_duties() and o.due_basis != HIPAA_LETTER_SERVES


def own_letter_states(result: Result) -> tuple[str, ...]:
    """The jurisdictions whose own letter is owed for these facts, in rule-id order."""
    codes = {resident_duties()[o.rule_id] for o in result.obligations if own_letter(o)}
    return tuple(sorted(codes))


def offer_required(code: str, facts: IncidentFacts) -> Offer | None:
    offer = OFFERS.get(code)
    if offer is None or not (facts.data_elements & offer.elements) or not facts.residents(code):
        return None
    return offer


def offer_met(offer: Offer, details: NoticeDetails) -> bool:
    ip = details.identity_protection
    return bool(ip and ip.provider and ip.months is not None and ip.months >= offer.months)


def required_offers(facts: IncidentFacts, codes: tuple[str, ...]) -> tuple[Offer, ...]:
    return tuple(o for code in codes if (o := offer_required(code, facts)) is not None)


# Prohibitions a jurisdiction module records (Overrides.letter_prohibitions), by what they forbid.
NATURE = "nature"
COUNT = "count"


def prohibitions(code: str) -> tuple[str, ...]:
    """What the State's own letter must not state: NATURE, COUNT (Massachusetts, M.G.L. c. 93H
    § 3)."""
    j = JURISDICTIONS.get(code)
    if j is None:
        return ()
    found = []
    for words in j.overrides.letter_prohibitions:
        if "nature" in words:
            found.append(NATURE)
        if "number" in words:
            found.append(COUNT)
    return tuple(found)


def prohibition_gaps(
    code: str, facts: IncidentFacts, details: NoticeDetails, text: str
) -> list[str]:
    """What `text` states that the State's own letter must not, in words with the section."""
    j = JURISDICTIONS[code]
    cite = "M.G.L. c. 93H § 3" if code == "MA" else j.citation
    gaps = []
    forbidden = prohibitions(code)
    nature = details.what_happened
    if NATURE in forbidden and nature and nature in text:
        gaps.append(
            f"silence on the nature of the breach, which a {j.name} letter must not state "
            f"({cite}): send {j.name} residents a letter of their own"
        )
    if COUNT in forbidden and _states_count(text, facts, code):
        gaps.append(
            f"silence on the number of people affected, which a {j.name} letter must not state "
            f"({cite})"
        )
    return gaps


def prohibition_rows(
    code: str, facts: IncidentFacts, details: NoticeDetails, text: str
) -> list[tuple[str, str, bool]]:
    """The State's own letter's prohibitions as check rows: (element, citation, respected)."""
    j = JURISDICTIONS[code]
    cite = "M.G.L. c. 93H § 3" if code == "MA" else j.citation
    forbidden = prohibitions(code)
    rows = []
    if NATURE in forbidden:
        nature = details.what_happened
        stated = bool(nature and nature in text)
        rows.append(
            (f"a {j.name} letter does not state the nature of the breach", cite, not stated)
        )
    if COUNT in forbidden:
        rows.append(
            (
                f"a {j.name} letter does not state the number of people affected",
                cite,
                not _states_count(text, facts, code),
            )
        )
    return rows


def _states_count(text: str, facts: IncidentFacts, code: str) -> bool:
    counts = {facts.total_affected, facts.residents(code)} - {0, 1}
    return any(
        re.search(rf"(?<![\d,]){re.escape(f'{n:,}')}(?![\d,])", text)
        or re.search(rf"(?<![\d,]){n}(?![\d,])", text)
        for n in counts
    )
