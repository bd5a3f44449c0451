"""Walking the risk assessment: which steps apply, which comes next, what each step must contain.

The steps themselves are data (`core.assessment.steps`); this module only walks them. A step can be
opened once every applicable step before it is complete, so `next_step` and `resume_step` always
lead somewhere answerable, and a signature is only ever put under a complete walk.
"""

from __future__ import annotations

from collections.abc import Mapping

from incident_tracker.core import risk
from incident_tracker.core.assessment.answers import Answers, Situation, many, one, situation_of
from incident_tracker.core.assessment.questions import Kind, Question, Step
from incident_tracker.core.assessment.steps import ELEMENT_KINDS, STEPS

__all__ = [
    "STEPS",
    "Situation",
    "applicable",
    "asked",
    "defaults",
    "find",
    "next_step",
    "previous_step",
    "reachable",
    "relevant_answers",
    "resume_step",
    "situation_of",
    "validate_step",
    "validate_walk",
    "with_defaults",
]

SIGN = "sign"
_BY_KEY: dict[str, Step] = {s.key: s for s in STEPS}


def find(key: str) -> Step | None:
    return _BY_KEY.get(key)


def applicable(answers: Answers, situation: Situation) -> tuple[Step, ...]:
    return tuple(s for s in STEPS if s.applies(answers, situation))


def asked(step: Step, answers: Answers, situation: Situation) -> tuple[Question, ...]:
    return tuple(q for q in step.questions if q.asked(answers, situation))


def next_step(current: str, answers: Answers, situation: Situation) -> str | None:
    """The next step the walk shows after `current`, given the answers so far."""
    keys = [s.key for s in STEPS]
    if current not in keys:
        return None
    for step in STEPS[keys.index(current) + 1 :]:
        if step.applies(answers, situation):
            return step.key
    return None


def previous_step(current: str, answers: Answers, situation: Situation) -> str | None:
    keys = [s.key for s in STEPS]
    if current not in keys:
        return None
    for step in reversed(STEPS[: keys.index(current)]):
        if step.applies(answers, situation):
            return step.key
    return None


def _answer_problems(q: Question, value: object, answers: Answers, situation: Situation) -> str:
    allowed = {c.value for c in q.choices}
    if q.kind is Kind.TEXT:
        text = value.strip() if isinstance(value, str) else ""
        if len(text) > q.max_length:
            return f"shorten this to {q.max_length:,} characters (it has {len(text):,})"
        if not text and q.required(answers, situation):
            return "write this: it is part of the record"
        return ""
    if q.kind is Kind.MULTI:
        values = many({q.key: value}, q.key) if value is not None else ()
        if set(values) - allowed:
            return "choose from the list"
        if not values and q.required(answers, situation):
            return "choose at least one"
        return ""
    chosen = value.strip() if isinstance(value, str) else ""
    if chosen and chosen not in allowed:
        return "choose one of the options"
    if not chosen and q.required(answers, situation):
        return "choose an answer"
    return ""


def validate_step(step: Step, answers: Answers, situation: Situation) -> dict[str, str]:
    """Problems with `step` given all the answers (the step's own merged in), by question key."""
    problems: dict[str, str] = {}
    for q in asked(step, answers, situation):
        message = _answer_problems(q, answers.get(q.key), answers, situation)
        if message:
            problems[q.key] = message
    if step.key == "conclusion" and not problems:
        # Only answers the walk asked count as facts: a stale "yes" to an exception step that no
        # longer applies must not establish that exception.
        shown = relevant_answers(answers, situation)
        problems.update(risk.decision_problems(shown, risk.assess(answers, situation)))
    if step.key == "cdph_exclusion" and one(answers, "cdph_exclusion") == "F":
        decision = risk.decision_of(answers, risk.assess(answers, situation))
        if decision.chosen is not risk.Outcome.LOW_PROBABILITY:
            problems["cdph_exclusion"] = (
                "(F) needs a documented risk assessment finding a low probability of compromise; "
                "your conclusion is different (22 CCR 79901(b)(1)(F))"
            )
    taken = many(answers, "fiv_steps")
    if step.key == "factor_iv" and "none" in taken and len(taken) > 1:
        problems["fiv_steps"] = "'Nothing' cannot be chosen together with a step taken"
    return problems


def _complete(step: Step, answers: Answers, situation: Situation) -> bool:
    return step.key != SIGN and not validate_step(step, answers, situation)


def resume_step(answers: Answers, situation: Situation) -> str:
    """Where the walk stands: the first applicable step that is not complete, else signing."""
    for step in applicable(answers, situation):
        if not _complete(step, answers, situation):
            return step.key
    return SIGN


def reachable(key: str, answers: Answers, situation: Situation) -> bool:
    """A step may be opened when it applies and every applicable step before it is complete."""
    for step in applicable(answers, situation):
        if step.key == key:
            return True
        if not _complete(step, answers, situation):
            return False
    return False


def validate_walk(answers: Answers, situation: Situation) -> list[tuple[Step, str, str]]:
    """Every problem that stops signing: (step, question, message), in walk order."""
    found: list[tuple[Step, str, str]] = []
    for step in applicable(answers, situation):
        if step.key == SIGN:
            continue
        for key, message in validate_step(step, answers, situation).items():
            found.append((step, key, message))
    return found


def relevant_answers(answers: Answers, situation: Situation) -> dict[str, object]:
    """Only the answers to questions the walk actually asked (stale answers to steps that no
    longer apply are left out of the signed record)."""
    kept: dict[str, object] = {}
    for step in applicable(answers, situation):
        if step.key == SIGN:
            continue
        for q in asked(step, answers, situation):
            if q.key in answers:
                kept[q.key] = answers[q.key]
    return kept


def defaults(step: Step, answers: Answers, situation: Situation) -> dict[str, object]:
    """First answers offered on a step not yet answered: factor (i) starts from the incident's
    data elements; the conclusion starts from the proposal."""
    if step.key == "factor_i" and "fi_identifiers" not in answers:
        kinds = sorted({ELEMENT_KINDS[e] for e in situation.data_elements if e in ELEMENT_KINDS})
        return {"fi_identifiers": kinds}
    if step.key == "conclusion" and not one(answers, "chosen_outcome"):
        conclusion = risk.assess(answers, situation)
        out: dict[str, object] = {"chosen_outcome": conclusion.outcome.value}
        if conclusion.exception is not None:
            out["chosen_exception"] = conclusion.exception.value
        return out
    return {}


def with_defaults(
    step: Step, answers: Mapping[str, object], situation: Situation
) -> dict[str, object]:
    """The answers to show on `step`: what was answered, else the offered first answer."""
    merged = dict(answers)
    for key, value in defaults(step, answers, situation).items():
        if not merged.get(key):
            merged[key] = value
    return merged
