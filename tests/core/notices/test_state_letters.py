"""The letter to individuals and the other States' laws: inserts only where
incident_tracker/data/states.json states a content requirement, and only where the State's own
letter is owed; the Massachusetts prohibition (M.G.L. c. 93H § 3) where its own letter is owed,
and the HIPAA letter deemed compliant under § 5 otherwise.
"""

from __future__ import annotations

from typing import Any

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import NoticeKind, parse_notice, prepare
from incident_tracker.core.notices.details import parse_organisation
from incident_tracker.core.notices.elements import audience_status, element_status
from incident_tracker.core.notices.state_letters import (
    OFFERS,
    prohibition_gaps,
    resident_duties,
)
from incident_tracker.core.states.model import load_data
from tests.core.notices.support import FULL_NOTICE, ORGANISATION, make
from tests.core.notices.test_state_filings import incident

MA_OFFER = (
    "an offer of at least 18 months of credit monitoring at no cost for Massachusetts residents "
    "(M.G.L. c. 93H § 3A)"
)


def details(months: int | None = 12) -> dict[str, Any]:
    if months is None:
        return {k: v for k, v in FULL_NOTICE.items() if k != "identity_protection"}
    return {
        **FULL_NOTICE,
        "identity_protection": {**FULL_NOTICE["identity_protection"], "months": months},
    }


def ctx(data: dict[str, Any], notice: dict[str, Any], state: str | None = None) -> Any:
    return prepare(
        parse_incident(data),
        parse_organisation(ORGANISATION),
        parse_notice(notice),
        NoticeKind.INDIVIDUAL,
        state,
    )


def missing_keys(
    data: dict[str, Any], notice: dict[str, Any], state: str | None = None
) -> set[str]:
    c = ctx(data, notice, state)
    return {s.key for s in element_status(NoticeKind.INDIVIDUAL, c) if not s.present}


# Not a HIPAA entity: Massachusetts's own letter is owed (M.G.L. c. 93H § 3), 40 residents with
# their Social Security numbers.
MA_OWN = incident({"MA": 40}, hipaa=False)
# A HIPAA covered entity: its HIPAA letter serves (§ 5, individual notice only).
MA_HIPAA = incident({"MA": 40})


def test_a_massachusetts_letter_of_its_own_leaves_out_the_nature_of_the_breach() -> None:
    """M.G.L. c. 93H § 3: the State's own letter must not state the nature of the breach or the
    number of residents affected; the letter drafted for MA1 says neither."""
    letter = make(MA_OWN, NoticeKind.INDIVIDUAL, details(18), state="MA").text
    assert FULL_NOTICE["what_happened"] not in letter
    assert "40" not in letter
    c = ctx(MA_OWN, details(18), "MA")
    assert prohibition_gaps("MA", c.facts, c.details, letter) == []


def test_the_one_letter_for_everyone_cannot_settle_massachusetts_own_duty() -> None:
    """The letter for all States states what happened: MA1 stays open, saying why (§ 3)."""
    letter = make(MA_OWN, NoticeKind.INDIVIDUAL, details(18)).text
    assert FULL_NOTICE["what_happened"] in letter
    c = ctx(MA_OWN, details(18))
    assert "MA" in c.own_letter_states
    gaps = prohibition_gaps("MA", c.facts, c.details, letter)
    assert gaps == [
        "silence on the nature of the breach, which a Massachusetts letter must not state "
        "(M.G.L. c. 93H § 3): send Massachusetts residents a letter of their own"
    ]


def test_a_massachusetts_letter_stating_the_number_affected_is_refused() -> None:
    letter = make(MA_OWN, NoticeKind.INDIVIDUAL, details(18), state="MA").text
    edited = letter.replace("We sincerely regret", "The breach affected 40 residents. We regret")
    c = ctx(MA_OWN, details(18), "MA")
    assert prohibition_gaps("MA", c.facts, c.details, edited) == [
        "silence on the number of people affected, which a Massachusetts letter must not state "
        "(M.G.L. c. 93H § 3)"
    ]


def test_a_hipaa_entitys_letter_is_deemed_compliant_in_massachusetts() -> None:
    """§ 5: a HIPAA entity that notifies under federal procedures (and tells the AG and OCABR)
    complies: MA1 is the HIPAA letter, which states what happened; no MA insert, no MA gap."""
    c = ctx(MA_HIPAA, details(12))
    assert "MA" not in c.own_letter_states
    assert audience_status("MA1", c) == []
    letter = make(MA_HIPAA, NoticeKind.INDIVIDUAL, details(12)).text
    assert FULL_NOTICE["what_happened"] in letter
    assert "Massachusetts" not in letter


def test_massachusetts_own_letter_offers_18_months_of_credit_monitoring() -> None:
    """M.G.L. c. 93H § 3A: 18 months of credit monitoring when Social Security numbers were
    exposed. A 12-month offer leaves the marker in the letter and the element missing; 18 months
    meets it. Without SSNs nothing is required."""
    short = make(MA_OWN, NoticeKind.INDIVIDUAL, details(12), state="MA")
    assert f"[MISSING: {MA_OFFER}]" in short.text
    assert MA_OFFER in [m.element for m in short.missing]
    assert "offer_MA" not in missing_keys(MA_OWN, details(18), "MA")
    no_ssn = incident({"MA": 40}, hipaa=False, data_elements=["name", "drivers_license"])
    assert "offer_MA" not in missing_keys(no_ssn, details(None), "MA")
    status = {s.key: s for s in audience_status("MA1", ctx(MA_OWN, details(12)))}
    assert status["offer_MA"].requirement.citation == "M.G.L. c. 93H § 3A"
    assert not status["offer_MA"].present


def test_delaware_own_letter_offers_a_year_of_credit_monitoring() -> None:
    """6 Del. C. § 12B-102 (states.json: "1 year of free credit monitoring if SSN breached"):
    Delaware deems HIPAA compliance compliant (§ 12B-103(b)), so the offer is owed only in
    Delaware's own letter: 6 months is short of a year, 12 months meets it."""
    own = incident({"DE": 30}, hipaa=False)
    assert "offer_DE" in missing_keys(own, details(6))
    assert "offer_DE" not in missing_keys(own, details(12))
    assert "offer_DE" not in missing_keys(incident({"DE": 30}), details(6))


def test_a_state_whose_data_states_no_letter_content_adds_nothing() -> None:
    """Texas's entry states no letter content: TX1 is met by the letter as it is."""
    c = ctx(incident({"TX": 300}), details(None))
    assert "TX" in c.own_letter_states
    assert audience_status("TX1", c) == []
    assert c.state_inserts == ()


def test_each_offer_is_what_the_data_states() -> None:
    """The project's copy of the data says each offer in these words (a test that the copy and
    its use agree); no other State's entry mentions credit monitoring for its letter."""
    data = load_data()
    for code, offer in OFFERS.items():
        assert any(offer.source in h for h in data[code]["health_specific"]), code
        assert str(offer.months) in offer.source or offer.months == 12
    mentions = {
        code
        for code, entry in data.items()
        if any("monitoring" in h or "identity-theft" in h for h in entry["health_specific"])
    }
    assert mentions == set(OFFERS)
    assert set(resident_duties()) == {e["resident_notice"]["rule_id"] for e in data.values()}
