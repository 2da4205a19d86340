"""The actors as Mesa agents: each method acts on every run of the batch at once.

An actor scores a world state by how close it is to its ideal points: 100 minus the
salience-weighted mean distance (saliences normalised to sum to 1), so a score is on
0..100 and one *score point* is one point of distance on every issue the actor cares
about. An option's utility is the score of the state it would produce. The actor
chooses by a logit over utilities whose temperature is in score points: of two options
`d` points apart it takes the worse with probability 1 / (1 + e^(d/T)); temperature 0
always takes the best (docs/decision-model.md). Veto players, voters and bargainers
compare options on the same scale.

An actor made of blocs (the US Congress) scores as the seat-weighted mean of its blocs,
and its blocs vote separately. Each number of a profile (ideal, salience, capability,
temperature, seats) may differ per run: a Monte Carlo that samples it puts the run's
values in the state under the number's input name (`turkey.posture.ideal`), and the
agent reads them there. Randomness arrives as draws made by the engine's counter-based
generator; an agent never draws for itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, MutableMapping

import mesa
import numpy as np

from wargame.actors.profiles import Member, Profile
from wargame.engine.kernels import kernel
from wargame.engine.state import over_runs

__all__ = ["CLEAR_MARGIN", "ActorAgent", "acceptance_probability", "logit_choice"]

Fields = Mapping[str, np.ndarray]
Number = np.ndarray | float

CLEAR_MARGIN = 1.0
"""Score points by which an option must beat the next for the choice to count as clear."""


class ActorAgent(mesa.Agent):
    """One actor of the scenario, with its profile and, if set, a fixed AI temperature."""

    def __init__(
        self, model: mesa.Model, profile: Profile, temperature: float | None = None
    ) -> None:
        super().__init__(model)
        self.profile = profile
        self.actor_id = profile.id
        self.fixed_temperature = None if temperature is None else float(temperature)
        # the names under which a run's own numbers would be in the state (a sampled input)
        self._temperature_name = f"{profile.id}.temperature"
        self._capability_name = f"{profile.id}.capability"
        self._input_names = {
            m.id: [f"{m.key}.{d}.{kind}" for d in m.salience for kind in ("ideal", "salience")]
            for m in profile.members
        }
        self._fixed_preferences = {
            m.id: {d: (float(m.ideal[d]), float(w)) for d, w in m.salience.items()}
            for m in profile.members
        }

    @property
    def members(self) -> tuple[Member, ...]:
        return self.profile.members

    # -- the numbers of the profile, per run ----------------------------------------------

    def temperature(self, fields: Fields) -> Number:
        """A fixed temperature (a game's setup, `--temperature`), else the run's, else the
        profile's."""
        if self.fixed_temperature is not None:
            return self.fixed_temperature
        return fields.get(self._temperature_name, self.profile.temperature)

    def capability(self, fields: Fields) -> Number:
        """Weight in collective decisions (1 for an actor that declares none: it can only
        vote alone, where its weight cancels out)."""
        declared = self.profile.capability
        return fields.get(self._capability_name, 1.0 if declared is None else declared)

    def ideal(self, member: Member, dim: str, fields: Fields) -> Number:
        return fields.get(f"{member.key}.{dim}.ideal", member.ideal[dim])

    def weights(self, member: Member, fields: Fields) -> Mapping[str, Number]:
        """Saliences normalised to sum to 1, per run when a run's saliences were sampled."""
        raw = {
            dim: fields.get(f"{member.key}.{dim}.salience", value)
            for dim, value in member.raw_salience.items()
        }
        if all(isinstance(v, float) for v in raw.values()):
            return member.salience
        total = np.asarray(sum(raw.values()))
        return {
            dim: np.divide(value, total, out=np.zeros(total.shape), where=total > 0)
            for dim, value in raw.items()
        }

    def preferences(self, member: Member, fields: Fields) -> Mapping[str, tuple[Number, Number]]:
        """Per dimension the member cares about: (ideal point, normalised salience), each
        the profile's number or, where a run's own was sampled, one per run."""
        if not any(name in fields for name in self._input_names[member.id]):
            return self._fixed_preferences[member.id]
        return {
            dim: (self.ideal(member, dim, fields), weight)
            for dim, weight in self.weights(member, fields).items()
        }

    def seat_weights(self, fields: Fields) -> list[Number]:
        """Each member's share of the actor's weight (1.0 for a single-member actor)."""
        return [fields[m.seat_field] if m.seat_field else 1.0 for m in self.members]

    # -- scores and utilities ---------------------------------------------------------------

    def member_score(self, member: Member, fields: Fields) -> np.ndarray:
        """0..100: how close the world in `fields` is to one member's ideal points."""
        score: np.ndarray = self.member_option_utilities(member, fields, [{}])[0]
        return score

    def _seat_weighted(
        self,
        fields: Fields,
        of_member: Callable[[Member], np.ndarray],
        among: Mapping[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """The seat-weighted mean of a per-member quantity (the member's own for one member).

        `among` limits the mean, per run, to the members marked True (e.g. the blocs of the
        House majority's party).
        """
        if len(self.members) == 1 and among is None:
            return of_member(self.members[0])
        weights = self.seat_weights(fields)
        if among is not None:
            chosen = [w * among[m.id] for m, w in zip(self.members, weights)]
            # where the chosen blocs hold no seats at all, every bloc counts
            empty = sum(chosen) <= 0
            weights = [np.where(empty, w, c) for w, c in zip(weights, chosen)]
        total = sum(weights)
        mean = sum(w * of_member(m) for m, w in zip(self.members, weights)) / total
        return np.asarray(mean)

    def score(self, fields: Fields) -> np.ndarray:
        """The actor's score: seat-weighted over its blocs."""
        return self._seat_weighted(fields, lambda m: self.member_score(m, fields))

    def member_option_utilities(
        self, member: Member, fields: Fields, projections: list[Fields]
    ) -> np.ndarray:
        """(options, runs): one member's score of the state each option would produce.

        Only the dimensions an option changes move the score, so each is the current
        score plus the change on those dimensions. Each term is one kernel pass over the
        runs, written into one result: no temporary array per operation.
        """
        preferences = self.preferences(member, fields)
        runs = len(fields[next(iter(preferences))])
        distance = np.zeros(runs)
        for dim, (ideal, weight) in preferences.items():
            _add_distance(distance, fields[dim], ideal, weight)
        out = np.empty((len(projections), runs))
        np.subtract(100.0, distance, out=out[0])
        out[1:] = out[0]
        for utility, changed in zip(out, projections):
            for dim, after in changed.items():
                preference = preferences.get(dim)
                if preference is not None:
                    _add_gain(utility, fields[dim], after, *preference)
        return out

    def option_utilities(
        self,
        fields: Fields,
        projections: list[Fields],
        among: Mapping[str, np.ndarray] | None = None,
        known: MutableMapping[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """(options, runs): the actor's utility of each option, seat-weighted over its blocs
        (over the blocs marked in `among`, if given). `known` keeps each member's utilities
        for these fields and projections, so that they are computed once per event."""

        def of_member(member: Member) -> np.ndarray:
            if known is None:
                return self.member_option_utilities(member, fields, projections)
            if member.id not in known:
                known[member.id] = self.member_option_utilities(member, fields, projections)
            return known[member.id]

        return self._seat_weighted(fields, of_member, among)

    # -- deciding -------------------------------------------------------------------------------

    def choose(
        self, utilities: np.ndarray, available: np.ndarray, draw: np.ndarray, fields: Fields
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pick an option per run by a logit over `utilities`; returns (index, probabilities)."""
        return logit_choice(utilities, available, draw, self.temperature(fields))

    def acceptance(
        self, proposal: np.ndarray, status_quo: np.ndarray, fields: Fields
    ) -> np.ndarray:
        """Probability of preferring `proposal` to `status_quo` (a two-option logit)."""
        return acceptance_probability(proposal - status_quo, self.temperature(fields))


def _add_distance(distance: np.ndarray, value: np.ndarray, ideal: Number, weight: Number) -> None:
    """distance += weight * |value - ideal|, in place (ideal and weight: fixed or per run)."""
    if isinstance(ideal, float) and isinstance(weight, float):
        _add_distance_fixed(distance, value, ideal, weight)
    else:
        _add_distance_per_run(distance, value, _row(ideal, len(value)), _row(weight, len(value)))


def _add_gain(
    utility: np.ndarray, value: np.ndarray, after: np.ndarray, ideal: Number, weight: Number
) -> None:
    """utility += weight * (|value - ideal| - |after - ideal|): what moving to `after` gains."""
    if isinstance(ideal, float) and isinstance(weight, float):
        _add_gain_fixed(utility, value, after, ideal, weight)
    else:
        _add_gain_per_run(utility, value, after, _row(ideal, len(value)), _row(weight, len(value)))


def _row(value: Number, runs: int) -> np.ndarray:
    """One number or one per run, as an array over the runs (a view: nothing is copied)."""
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (runs,))


@kernel
def _add_distance_fixed(
    distance: np.ndarray, value: np.ndarray, ideal: float, weight: float
) -> None:
    for r in range(distance.shape[0]):
        distance[r] = distance[r] + weight * abs(value[r] - ideal)


@kernel
def _add_distance_per_run(
    distance: np.ndarray, value: np.ndarray, ideal: np.ndarray, weight: np.ndarray
) -> None:
    for r in range(distance.shape[0]):
        distance[r] = distance[r] + weight[r] * abs(value[r] - ideal[r])


@kernel
def _add_gain_fixed(
    utility: np.ndarray, value: np.ndarray, after: np.ndarray, ideal: float, weight: float
) -> None:
    for r in range(utility.shape[0]):
        utility[r] = utility[r] + weight * (abs(value[r] - ideal) - abs(after[r] - ideal))


@kernel
def _add_gain_per_run(
    utility: np.ndarray, value: np.ndarray, after: np.ndarray, ideal: np.ndarray, weight: np.ndarray
) -> None:
    for r in range(utility.shape[0]):
        utility[r] = utility[r] + weight[r] * (abs(value[r] - ideal[r]) - abs(after[r] - ideal[r]))


def acceptance_probability(gain: np.ndarray, temperature: Number) -> np.ndarray:
    """Logistic in the gain; at temperature 0, accept exactly when the gain is not negative."""
    gain = np.asarray(gain, dtype=np.float64)
    runs = gain.shape[-1] if gain.ndim else 1
    chance = np.empty(runs)
    _acceptance_kernel(
        np.ascontiguousarray(over_runs(gain, runs)),
        np.ascontiguousarray(over_runs(temperature, runs), dtype=np.float64),
        chance,
    )
    return chance if gain.ndim else chance[0]


@kernel
def _acceptance_kernel(gain: np.ndarray, temperature: np.ndarray, chance: np.ndarray) -> None:
    """chance = 1 / (1 + e^(-gain / T)), written with tanh; at T <= 0, 1 when gain >= 0."""
    for r in range(gain.shape[0]):
        if temperature[r] > 0.0:
            chance[r] = 0.5 * (1.0 + math.tanh(0.5 * gain[r] / temperature[r]))
        else:
            chance[r] = 1.0 if gain[r] >= 0.0 else 0.0


def logit_choice(
    utilities: np.ndarray, available: np.ndarray, draw: np.ndarray, temperature: Number
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the option chosen per run, and the choice probabilities (options, runs).

    `temperature` is one number or one per run. Where it is 0 the first best option is
    taken. Runs with no available option get -1.
    """
    options, runs = utilities.shape
    index = np.empty(runs, dtype=np.int64)
    probabilities = np.empty((options, runs), dtype=np.float64)
    _logit_kernel(
        np.ascontiguousarray(utilities, dtype=np.float64),
        np.ascontiguousarray(over_runs(available, (options, runs)), dtype=np.bool_),
        np.ascontiguousarray(over_runs(draw, runs), dtype=np.float64),
        np.ascontiguousarray(over_runs(temperature, runs), dtype=np.float64),
        index,
        probabilities,
    )
    return index, probabilities


@kernel
def _logit_kernel(
    utilities: np.ndarray,
    available: np.ndarray,
    draw: np.ndarray,
    temperature: np.ndarray,
    index: np.ndarray,
    probabilities: np.ndarray,
) -> None:
    """The logit choice, run by run: weights e^((u - best) / T) over the open options,
    normalised, then the option whose slice of the cumulated probabilities holds the draw
    (a draw past the last edge, by rounding, takes the last open option). At T <= 0 the
    weights are 1 on the best options and the first of them is taken. (The run axis is
    the last: this is `utilities.shape[1]` runs.)"""
    options = utilities.shape[0]
    for r in range(utilities.shape[1]):
        best = -np.inf
        last_open = -1
        for o in range(options):
            if available[o, r]:
                last_open = o
                if utilities[o, r] > best:
                    best = utilities[o, r]
        greedy = temperature[r] <= 0.0
        total = 0.0
        for o in range(options):
            weight = 0.0
            if available[o, r]:
                if greedy:
                    weight = 1.0 if utilities[o, r] == best else 0.0
                elif utilities[o, r] != best:
                    weight = math.exp((utilities[o, r] - best) / temperature[r])
                else:
                    weight = 1.0  # e^0, exactly
            probabilities[o, r] = weight
            total += weight
        for o in range(options):
            probabilities[o, r] = probabilities[o, r] / total if total > 0.0 else 0.0
        if last_open < 0:
            index[r] = -1
        elif greedy:
            first_best = 0
            while not (available[first_best, r] and utilities[first_best, r] == best):
                first_best += 1
            index[r] = first_best
        else:
            below = 0
            cumulative = 0.0
            for o in range(options):
                cumulative += probabilities[o, r]
                if cumulative <= draw[r]:
                    below += 1
            picked = min(below, options - 1)
            index[r] = picked if available[picked, r] else last_open
