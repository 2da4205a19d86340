"""What a player reads for a field of the state: its label, its value as text, and the one
order in which every interface lists the indicators.

A scenario names its fields for expressions (`burden_sharing`, `third_state_access`); people
read the labels the scenario gives them. Every screen, story and report takes both from here,
so that a board, a debrief and an after-action report say the same thing the same way.
"""

from __future__ import annotations

from wargame.engine.compiled import Scenario

__all__ = ["indicator_names", "label", "value_text"]


def indicator_names(scenario: Scenario, scores: bool = True) -> list[str]:
    """The derived outcomes (what the game is about), then the issue dimensions, then each
    actor's score."""
    names = [*(n for n, _ in scenario.outcomes), *scenario.dimensions]
    if scores:
        names += [f"score_{a.id}" for a in scenario.actors]
    return names


def label(scenario: Scenario, name: str) -> str:
    """The scenario's label for a field; an actor's name for its score, a bloc's for its
    seat share; the name itself for anything else."""
    spec = scenario.spec
    for table in (spec.outcomes, spec.dimensions, spec.facts, spec.parameters):
        if name in table:
            return str(table[name].label)
    for actor in scenario.actors:
        if name == f"score_{actor.id}":
            return f"{actor.name} score"
        for member in actor.members:
            if name == member.seat_field:
                return f"{member.name} seats"
    return name


def value_text(scenario: Scenario, name: str, value: float, sign: bool = False) -> str:
    """A value as a player reads it: a fact's label, a seat share to the hundredth, anything
    else (a 0..100 scale) to the tenth."""
    if name in scenario.facts:
        return scenario.facts[name].labels[int(value)]
    places = 2 if name in scenario.seat_fields else 1
    return f"{value:{'+' if sign else ''}.{places}f}"
