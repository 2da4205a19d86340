"""The typed shape of scenario and actor files (pydantic models, unknown fields refused).

These models check structure only: types, required fields, ranges. Whether a name
refers to something that exists, and whether an expression is well-formed, is
checked afterwards by `engine.scenario`, which knows the whole file.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wargame.engine.limits import MAX_OPTIONS, MAX_VALUE

__all__ = [
    "ActorFile",
    "Bloc",
    "Cited",
    "Dimension",
    "Event",
    "EventSpec",
    "Fact",
    "Option",
    "Outcome",
    "Parameter",
    "Preference",
    "ScenarioFile",
]

Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
Label = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=48)]
ScenarioId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
# numbers in expressions' places are strict: `true` is not a number, nor a probability
Expr = str | Annotated[int, Field(strict=True)] | Annotated[float, Field(strict=True)]
Probability = str | Annotated[float, Field(strict=True, ge=0, le=1)]
Range = tuple[
    Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)],
    Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)],
]


class _Model(BaseModel):
    # no NaN or infinity anywhere a number is expected: refused when the file is read
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _check_range(value: float, bounds: Range | None, what: str) -> None:
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{what} {value} lies outside its range [{bounds[0]}, {bounds[1]}]")


class _Citation(_Model):
    """Where a number or rule comes from: a verbatim quote from the paper, or the modeller's
    declared assumption (or both: a quote that gives the direction, an assumption for the
    size)."""

    quote: str | None = Field(None, description="verbatim words from the paper")
    reason: str | None = Field(None, description="one line: how the quote gives the number")
    assumption: str | None = Field(
        None, description="one line: why the modeller chose this where the paper is silent"
    )

    @model_validator(mode="after")
    def _cited(self) -> _Citation:
        if not (self.quote or self.assumption):
            raise ValueError(
                "needs a 'quote' from the paper or a declared 'assumption' (one line: why)"
            )
        return self


def _assumed_needs_range(citation: _Citation, *ranges: Range | None) -> None:
    if citation.assumption and any(r is None for r in ranges):
        raise ValueError("an assumption needs a [low, high] range for Monte Carlo to vary")


class Cited(_Citation):
    """A number with its citation and, where the paper is vague, a range to vary."""

    value: float
    range: Range | None = Field(None, description="[low, high] for Monte Carlo and sensitivity")

    @model_validator(mode="after")
    def _in_range(self) -> Cited:
        _check_range(self.value, self.range, "value")
        _assumed_needs_range(self, self.range)
        return self


class Dimension(_Citation):
    """An issue dimension on 0..100, with what its ends mean."""

    label: str
    low: str = Field(description="what 0 means")
    high: str = Field(description="what 100 means")
    initial: float = Field(ge=0, le=100)
    range: Range | None = None

    @model_validator(mode="after")
    def _in_range(self) -> Dimension:
        _check_range(self.initial, self.range, "initial")
        _assumed_needs_range(self, self.range)
        return self


class Fact(_Model):
    """A discrete fact: one of a few labels per run."""

    label: str
    values: list[Label] = Field(min_length=2, max_length=100)
    initial: str
    quote: str | None = None
    reason: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if len(set(self.values)) != len(self.values):
            raise ValueError("values must be unique")
        if self.initial not in self.values:
            raise ValueError(f"initial {self.initial!r} is not one of its values {self.values}")
        return self


class Parameter(Cited):
    """An uncertain number the scenario's expressions use by name."""

    label: str


class Outcome(_Citation):
    """A derived outcome on 0..100, recomputed from the state after every event."""

    label: str
    expr: Expr


class Option(_Model):
    """One way an event can go."""

    id: Name
    label: str
    narrative: str | None = None
    available: Expr | None = Field(
        None, description="condition under which the option can be chosen"
    )
    probability: Probability | None = Field(
        None, description="chance events: weight of this option"
    )
    effects: dict[str, Expr] = Field(default_factory=dict, description="field: its new value")
    projected: dict[str, Expr] = Field(
        default_factory=dict,
        description="dimension: the value its deciders expect it to lead to later (a request, "
        "a proposal); they judge the option by it, but it does not change the state",
    )


class _EventBase(_Citation):
    id: Name
    title: str
    narrative: str
    turn: int | None = Field(None, ge=1, description="scheduled at this turn")
    turns: tuple[int, int] | None = Field(None, description="may occur from..to (inclusive)")
    condition: Expr | None = None
    probability: Probability | None = Field(
        None, description="chance per eligible turn (drawn events)"
    )
    repeat: bool = Field(False, description="may occur more than once")
    options: list[Option] = Field(min_length=1, max_length=MAX_OPTIONS)

    @model_validator(mode="after")
    def _timing(self) -> _EventBase:
        if self.turn is not None and self.turns is not None:
            raise ValueError("give either 'turn' or 'turns', not both")
        if self.turns is not None and not 1 <= self.turns[0] <= self.turns[1]:
            raise ValueError(
                f"'turns' must be [first, last] with 1 <= first <= last (got {list(self.turns)})"
            )
        ids = [option.id for option in self.options]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"option ids must be unique (repeated: {', '.join(duplicates)})")
        return self


class ChanceEvent(_EventBase):
    """Nature draws an option by the options' probabilities."""

    rule: Literal["chance"]


class SingleEvent(_EventBase):
    """One actor chooses."""

    rule: Literal["single"]
    decider: Name


class VetoEvent(_EventBase):
    """An agenda setter picks among the options that no veto player ranks below the status quo."""

    rule: Literal["veto"]
    setter: Name
    vetoes: list[Name] = Field(min_length=1)
    status_quo: Name


class VoteEvent(_EventBase):
    """Voters (blocs by seat share, actors by capability) vote a proposal against the status
    quo; it passes with at least `threshold` of the weight."""

    rule: Literal["vote"]
    voters: list[Name] = Field(min_length=1)
    threshold: float = Field(0.5, gt=0, le=1)
    setter: Name | None = Field(None, description="picks the proposal when there are several")
    agenda: Name | None = Field(
        None,
        description="a fact naming the party whose blocs of the setter pick the proposal "
        "(e.g. the House majority)",
    )
    status_quo: Name


class CollectiveEvent(_EventBase):
    """Members each back one option; the option with the most capability behind it wins.

    Options a veto player ranks below the status quo are not open; a tie keeps the status
    quo."""

    rule: Literal["collective"]
    members: list[Name] = Field(min_length=2)
    vetoes: list[Name] = Field(default_factory=list)
    status_quo: Name


class BargainEvent(_EventBase):
    """A demander makes a demand with a concession attached; the party asked accepts or refuses."""

    rule: Literal["bargain"]
    demander: Name
    asked: Name
    refusal: Name = Field(description="the option that holds if the demand is refused")


EventSpec = ChanceEvent | SingleEvent | VetoEvent | VoteEvent | CollectiveEvent | BargainEvent
"""Any event, as its file gives it (the models differ by rule)."""

Event = Annotated[
    ChanceEvent | SingleEvent | VetoEvent | VoteEvent | CollectiveEvent | BargainEvent,
    Field(discriminator="rule"),
]


class ScenarioFile(_Model):
    """A whole scenario: the world, its actors and its events."""

    kind: Literal["scenario"]
    id: ScenarioId
    title: str
    description: str
    source: str
    start: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="first turn, YYYY-MM")
    turns: int = Field(ge=1, le=200, description="number of half-year turns")
    actors: list[str] = Field(
        min_length=1, description="bundled profile ids or paths to actor files"
    )
    dimensions: dict[Name, Dimension] = Field(min_length=1)
    facts: dict[Name, Fact] = Field(default_factory=dict)
    parameters: dict[Name, Parameter] = Field(default_factory=dict)
    outcomes: dict[Name, Outcome] = Field(default_factory=dict)
    drift: dict[str, Expr] = Field(
        default_factory=dict, description="applied at the end of each turn"
    )
    branches: list[Name] = Field(
        default_factory=list, description="events by whose outcome summaries break results down"
    )
    events: list[Event] = Field(min_length=1)


class Preference(_Citation):
    """An actor's ideal point and salience on one issue dimension."""

    ideal: float = Field(ge=0, le=100)
    salience: float = Field(ge=0)
    ideal_range: Range | None = None
    salience_range: Range | None = None

    @model_validator(mode="after")
    def _in_range(self) -> Preference:
        _check_range(self.ideal, self.ideal_range, "ideal")
        _check_range(self.salience, self.salience_range, "salience")
        _assumed_needs_range(self, self.ideal_range, self.salience_range)
        return self


class RedLine(_Citation):
    text: str


class Bloc(_Model):
    """A voting bloc inside an actor (e.g. a congressional faction) with its own preferences."""

    name: str
    seats: Cited = Field(description="initial seat share, 0..1")
    party: Label | None = Field(
        None, description="its party, for votes whose agenda the majority party sets"
    )
    preferences: dict[Name, Preference]


class ActorFile(_Model):
    """An actor's profile: what it wants, how much it weighs, how it decides."""

    kind: Literal["actor"]
    id: Name
    name: str
    summary: str = Field(description="its goals in words, for the role brief")
    capability: Cited | None = Field(
        None,
        description="weight in collective decisions, 0..1: needed by members of a "
        "collective decision and by voters voting with other actors",
    )
    temperature: Cited = Field(description="logit temperature in score points; 0 = always the best")
    preferences: dict[Name, Preference] = Field(default_factory=dict)
    blocs: dict[Name, Bloc] = Field(default_factory=dict)
    red_lines: list[RedLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> ActorFile:
        if bool(self.preferences) == bool(self.blocs):
            raise ValueError(
                "give either 'preferences' or 'blocs' (each bloc with its own preferences)"
            )
        return self


def is_path_like(text: str) -> bool:
    """An actor reference that names a file rather than a bundled profile."""
    return bool(re.search(r"[/\\]|\.ya?ml$", text))
