"""Decisions from outside the engine, and the record of why each decision went as it did.

A game is its scenario, its seed and the list of `Decision`s made outside the engine:
human players' choices, facilitator overrides and injected events. Replaying that
list reproduces the game exactly. A `Resolution` is the engine's own account of one
event in a batch of one: who decided by which rule, each option's utility for each
actor, the draws, the votes and vetoes, and what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from wargame.engine.errors import DecisionError, expected_one_of

__all__ = ["Decision", "DecisionLog", "DecisionRequest", "Resolution"]

Kind = Literal["choice", "override", "inject"]


@dataclass(frozen=True)
class Decision:
    """One decision made outside the engine.

    - `choice`: a human `actor` in `role` picks `option` (for a veto player, `accepts`
      lists the options it does not veto).
    - `override`: the facilitator sets the event's result to `option`, with a `reason`.
    - `inject`: the facilitator makes a deck event occur this turn.
    `run` limits the decision to one run of a batch; None applies it to every run.
    """

    turn: int
    event: str
    kind: Kind = "choice"
    actor: str | None = None
    role: str | None = None
    option: str | None = None
    accepts: tuple[str, ...] | None = None
    reason: str = ""
    run: int | None = None

    def key(self) -> tuple[Any, ...]:
        return (self.turn, self.event, self.kind, self.actor, self.role, self.run)

    def to_dict(self) -> dict[str, Any]:
        return {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in asdict(self).items()
            if v not in (None, "")
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        values = dict(data)
        if values.get("accepts") is not None:
            values["accepts"] = tuple(values["accepts"])
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise DecisionError(
                "unknown decision field "
                + expected_one_of(sorted(unknown)[0], cls.__dataclass_fields__)
            )
        return cls(**values)


@dataclass(frozen=True)
class DecisionRequest:
    """What the engine waits for: `actor` must decide, in `role`, on `event` this `turn`."""

    turn: int
    event: str
    role: str
    actor: str
    options: tuple[str, ...]  # the option ids it may pick (or, for a veto player, accept)
    proposal: str | None = None  # what a voter or the party asked answers
    utilities: Mapping[str, float] = field(default_factory=dict)  # option -> actor's utility


class DecisionLog:
    """Outside decisions indexed for the engine's look-ups, in the order they were made."""

    def __init__(self, decisions: Iterable[Decision] = ()) -> None:
        self.decisions: list[Decision] = []
        self._index: dict[tuple[Any, ...], Decision] = {}
        for decision in decisions:
            self.add(decision)

    def add(self, decision: Decision) -> None:
        """Record a decision; a later one for the same point replaces the earlier one."""
        key = decision.key()
        if key in self._index:
            self.decisions.remove(self._index[key])
        self._index[key] = decision
        self.decisions.append(decision)

    def find(
        self, turn: int, event: str, kind: Kind, actor: str | None = None, role: str | None = None
    ) -> list[Decision]:
        """Decisions for this point: the one for all runs first, then per-run ones."""
        found = [self._index.get((turn, event, kind, actor, role, None))]
        found += [
            d
            for k, d in self._index.items()
            if k[:5] == (turn, event, kind, actor, role) and k[5] is not None
        ]
        return [d for d in found if d is not None]


@dataclass
class Resolution:
    """How one event went in run 0 of a batch: the explanation an interface shows."""

    turn: int
    event: str
    rule: str
    fired: bool
    option: str | None = None
    source: str = "ai"  # ai | human | override | nature
    draws: dict[str, float] = field(default_factory=dict)
    probabilities: dict[str, float] = field(default_factory=dict)
    utilities: dict[str, dict[str, float]] = field(default_factory=dict)  # actor -> option -> u
    accepts: dict[str, dict[str, bool]] = field(default_factory=dict)  # veto player -> option -> ok
    votes: dict[str, dict[str, float]] = field(default_factory=dict)  # member -> weight, yes
    notes: list[str] = field(default_factory=list)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (before, after)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
