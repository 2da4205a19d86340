"""The actors as Mesa agents: each method acts on every run of the batch at once.

An actor scores a world state by how close it is to its ideal points (100 minus the
salience-weighted distance, so 0..100), judges an option by the state the option
would produce, and chooses by a noisy logit over those utilities: temperature 0
always takes the best option, higher temperatures err more often. An actor made of
blocs (the US Congress) scores as the seat-weighted mean of its blocs, and its
blocs vote separately. Randomness arrives as draws made by the engine's
counter-based generator; an agent never draws for itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import mesa
import numpy as np

from engine.scenario import Member, Profile

__all__ = ["CLEAR_MARGIN", "ActorAgent", "logit_choice"]

Fields = Mapping[str, np.ndarray]

CLEAR_MARGIN = 1.0
"""Score points by which an option must beat the next for the choice to count as clear."""


class ActorAgent(mesa.Agent):
    """One actor of the scenario, with its profile and AI temperature."""

    def __init__(
        self, model: mesa.Model, profile: Profile, temperature: float | None = None
    ) -> None:
        super().__init__(model)
        self.profile = profile
        self.actor_id = profile.id
        self.temperature = profile.temperature if temperature is None else float(temperature)

    @property
    def members(self) -> tuple[Member, ...]:
        return self.profile.members

    def member_score(self, member: Member, fields: Fields) -> np.ndarray:
        """0..100: how close the world in `fields` is to one member's ideal points."""
        distance: np.ndarray | float = 0.0
        for dim, weight in member.salience.items():
            distance = distance + weight * np.abs(fields[dim] - member.ideal[dim])
        return 100.0 - distance

    def seat_weights(self, fields: Fields) -> list[np.ndarray | float]:
        """Each member's share of the actor's weight (1.0 for a single-member actor)."""
        return [fields[m.seat_field] if m.seat_field else 1.0 for m in self.members]

    def _seat_weighted(
        self, fields: Fields, of_member: Callable[[Member], np.ndarray]
    ) -> np.ndarray:
        """The seat-weighted mean of a per-member quantity (the member's own for one member)."""
        if len(self.members) == 1:
            return of_member(self.members[0])
        weights = self.seat_weights(fields)
        return sum(w * of_member(m) for m, w in zip(self.members, weights)) / sum(weights)

    def score(self, fields: Fields) -> np.ndarray:
        """The actor's score: seat-weighted over its blocs."""
        return self._seat_weighted(fields, lambda m: self.member_score(m, fields))

    def member_option_utilities(
        self, member: Member, fields: Fields, projections: list[Fields]
    ) -> np.ndarray:
        """(options, runs): one member's score of the state each option would produce.

        Only the dimensions an option changes move the score, so each is the current
        score plus the change on those dimensions.
        """
        current = self.member_score(member, fields)
        rows = []
        for changed in projections:
            utility = current
            for dim, after in changed.items():
                weight = member.salience.get(dim)
                if weight:
                    ideal = member.ideal[dim]
                    utility = utility + weight * (
                        np.abs(fields[dim] - ideal) - np.abs(after - ideal)
                    )
            rows.append(np.broadcast_to(utility, current.shape))
        return np.stack(rows)

    def option_utilities(self, fields: Fields, projections: list[Fields]) -> np.ndarray:
        """(options, runs): the actor's utility of each option, seat-weighted over its blocs."""
        return self._seat_weighted(
            fields, lambda m: self.member_option_utilities(m, fields, projections)
        )

    def choose(
        self, utilities: np.ndarray, available: np.ndarray, draw: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pick an option per run by a logit over `utilities`; returns (index, probabilities)."""
        return logit_choice(utilities, available, draw, self.temperature)

    def acceptance(self, proposal: np.ndarray, status_quo: np.ndarray) -> np.ndarray:
        """Probability of preferring `proposal` to `status_quo` (a two-option logit)."""
        return acceptance_probability(proposal - status_quo, self.temperature)


def acceptance_probability(gain: np.ndarray, temperature: float) -> np.ndarray:
    """Logistic in the gain; at temperature 0, accept exactly when the gain is not negative."""
    if temperature <= 0:
        return (gain >= 0).astype(np.float64)
    return 0.5 * (1.0 + np.tanh(0.5 * gain / temperature))


def logit_choice(
    utilities: np.ndarray, available: np.ndarray, draw: np.ndarray, temperature: float
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the option chosen per run, and the choice probabilities (options, runs).

    Runs with no available option get -1.
    """
    masked = np.where(available, utilities, -np.inf)
    best = masked.max(axis=0)
    none = ~np.isfinite(best)
    if temperature <= 0:
        top = available & (masked == best)
        weights = top.astype(np.float64)
    else:
        with np.errstate(invalid="ignore"):
            weights = np.where(
                available, np.exp((masked - np.where(none, 0.0, best)) / temperature), 0.0
            )
    total = weights.sum(axis=0)
    probabilities = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    if temperature <= 0:
        index = np.argmax(top, axis=0)
    else:
        cumulative = np.cumsum(probabilities, axis=0)
        index = np.minimum((cumulative <= draw).sum(axis=0), len(utilities) - 1)
        # a draw that lands past the last available option's edge (rounding) takes the last one
        index = np.where(
            available[index, np.arange(len(draw))],
            index,
            len(utilities) - 1 - np.argmax(available[::-1], axis=0),
        )
    return np.where(none, -1, index), probabilities
