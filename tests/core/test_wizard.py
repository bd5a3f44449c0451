"""core.wizard: the walk's order, the steps shown only where they apply, what each step must
contain, and where a walk resumes."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from incident_tracker.core import risk, wizard
from incident_tracker.core.assessment.answers import Situation
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.jurisdictions.new_jersey import assessment as new_jersey
from incident_tracker.core.jurisdictions.new_york import assessment as new_york
from tests.core.test_risk_walks import (
    ELECTRONIC,
    GOOD_FAITH_WORKFORCE,
    LOW_FACTORS,
    PAPER,
    encrypted_laptop,
    exception_i,
    low_probability,
    notify_without_assessment,
    unsecured,
)
from tests.factories import incident

NY_NJ = Situation(
    electronic=True,
    residents={"NY": 600, "NJ": 30},
    ny_private_information=True,
    nj_personal_information=True,
    data_elements=frozenset({"name", "ssn", "diagnosis"}),
)
FACILITY = Situation(
    electronic=True, cdph_facility=True, data_elements=frozenset({"name", "diagnosis"})
)
FACTORS = ["factor_i", "factor_ii", "factor_iii", "factor_iv"]
EXCEPTIONS = ["exception_i", "exception_ii", "exception_iii"]


def shown(answers: dict[str, object], situation: Situation) -> list[str]:
    return [s.key for s in wizard.applicable(answers, situation)]


def walked(answers: dict[str, object], situation: Situation) -> list[str]:
    """The steps in the order next_step visits them from the first."""
    keys, key = ["approach"], "approach"
    while (key := wizard.next_step(key, answers, situation)) is not None:  # type: ignore[assignment]
        keys.append(key)
    return keys


def test_unsecured_phi_walks_the_exceptions_then_the_four_factors() -> None:
    """164.402: unsecured PHI (the safe harbor fails), no exclusion of 164.402(1), so the four
    factors of 164.402(2), then the conclusion and the signature."""
    assert walked(low_probability(), ELECTRONIC) == [
        "approach",
        "safe_harbor",
        *EXCEPTIONS,
        *FACTORS,
        "conclusion",
        "sign",
    ]


def test_encryption_questions_only_when_the_phi_was_encrypted() -> None:
    """74 FR 19006: the standard, FIPS module, key and device state matter only for encrypted PHI;
    secured PHI then skips the exceptions and factors (no breach of unsecured PHI)."""
    assert walked(encrypted_laptop(), ELECTRONIC) == [
        "approach",
        "safe_harbor",
        "encryption",
        "conclusion",
        "sign",
    ]
    assert "encryption" not in walked(unsecured(), ELECTRONIC)


def test_a_compromised_key_leads_on_to_the_exceptions_and_factors() -> None:
    """docs/law/federal.md (C09): encrypted with the key compromised gets the full analysis."""
    steps = walked({**encrypted_laptop(key_compromised="yes"), **LOW_FACTORS}, ELECTRONIC)
    assert steps[:3] == ["approach", "safe_harbor", "encryption"]
    assert steps[3:] == [*EXCEPTIONS, *FACTORS, "conclusion", "sign"]


def test_paper_is_never_asked_about_encryption() -> None:
    """docs/law/federal.md: only destruction secures paper."""
    step = wizard.find("safe_harbor")
    assert step is not None
    assert [q.key for q in wizard.asked(step, unsecured(), PAPER)] == [
        "destruction",
        "destruction_evidence",
    ]


def test_an_exception_that_applies_ends_the_breach_analysis() -> None:
    """164.402(1): an exclusion means no breach, so the later exclusions and the factors are not
    asked; (1)(i) also meets the NY and NJ good-faith exclusions: no state step
    (docs/law/new-york.md)."""
    assert walked(exception_i(), NY_NJ) == [
        "approach",
        "safe_harbor",
        "exception_i",
        "conclusion",
        "sign",
    ]


def test_exception_ii_is_asked_only_when_i_does_not_apply_and_iii_when_neither() -> None:
    """164.402(1)(i)-(iii), in order."""
    answers = unsecured(eii_authorized_recipient="yes", eii_explanation="Same CE billing office.")
    assert shown(answers, ELECTRONIC)[2:5] == ["exception_i", "exception_ii", "conclusion"]


def test_notify_without_an_assessment_goes_straight_to_the_conclusion() -> None:
    """docs/law/federal.md: notify, no assessment; no state determination is made in that case."""
    assert walked(notify_without_assessment(), NY_NJ) == ["approach", "conclusion", "sign"]


def test_the_ny_and_nj_determinations_follow_the_conclusion_where_they_apply() -> None:
    """§ 899-aa(2)(a) (NY residents, computerized private information) and 56:8-163(a) (NJ
    residents, personal information): their own tests, after the HIPAA conclusion."""
    assert walked(low_probability(), NY_NJ)[-4:] == [
        "conclusion",
        "ny_determination",
        "nj_determination",
        "sign",
    ]


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        (
            Situation(electronic=True, residents={"NY": 3}, ny_private_information=True),
            ["ny_determination"],
        ),
        (Situation(electronic=False, residents={"NY": 3}, ny_private_information=True), []),
        (Situation(electronic=True, residents={"NY": 0}, ny_private_information=True), []),
        (Situation(electronic=True, residents={"NJ": 3}, nj_personal_information=False), []),
        (
            Situation(electronic=True, residents={"NJ": 3}, nj_personal_information=True),
            ["nj_determination"],
        ),
        (FACILITY, ["cdph_exclusion"]),
    ],
)
def test_state_steps_are_shown_only_where_that_law_can_apply(
    situation: Situation, expected: list[str]
) -> None:
    """§ 899-aa covers computerized data of NY residents only (docs/law/new-york.md); 56:8-161
    personal
    information only (§4.2); 22 CCR 79901 CDPH-licensed facilities only (§5.2)."""
    state_steps = {"ny_determination", "nj_determination", "cdph_exclusion"}
    assert [k for k in shown(low_probability(), situation) if k in state_steps] == expected


def test_secured_phi_needs_no_state_determination() -> None:
    """docs/law/new-york.md: encrypted data with the key intact are outside every State's
    definition."""
    assert "ny_determination" not in shown(encrypted_laptop(), NY_NJ)
    assert "cdph_exclusion" not in shown(encrypted_laptop(), FACILITY)


def test_a_step_cannot_be_opened_before_the_steps_it_depends_on() -> None:
    """The walk resumes where it stands; nothing is signed half-walked."""
    answers = {"approach": "assess"}
    assert wizard.reachable("safe_harbor", answers, ELECTRONIC)
    assert not wizard.reachable("factor_i", answers, ELECTRONIC)
    assert not wizard.reachable("sign", answers, ELECTRONIC)
    assert wizard.resume_step(answers, ELECTRONIC) == "safe_harbor"
    assert wizard.resume_step(unsecured(), ELECTRONIC) == "factor_i"


def test_a_required_answer_missing_is_reported_by_question() -> None:
    """Every question of a step must be answered; the message names what is wrong."""
    step = wizard.find("exception_i")
    assert step is not None
    problems = wizard.validate_step(
        step, {"approach": "assess", "ei_workforce": "maybe"}, ELECTRONIC
    )
    assert problems["ei_workforce"] == "choose one of the options"
    assert problems["ei_scope"] == "choose an answer"
    assert "ei_explanation" not in problems  # required only once every answer is yes


def test_claiming_an_exception_requires_its_explanation() -> None:
    """164.414(b), 164.530(j): an exception determination is documented."""
    step = wizard.find("exception_i")
    assert step is not None
    answers = unsecured(**{**GOOD_FAITH_WORKFORCE, "ei_explanation": ""})
    assert wizard.validate_step(step, answers, ELECTRONIC) == {
        "ei_explanation": "write this: it is part of the record"
    }


def test_nothing_done_cannot_be_ticked_with_a_mitigation_step() -> None:
    """164.402(2)(iv): the mitigation answer must be coherent to be evidence."""
    step = wizard.find("factor_iv")
    assert step is not None
    answers = low_probability(fiv_steps=["none", "retrieved"])
    assert set(wizard.validate_step(step, answers, ELECTRONIC)) == {"fiv_steps"}


def test_text_longer_than_its_limit_is_refused_with_the_count() -> None:
    step = wizard.find("factor_i")
    assert step is not None
    problems = wizard.validate_step(step, low_probability(fi_evidence="x" * 4001), ELECTRONIC)
    assert problems == {"fi_evidence": "shorten this to 4,000 characters (it has 4,001)"}


def test_the_cdph_f_exclusion_needs_a_low_probability_conclusion() -> None:
    """22 CCR 79901(b)(1)(F): a documented risk assessment finding a low probability."""
    step = wizard.find("cdph_exclusion")
    assert step is not None
    answers = low_probability(
        chosen_outcome="notify",
        override_reason="caution",
        cdph_exclusion="F",
        cdph_basis="see the assessment",
    )
    assert "(F) needs" in wizard.validate_step(step, answers, FACILITY)["cdph_exclusion"]
    answers["chosen_outcome"] = "low_probability"
    assert wizard.validate_step(step, answers, FACILITY) == {}


def test_stale_answers_of_steps_that_no_longer_apply_are_left_out_of_the_record() -> None:
    """A walk changed to "encrypted" keeps no factor answers in what is signed."""
    answers = {**low_probability(), **encrypted_laptop()}
    kept = wizard.relevant_answers(answers, ELECTRONIC)
    assert "fi_rating" not in kept and "ei_workforce" not in kept
    assert kept["encryption_standard"] == "sp800_111"


def test_first_answers_come_from_the_incident_and_the_proposal() -> None:
    """Factor (i) starts from the incident's data elements (the incident JSON format (README.md,
    Calculator) vocabulary); the
    conclusion starts from the tool's proposal."""
    factor_i, conclusion = wizard.find("factor_i"), wizard.find("conclusion")
    assert factor_i is not None and conclusion is not None
    situation = Situation(electronic=True, data_elements=frozenset({"name", "ssn", "lab_results"}))
    offered = wizard.with_defaults(factor_i, unsecured(), situation)
    assert offered["fi_identifiers"] == ["clinical", "direct_identifiers", "ssn"]
    proposal = wizard.with_defaults(conclusion, exception_i(chosen_outcome=""), ELECTRONIC)
    assert (proposal["chosen_outcome"], proposal["chosen_exception"]) == (
        "exception",
        "164.402(1)(i)",
    )


def test_situation_of_reads_the_incident_facts() -> None:
    """docs/law/new-york.md: NY medical information counts from 2025-03-21 (discovered 2026-02-10
    here);
    §4.2: NJ needs SSN, licence, account with code or credentials; §5.2: CDPH facilities."""
    facts = parse_incident(
        incident(
            affected_by_state={"NY": 600, "NJ": 20},
            data_elements=["name", "diagnosis"],
            entity_type="ca_licensed_health_facility",
        )
    )
    situation = wizard.situation_of(facts)
    assert (situation.residents_of("NY"), situation.residents_of("NJ")) == (600, 20)
    assert new_york.reaches(situation) and not new_jersey.reaches(situation)
    assert situation.cdph_facility
    assert facts.discovered_on == date(2026, 2, 10)


def test_every_answer_the_logic_reads_is_a_question_of_the_walk() -> None:
    """Guards against a misspelt key: each key core.risk and the jurisdictions' risk.py read
    (quoted in a one()/many() call, or in its tables of exclusions and factors) is asked by some
    step."""
    core = Path(wizard.__file__).parent
    sources = [core / "risk.py", *sorted((core / "jurisdictions").glob("*/risk.py"))]
    read = {
        node.args[1].value
        for path in sources
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("one", "many")
        and len(node.args) == 2
        and isinstance(node.args[1], ast.Constant)
    }
    tables = {key for tests in risk.EXCEPTION_TESTS.values() for key, _ in tests}
    tables |= set(risk.EXCEPTION_EXPLANATION.values())
    tables |= {k for f in risk.FACTORS for k in (*f.structured, f.rating, f.evidence)}
    asked = {q.key for s in wizard.STEPS for q in s.questions}
    assert len(read) >= 25 and len(tables) == 33  # 10 + 3 exclusion keys, 20 factor keys
    assert read | tables <= asked, (read | tables) - asked
