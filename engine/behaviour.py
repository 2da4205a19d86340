"""What the AI actors choose, and how often: a tally of every AI decision in a batch.

The decision rules report each AI decision to a `BehaviourTally` (when a model has one):
who decided, in which role, among which options, with which utilities, and what it took.
The tally keeps, per decision point, how often each option was taken, and how often the
actor took its *clearly best* option when it had one: the best option by at least
`CLEAR_MARGIN` score points over the next. That is the check that preferences, not
noise, decide the game (docs/decision-model.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from wargame.actors.agents import CLEAR_MARGIN

__all__ = ["BehaviourTally", "DecisionPoint", "Tally"]


@dataclass(frozen=True, order=True)
class DecisionPoint:
    """One kind of AI decision: `actor` in `role` on `event`, about `subject` if any (the
    option a veto player judges, the bloc that votes)."""

    event: str
    role: str
    actor: str
    subject: str = ""


@dataclass
class Tally:
    """Counts for one decision point over every run and turn it came up in."""

    labels: tuple[str, ...]
    taken: np.ndarray  # per label: how many decisions took it
    clear: int = 0  # decisions with a clearly best option
    clear_taken: int = 0  # ... in which the actor took it

    @property
    def decisions(self) -> int:
        return int(self.taken.sum())

    def shares(self) -> dict[str, float]:
        total = max(self.decisions, 1)
        return {label: float(n) / total for label, n in zip(self.labels, self.taken)}

    @property
    def clear_share(self) -> float | None:
        """Share of the clear decisions in which the best option was taken (None: none)."""
        return self.clear_taken / self.clear if self.clear else None


@dataclass
class BehaviourTally:
    """Every AI decision point of a batch, with its counts (see the module docstring)."""

    points: dict[DecisionPoint, Tally] = field(default_factory=dict)

    def add(
        self,
        point: DecisionPoint,
        labels: tuple[str, ...],
        utilities: np.ndarray,
        allowed: np.ndarray,
        chosen: np.ndarray,
        counted: np.ndarray,
    ) -> None:
        """Count the decisions in the runs `counted` where more than one option was open.

        `utilities` and `allowed` are (options, runs); `chosen` is each run's option index.
        """
        allowed = np.broadcast_to(allowed, utilities.shape)
        real = counted & (chosen >= 0) & (allowed.sum(axis=0) > 1)
        if not real.any():
            return
        u = np.where(allowed[:, real], utilities[:, real], -np.inf)
        pick = chosen[real]
        tally = self.points.get(point)
        if tally is None:
            tally = self.points[point] = Tally(labels, np.zeros(len(labels), dtype=np.int64))
        tally.taken += np.bincount(pick, minlength=len(labels))
        top_two = -np.sort(-u, axis=0)[:2]
        clear = top_two[0] - top_two[1] >= CLEAR_MARGIN
        best = np.argmax(u, axis=0)
        tally.clear += int(clear.sum())
        tally.clear_taken += int((clear & (pick == best)).sum())

    def __iter__(self) -> Iterator[tuple[DecisionPoint, Tally]]:
        return iter(sorted(self.points.items(), key=lambda kv: kv[0]))
