"""What each option of an event would do now, and why an option is not open: as the engine
would apply it, for an interface to show before a team decides.

The changes come from the engine's own `apply_everywhere` (so the 0..100 clamp and the seat
shares' renormalisation are the rules of play, not a copy of them); an option that exists but
is not open says what closes it: the source text of its `available` condition, or the rule
that keeps it off the table (a veto, a ballot of one proposal, a demand not made).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from wargame.engine.compiled import CompiledEvent, CompiledOption, Scenario
from wargame.engine.decisions import DecisionRequest
from wargame.engine.indicators import label, value_text
from wargame.engine.schema import BargainEvent
from wargame.engine.state import State
from wargame.engine.turn import apply_everywhere

__all__ = ["HOLD_OUT", "Change", "ClosedOption", "OptionPreview", "closed_options", "preview"]

ChangeKind = Literal["dimension", "fact", "seats", "projected"]

_NOT_OFFERED = {
    "member": "not open: a veto player ranks it below the status quo",
    "veto": "not open now",
    "voter": "not on the ballot: the vote is on the proposal, or the status quo",
    "asked": "not demanded: you answer the demand on the table",
    "setter": "not open to a proposal (the status quo holds if the proposal fails)",
}


@dataclass(frozen=True)
class Change:
    """One field an option changes: from, to, and how a player reads it."""

    name: str
    label: str
    kind: ChangeKind
    before: float
    after: float
    text: str  # the new value as text: a fact's label, or the signed change

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class ClosedOption:
    """An option that exists but is not open, and what closes it."""

    id: str
    label: str
    why: str  # a sentence for a player
    condition: str | None = None  # the `available` condition's source text, if that closes it


@dataclass(frozen=True)
class OptionPreview:
    """One option of a pending decision: what it would change now and what it is worth to
    the actor deciding; `closed` says why it cannot be picked, when it cannot."""

    id: str
    label: str
    changes: tuple[Change, ...]
    utility: float | None
    closed: ClosedOption | None = None

    @property
    def open(self) -> bool:
        return self.closed is None


def _first(value: object) -> float:
    """Run 0's value (a fact's code as a number)."""
    return float(np.ravel(np.asarray(value))[0])


def _changes(scenario: Scenario, state: State, option: CompiledOption) -> list[Change]:
    """The option's effects on run 0, then what its deciders expect it to lead to."""
    out = []
    for kind, effects in (("effect", option.effects), ("projected", option.projected)):
        updates = apply_everywhere(scenario, state, effects)
        for name, values in updates.items():
            before, after = _first(state.fields[name]), _first(values)
            if before == after:
                continue
            if name in scenario.facts:
                shown: ChangeKind = "fact"
                text = value_text(scenario, name, after)
            else:
                shown = (
                    "projected"
                    if kind == "projected"
                    else "seats"
                    if name in scenario.seat_fields
                    else "dimension"
                )
                text = value_text(scenario, name, after - before, sign=True)
            out.append(Change(name, label(scenario, name), shown, before, after, text))
    return out


def _condition_closes(option: CompiledOption, state: State) -> bool:
    if option.available is None:
        return False
    return not bool(np.ravel(np.asarray(option.available(state.env())))[0])


def closed_options(event: CompiledEvent, before: State) -> list[ClosedOption]:
    """The options of `event` that its `available` conditions closed in run 0 of `before`
    (the state the event resolved in)."""
    return [
        ClosedOption(o.id, o.label, f"open only when {o.available.source}", o.available.source)
        for o in event.options
        if o.available is not None and _condition_closes(o, before)
    ]


def _closed(option: CompiledOption, state: State, request: DecisionRequest) -> ClosedOption | None:
    if option.id in request.options:
        return None
    if option.available is not None and _condition_closes(option, state):
        source = option.available.source
        return ClosedOption(option.id, option.label, f"open only when {source}", source)
    why = _NOT_OFFERED.get(request.role, "not open now")
    return ClosedOption(option.id, option.label, why)


HOLD_OUT = "Hold out: make no demand"


def _label(event: CompiledEvent, option: CompiledOption, role: str) -> str:
    """The option as the deciding actor would take it: to a bargain's demander, the refusal
    is not a demand but holding out (engine.rules `_bargain`), so it says that."""
    spec = event.spec
    if role == "demander" and isinstance(spec, BargainEvent) and option.id == spec.refusal:
        return HOLD_OUT
    return option.label


def preview(scenario: Scenario, state: State, request: DecisionRequest) -> list[OptionPreview]:
    """Every option of the requested event, in the scenario's order: the open ones with what
    they would change and their value to the actor; the others with what closes them."""
    event = scenario.event(request.event)
    return [
        OptionPreview(
            option.id,
            _label(event, option, request.role),
            tuple(_changes(scenario, state, option)),
            request.utilities.get(option.id),
            _closed(option, state, request),
        )
        for option in event.options
    ]
