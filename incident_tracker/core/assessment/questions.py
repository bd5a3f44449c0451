"""The shapes of the walk: a step is a titled list of questions, each with its help text citing
the section that makes it matter. Conditions are plain functions of (answers, situation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from incident_tracker.core.assessment.answers import Answers, Situation, one

Condition = Callable[[Answers, Situation], bool]


def always(_answers: Answers, _situation: Situation) -> bool:
    return True


class Kind(StrEnum):
    CHOICE = "choice"  # one of the choices (radio buttons)
    MULTI = "multi"  # any of the choices (check boxes)
    TEXT = "text"  # free text (evidence, explanations)


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    text: str
    kind: Kind = Kind.CHOICE
    choices: tuple[Choice, ...] = ()
    help: str = ""
    # Asked at all (a function of the situation and of earlier steps' answers): hidden otherwise.
    asked: Condition = always
    # Must be answered (may depend on this step's own answers, e.g. evidence once a claim is made).
    required: Condition = always
    max_length: int = 4000

    def label_of(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    citation: str
    intro: str
    questions: tuple[Question, ...]
    applies: Condition = always

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)


YES, NO, UNKNOWN = "yes", "no", "unknown"
YES_NO = (Choice(YES, "Yes"), Choice(NO, "No"))
YES_NO_UNKNOWN = (*YES_NO, Choice(UNKNOWN, "Not known"))


def all_yes(*keys: str) -> Condition:
    """Required when every one of `keys` is answered yes."""

    def required(a: Answers, _s: Situation) -> bool:
        return all(one(a, k) == YES for k in keys)

    return required


def text_question(
    key: str, text: str, help: str = "", required: Condition | None = None
) -> Question:
    """A free-text answer, required unless `required` says otherwise."""
    return Question(key, text, Kind.TEXT, help=help, required=required or (lambda a, s: True))
