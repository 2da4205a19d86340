"""A scenario prepared for scalar games: its expressions compiled once, shared by every game.

The library reads and validates the YAML (`engine.scenario.load_scenario`: the typed spec
and the actors' profiles); everything the game then does with it is this baseline's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from benchmarks.scalar_expressions import Expr, compile_expression, names_read
from wargame.actors.profiles import Profile
from wargame.engine.scenario import load_scenario

__all__ = ["Event", "Option", "World", "prepare"]


@dataclass(frozen=True)
class Option:
    """One way an event can go: when it is open, its weight (chance events), its effects,
    and the dimensions its deciders expect it to move (its effects, then `projected`)."""

    id: str
    available: Expr | None
    probability: Expr | None
    effects: tuple[tuple[str, Expr], ...]
    projections: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class Event:
    """An event: when it may fire, under which rule, and its options."""

    spec: Any  # the event's validated spec: who decides, the status quo, the threshold...
    first: int
    last: int
    condition: Expr | None
    probability: Expr | None
    options: tuple[Option, ...]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def rule(self) -> str:
        return self.spec.rule

    def index(self, option_id: str) -> int:
        return next(i for i, o in enumerate(self.options) if o.id == option_id)


@dataclass(frozen=True)
class World:
    """Everything a game of the scenario needs that does not change from game to game."""

    turns: int
    dimensions: Mapping[str, float]  # name: initial value
    facts: Mapping[str, str]  # name: its initial label
    parameters: Mapping[str, float]
    profiles: tuple[Profile, ...]
    outcomes: tuple[tuple[str, Expr], ...]
    drift: tuple[tuple[str, Expr], ...]
    events: tuple[Event, ...]
    reads_scores: bool  # whether any expression reads an actor's score mid-turn

    @cached_property
    def seat_fields(self) -> frozenset[str]:
        return frozenset(m.seat_field for p in self.profiles for m in p.members if m.seat_field)


def prepare(path: str | Path) -> World:
    """Load (through the library) and compile a scenario for scalar games."""
    scenario = load_scenario(path)
    spec = scenario.spec
    labels = {name: tuple(fact.values) for name, fact in spec.facts.items()}
    events = tuple(_event(e, labels, spec.dimensions, spec.turns) for e in spec.events)
    return World(
        turns=spec.turns,
        dimensions={name: d.initial for name, d in spec.dimensions.items()},
        facts={name: fact.initial for name, fact in spec.facts.items()},
        parameters={name: p.value for name, p in spec.parameters.items()},
        profiles=scenario.actors,
        outcomes=tuple((n, compile_expression(o.expr)) for n, o in spec.outcomes.items()),
        drift=_effects(spec.drift, labels),
        events=events,
        reads_scores=any(
            name.startswith("score_") for source in _sources(spec) for name in names_read(source)
        ),
    )


def _event(spec: Any, labels: Mapping[str, tuple[str, ...]], dims: Mapping, turns: int) -> Event:
    first, last = (spec.turn, spec.turn) if spec.turn else (spec.turns or (1, turns))
    return Event(
        spec,
        first,
        min(last, turns),
        _optional(spec.condition),
        _optional(spec.probability),
        tuple(_option(o, labels, dims) for o in spec.options),
    )


def _option(spec: Any, labels: Mapping[str, tuple[str, ...]], dims: Mapping) -> Option:
    # a dimension both set and projected is judged by its projected value
    expected = {t: s for t, s in (*spec.effects.items(), *spec.projected.items()) if t in dims}
    return Option(
        spec.id,
        _optional(spec.available),
        _optional(spec.probability),
        _effects(spec.effects, labels),
        tuple((t, compile_expression(s)) for t, s in expected.items()),
    )


def _effects(
    effects: Mapping[str, Any], labels: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, Expr], ...]:
    return tuple((t, compile_expression(s, labels.get(t, ()))) for t, s in effects.items())


def _optional(source: Any) -> Expr | None:
    return None if source is None else compile_expression(source)


def _sources(spec: Any) -> list[Any]:
    """Every expression of the scenario (projected consequences included)."""
    found = [o.expr for o in spec.outcomes.values()] + list(spec.drift.values())
    for event in spec.events:
        found += [event.condition, event.probability]
        for option in event.options:
            found += [option.available, option.probability]
            found += [*option.effects.values(), *option.projected.values()]
    return [source for source in found if source is not None]
