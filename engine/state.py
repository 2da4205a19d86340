"""The batched game state: a struct of arrays with a leading run axis.

Every field (issue dimension, fact, parameter, bloc seat share, derived outcome,
actor score) is one contiguous array over the runs; facts are small integer codes
whose labels live in the scenario. A State is immutable: the engine's functions
return a new State that shares the arrays it did not change, so a batch splits into
chunks (`take`) and joins back (`concat`) without any copy of the rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wargame.engine.catalogue import catalogue
from wargame.engine.compiled import Scenario
from wargame.engine.errors import UsageError, expected_one_of

__all__ = [
    "CHOICE_DTYPE",
    "FACT_DTYPE",
    "State",
    "initial_choices",
    "initial_fields",
    "over_runs",
]

FACT_DTYPE = np.int8
CHOICE_DTYPE = np.int16


def over_runs(value: Any, shape: int | tuple[int, ...]) -> np.ndarray:
    """`value` (one number, or an array) as an array of `shape` (runs last): itself when it
    already is one, else a read-only broadcast view (nothing is copied either way)."""
    if isinstance(value, np.ndarray) and value.shape == (
        shape if isinstance(shape, tuple) else (shape,)
    ):
        return value
    return np.broadcast_to(value, shape)


@dataclass(frozen=True)
class State:
    """The whole game state of a batch of runs after `turn` completed turns."""

    runs: np.ndarray  # the global run index of each row: the key of every random draw
    turn: int
    fields: Mapping[str, np.ndarray]
    fired: Mapping[str, np.ndarray] = field(default_factory=dict)  # event id -> has fired (bool)
    choices: Mapping[str, np.ndarray] = field(default_factory=dict)  # event id -> last option, -1

    @property
    def size(self) -> int:
        return len(self.runs)

    def env(self) -> Mapping[str, np.ndarray | float]:
        """The names an expression may read: every field, and the turn being played."""
        return _Env(self.fields, float(self.turn + 1))

    def with_fields(self, updates: Mapping[str, np.ndarray]) -> State:
        return State(self.runs, self.turn, {**self.fields, **updates}, self.fired, self.choices)

    def with_event(self, event_id: str, fired: np.ndarray, choice: np.ndarray) -> State:
        return State(
            self.runs,
            self.turn,
            self.fields,
            {**self.fired, event_id: fired},
            {**self.choices, event_id: choice},
        )

    def next_turn(self) -> State:
        return State(self.runs, self.turn + 1, self.fields, self.fired, self.choices)

    def take(self, index: np.ndarray | slice) -> State:
        """The rows selected by `index` (a slice, a boolean mask or integer positions)."""
        pick = {k: v[index] for k, v in self.fields.items()}
        return State(
            self.runs[index],
            self.turn,
            pick,
            {k: v[index] for k, v in self.fired.items()},
            {k: v[index] for k, v in self.choices.items()},
        )

    def rows(self, index: np.ndarray) -> State:
        """The rows at integer positions `index`, each field gathered only when read (an
        event played on the runs it fires in reads a few fields of many)."""
        return State(
            self.runs[index],
            self.turn,
            _Gathered(self.fields, index),
            _Gathered(self.fired, index),
            _Gathered(self.choices, index),
        )

    @staticmethod
    def concat(states: Sequence[State]) -> State:
        """Rows of several states of the same turn, one after the other."""
        first = states[0]
        if any(s.turn != first.turn for s in states):
            raise UsageError("only states at the same turn can be joined")

        def join(maps: list[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
            return {k: np.concatenate([m[k] for m in maps]) for k in maps[0]}

        return State(
            np.concatenate([s.runs for s in states]),
            first.turn,
            join([s.fields for s in states]),
            join([s.fired for s in states]),
            join([s.choices for s in states]),
        )


class _Gathered(Mapping[str, np.ndarray]):
    """Some rows of every array of a mapping, each gathered on first read."""

    def __init__(self, source: Mapping[str, np.ndarray], index: np.ndarray) -> None:
        self._source = source
        self._index = index
        self._gathered: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        value = self._gathered.get(name)
        if value is None:
            value = self._gathered[name] = self._source[name].take(self._index)
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._source

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


class _Env(Mapping[str, "np.ndarray | float"]):
    """What expressions read: the state's fields and `turn` (a view: nothing is copied)."""

    def __init__(self, fields: Mapping[str, np.ndarray], turn: float) -> None:
        self._fields = fields
        self._turn = turn

    def __getitem__(self, name: str) -> np.ndarray | float:
        return self._turn if name == "turn" else self._fields[name]

    def __contains__(self, name: object) -> bool:
        return name == "turn" or name in self._fields

    def __iter__(self) -> Iterator[str]:
        yield from self._fields
        yield "turn"

    def __len__(self) -> int:
        return len(self._fields) + 1


def initial_fields(
    scenario: Scenario, runs: int, inputs: Mapping[str, np.ndarray | float] | None = None
) -> dict[str, np.ndarray]:
    """Every stored field at the scenario's start (before derived outcomes), `runs` rows each.

    `inputs` replaces parameters' values and dimensions' initial values, per run or for all.
    """
    spec = scenario.spec
    inputs = inputs or {}
    numbers = {n.name: n.kind for n in catalogue(scenario)}
    unknown = set(inputs) - set(numbers)
    if unknown:
        raise UsageError(
            f"not a number of the scenario {expected_one_of(sorted(unknown)[0], numbers)}"
        )

    def column(name: str, default: float) -> np.ndarray:
        value = np.asarray(inputs.get(name, default), dtype=np.float64)
        return np.array(np.broadcast_to(value, (runs,)))

    values: dict[str, np.ndarray] = {}
    for name, dim in spec.dimensions.items():
        values[name] = np.clip(column(name, dim.initial), 0.0, 100.0)
    for name, fact in spec.facts.items():
        values[name] = np.full(runs, fact.values.index(fact.initial), dtype=FACT_DTYPE)
    for name, param in spec.parameters.items():
        values[name] = column(name, param.value)
    for actor in scenario.actors:
        blocs = [m for m in actor.members if m.seat_field]
        seats = {m.seat_field: column(f"{m.key}.seats", m.seats) for m in blocs if m.seat_field}
        total = sum(seats.values())
        for field_name, share in seats.items():
            # sampled seat shares are made to add up to 1 again, run by run
            values[field_name] = (
                share / total if any(f"{m.key}.seats" in inputs for m in blocs) else share
            )
    # the actors' other numbers, where they differ from the profile: the agents read them here
    for name, kind in numbers.items():
        if name in inputs and kind not in ("parameter", "initial", "seats"):
            values[name] = column(name, 0.0)
    return values


def initial_choices(
    scenario: Scenario, runs: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """No event has fired yet: (fired, choices) for every event."""
    fired = {e.id: np.zeros(runs, dtype=bool) for e in scenario.events}
    choices = {e.id: np.full(runs, -1, dtype=CHOICE_DTYPE) for e in scenario.events}
    return fired, choices
