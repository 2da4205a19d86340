"""Where an actor pushes now: the issue it cares most about and the way it wants it to move.

The board's one-line summary of each actor, computed from the actor's own numbers for the
run (its largest bloc's saliences and ideal points, sampled ones included), so that what a
player reads is what the AI decides by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from wargame.actors.agents import ActorAgent, Fields
from wargame.engine.compiled import Scenario
from wargame.engine.indicators import label

__all__ = ["HOLD_MARGIN", "Stance", "stance"]

HOLD_MARGIN = 2.0
"""Points from its ideal within which an actor is content to hold an issue where it is."""


@dataclass(frozen=True)
class Stance:
    actor: str
    member: str  # the bloc whose view leads (the actor itself for a one-member actor)
    dimension: str
    label: str
    ideal: float
    value: float

    @property
    def direction(self) -> Literal["up", "down", "hold"]:
        gap = self.ideal - self.value
        return "up" if gap > HOLD_MARGIN else "down" if gap < -HOLD_MARGIN else "hold"


def _run0(value: object) -> float:
    return float(np.ravel(np.asarray(value))[0])


def stance(scenario: Scenario, agent: ActorAgent, fields: Fields) -> Stance:
    """In run 0 of `fields`: the largest bloc's most salient issue, its ideal and value."""
    seats = [_run0(w) for w in agent.seat_weights(fields)]
    member = agent.members[max(range(len(seats)), key=seats.__getitem__)]
    weights = {dim: _run0(w) for dim, w in agent.weights(member, fields).items()}
    dim = max(weights, key=weights.__getitem__)
    ideal = _run0(agent.ideal(member, dim, fields))
    return Stance(
        agent.actor_id, member.id, dim, label(scenario, dim), ideal, _run0(fields[dim][:1])
    )
