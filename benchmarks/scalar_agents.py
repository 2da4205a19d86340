"""The actors of one game as Mesa agents, on plain Python floats.

An actor scores a state as 100 minus the salience-weighted distance from its ideal points
(saliences normalised to sum to 1), seat-weighted over its blocs if it has any. It chooses
by a logit over its utilities with a temperature in score points (0: the first best
option), and accepts a proposal over the status quo with the two-option logit of the
gain. Its numbers are the profile's, or this game's where the game's inputs set them
(`turkey.posture.ideal`); they do not change during a game, so they are read once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

import mesa

from wargame.actors.profiles import Member, Profile

__all__ = ["Actor", "Bloc", "acceptance", "add_up", "logit_choice"]

Projection = Mapping[str, float]  # the dimensions an option would change: their new values


@dataclass(frozen=True)
class Bloc:
    """Someone whose preferences count (an actor, or one bloc of it), with this game's
    numbers: weight (normalised salience) and ideal point per dimension it cares about."""

    id: str
    party: str | None
    seat_field: str | None
    weights: Mapping[str, float]
    ideals: Mapping[str, float]

    def score(self, state: Mapping[str, float]) -> float:
        """0..100: how close the state is to this bloc's ideal points."""
        distance = 0.0
        for dim, weight in self.weights.items():
            distance = distance + weight * abs(state[dim] - self.ideals[dim])
        return 100.0 - distance

    def utilities(self, state: Mapping[str, float], projections: Sequence[Projection]) -> list:
        """The score of the state each option would produce: the current score plus the
        change on the dimensions the option moves."""
        current = self.score(state)
        result = []
        for changed in projections:
            utility = current
            for dim, after in changed.items():
                weight = self.weights.get(dim)
                if weight is not None:
                    ideal = self.ideals[dim]
                    utility = utility + weight * (abs(state[dim] - ideal) - abs(after - ideal))
            result.append(utility)
        return result


def add_up(values: Iterable[float]) -> float:
    """Left to right, rounding after each addition, as numpy adds arrays (Python 3.12's
    `sum` compensates its rounding errors, so it may differ in the last bit)."""
    total = 0.0
    for value in values:
        total = total + value
    return total


def _bloc(member: Member, inputs: Mapping[str, float]) -> Bloc:
    raw = {
        dim: inputs.get(f"{member.key}.{dim}.salience", value)
        for dim, value in member.raw_salience.items()
    }
    weights = member.salience  # the profile's, normalised by the library
    if any(f"{member.key}.{dim}.salience" in inputs for dim in raw):
        total = add_up(raw.values())
        weights = {dim: value / total if total > 0 else 0.0 for dim, value in raw.items()}
    return Bloc(
        member.id,
        member.party,
        member.seat_field,
        weights,
        {dim: inputs.get(f"{member.key}.{dim}.ideal", member.ideal[dim]) for dim in raw},
    )


class Actor(mesa.Agent):
    """One actor of the scenario in one game."""

    def __init__(self, model: mesa.Model, profile: Profile, inputs: Mapping[str, float]) -> None:
        super().__init__(model)
        self.actor_id = profile.id
        self.temperature = inputs.get(f"{profile.id}.temperature", profile.temperature)
        declared = 1.0 if profile.capability is None else profile.capability
        self.capability = inputs.get(f"{profile.id}.capability", declared)
        self.blocs = tuple(_bloc(m, inputs) for m in profile.members)

    def seats(self, state: Mapping[str, float]) -> list[float]:
        """Each bloc's share of the actor's weight (1.0 for an actor without blocs)."""
        return [state[b.seat_field] if b.seat_field else 1.0 for b in self.blocs]

    def score(self, state: Mapping[str, float]) -> float:
        """The actor's score: its blocs' scores, seat-weighted."""
        if len(self.blocs) == 1:
            return self.blocs[0].score(state)
        seats = self.seats(state)
        weighted = add_up(s * b.score(state) for s, b in zip(seats, self.blocs))
        return weighted / add_up(seats)

    def utilities(
        self,
        state: Mapping[str, float],
        projections: Sequence[Projection],
        party: str | None = None,
    ) -> list[float]:
        """Each option's utility, seat-weighted over the blocs (of `party` only, if given)."""
        if len(self.blocs) == 1 and party is None:
            return self.blocs[0].utilities(state, projections)
        seats = self.seats(state)
        if party is not None:
            chosen = [s * (b.party == party) for s, b in zip(seats, self.blocs)]
            if add_up(chosen) > 0:  # a party with no seats at all: every bloc counts
                seats = chosen
        total = add_up(seats)
        per_bloc = [b.utilities(state, projections) for b in self.blocs]
        return [
            add_up(s * utilities[o] for s, utilities in zip(seats, per_bloc)) / total
            for o in range(len(projections))
        ]

    def choose(self, utilities: Sequence[float], allowed: Sequence[bool], draw: float) -> int:
        """The option picked by a logit over `utilities` (-1 when none is allowed)."""
        return logit_choice(utilities, allowed, draw, self.temperature)

    def acceptance(self, proposal: float, status_quo: float) -> float:
        """Probability of preferring `proposal` to `status_quo`."""
        return acceptance(proposal - status_quo, self.temperature)


def acceptance(gain: float, temperature: float) -> float:
    """Logistic in the gain; at temperature 0, 1 exactly when the gain is not negative."""
    if temperature <= 0:
        return 1.0 if gain >= 0 else 0.0
    return 0.5 * (1.0 + math.tanh(0.5 * gain / temperature))


def logit_choice(
    utilities: Sequence[float], allowed: Sequence[bool], draw: float, temperature: float
) -> int:
    """Index of the option a logit with this temperature picks for `draw` (-1: none open).

    Temperature 0 takes the first best option. Otherwise option i is taken when `draw`
    falls in its slice of the cumulated probabilities; a draw past the last edge (by
    rounding) takes the last open option.
    """
    open_utilities = [u for u, ok in zip(utilities, allowed) if ok]
    if not open_utilities:
        return -1
    best = max(open_utilities)
    if temperature <= 0:
        return next(i for i, (u, ok) in enumerate(zip(utilities, allowed)) if ok and u == best)
    weights = [
        math.exp((u - best) / temperature) if ok else 0.0 for u, ok in zip(utilities, allowed)
    ]
    total = add_up(weights)
    cumulative = accumulate(w / total for w in weights)
    index = min(sum(edge <= draw for edge in cumulative), len(weights) - 1)
    if not allowed[index]:
        index = max(i for i, ok in enumerate(allowed) if ok)
    return index
