"""Drawing a scenario's uncertain inputs: the parameters and initial values it gives ranges.

A `Design` says which inputs vary, how (uniform, Latin hypercube, Sobol, grid) and which
are fixed (`--set`). Every design gives run k the same inputs however the batch is cut
into chunks: uniform draws come from the counter-based generator; a Latin hypercube
stratum comes from a keyed permutation of the run index; Sobol points are fast-forwarded
to the chunk's first run; a grid point is the run index written in mixed radix.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from wargame.engine.catalogue import Number, catalogue
from wargame.engine.compiled import Scenario
from wargame.engine.errors import UsageError, expected_one_of
from wargame.engine.kernels import kernel
from wargame.engine.rng import _M1, _M2, _S27, _S30, _S31, site_id, uniform

__all__ = ["DESIGNS", "Design", "sample_uniform", "uncertain_inputs"]

DESIGNS = ("none", "uniform", "lhs", "sobol", "grid")

# what a number of each kind can be at all, where it declares no range of its own
_NATURAL_BOUNDS = {
    "initial": (0.0, 100.0),
    "ideal": (0.0, 100.0),
    "capability": (0.0, 1.0),
    "seats": (0.0, 1.0),
    "salience": (0.0, math.inf),
    "temperature": (0.0, math.inf),
    "parameter": (-math.inf, math.inf),
}


def uncertain_inputs(scenario: Scenario) -> list[Number]:
    """Every number of the scenario and its actors that has a range, in declared order (a
    range of one point, e.g. the salience of an actor's only concern, varies nothing)."""
    return [n for n in catalogue(scenario) if n.uncertain]


def sample_uniform(scenario: Scenario, runs: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Per-run values of every uncertain input, uniform over its range."""
    design = Design(scenario, "uniform", seed=seed, runs=int(np.max(runs, initial=0)) + 1)
    return design.inputs(np.asarray(runs))


@dataclass(frozen=True)
class Design:
    """How a batch's runs draw their inputs; `inputs(run_indices)` is chunk-invariant."""

    scenario: Scenario
    kind: str = "none"
    seed: int = 0
    runs: int = 1  # the whole batch's size: LHS strata and Sobol points depend on it
    fixed: Mapping[str, float] = field(default_factory=dict)
    vary: tuple[str, ...] | None = None  # None: every uncertain input not fixed
    levels: int = 3  # grid only
    temperature: float | None = None  # every actor's temperature, fixed (not range-checked)

    def __post_init__(self) -> None:
        if self.kind not in DESIGNS:
            raise UsageError(f"unknown sampling design {expected_one_of(self.kind, DESIGNS)}")
        numbers = {n.name: n for n in catalogue(self.scenario)}
        ranged = [u.name for u in uncertain_inputs(self.scenario)]
        for name, value in self.fixed.items():
            if name not in numbers:
                raise UsageError(f"--set: no number named {expected_one_of(name, numbers)}")
            number = numbers[name]
            low, high = _NATURAL_BOUNDS[number.kind]
            if number.low is not None and number.high is not None:
                low, high = number.low, number.high
            if not (math.isfinite(value) and low <= value <= high):
                where = "its declared range" if number.ranged else f"what a {number.kind} can be"
                raise UsageError(
                    f"--set {name}={value!r} lies outside {where}, [{low:g}, {high:g}]"
                )
        for name in self.vary or ():
            if name not in ranged:
                raise UsageError(f"--vary: no input with a range {expected_one_of(name, ranged)}")
            if name in self.fixed:
                raise UsageError(f"--vary {name} and --set {name}: an input is drawn or fixed")
        if self.kind == "grid" and self.levels < 2:
            raise UsageError(f"a grid needs at least 2 levels per input (got {self.levels})")
        if self.temperature is not None and not 0 <= self.temperature < math.inf:
            raise UsageError(f"a temperature is 0 or more (got {self.temperature!r})")

    @cached_property
    def pinned(self) -> dict[str, float]:
        """Inputs held at one value: `--set` ones, and every temperature under `--temperature`."""
        pinned = dict(self.fixed)
        if self.temperature is not None:
            for actor in self.scenario.actors:
                pinned[f"{actor.id}.temperature"] = self.temperature
        return pinned

    @cached_property
    def varied(self) -> list[Number]:
        """The inputs this design varies (none for kind 'none')."""
        if self.kind == "none":
            return []
        pinned = self.pinned
        chosen = [u for u in uncertain_inputs(self.scenario) if u.name not in pinned]
        if self.vary is not None:
            chosen = [u for u in chosen if u.name in self.vary]
        return chosen

    def inputs(self, runs: np.ndarray) -> dict[str, np.ndarray]:
        """Each varied input's value in each of `runs` (global run indices), plus pinned ones."""
        runs = np.asarray(runs, dtype=np.int64)
        varied = self.varied
        units = self._unit_points(runs, len(varied)) if varied else np.empty((len(runs), 0))
        values = {
            u.name: u.low + (u.high - u.low) * units[:, i]  # type: ignore[operator]
            for i, u in enumerate(varied)
        }
        values |= {name: np.full(len(runs), float(v)) for name, v in self.pinned.items()}
        return values

    def _unit_points(self, runs: np.ndarray, dims: int) -> np.ndarray:
        """(runs, dims) points in the unit cube."""
        if self.kind == "uniform":
            return np.stack([self._uniform(runs, d) for d in range(dims)], axis=1)
        if self.kind == "lhs":
            columns = []
            for d in range(dims):
                stratum = keyed_permutation(runs, self.runs, self.seed, d)
                columns.append((stratum + self._uniform(runs, d)) / self.runs)
            return np.stack(columns, axis=1)
        if self.kind == "sobol":
            return self._sobol(runs, dims)
        digits = []
        rest = runs % (self.levels**dims) if dims * math.log(self.levels) < 60 else runs
        for _ in range(dims):
            digits.append(rest % self.levels)
            rest = rest // self.levels
        return np.stack(digits[::-1], axis=1) / (self.levels - 1)

    def _uniform(self, runs: np.ndarray, d: int) -> np.ndarray:
        return uniform(self.seed, runs, 0, site_id("sample", self.varied[d].name))

    def _sobol(self, runs: np.ndarray, dims: int) -> np.ndarray:
        from scipy.stats import qmc

        if len(runs) == 0:
            return np.empty((0, dims))
        first, last = int(runs.min()), int(runs.max())
        sobol = qmc.Sobol(dims, scramble=True, seed=self.seed % 2**32)
        if first:
            sobol.fast_forward(first)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # balance needs 2^m points per call
            block: np.ndarray = sobol.random(last - first + 1)
        points: np.ndarray = block[runs - first]
        return points

    def describe(self) -> dict[str, Any]:
        """What the manifest records, enough to draw the same inputs again."""
        return {
            "kind": self.kind,
            "seed": self.seed,
            "runs": self.runs,
            "fixed": dict(self.fixed),
            "vary": list(self.vary) if self.vary is not None else None,
            "levels": self.levels,
            "temperature": self.temperature,
            "varied": [u.name for u in self.varied],
        }

    @classmethod
    def from_description(cls, scenario: Scenario, data: Mapping[str, Any]) -> Design:
        vary = data.get("vary")
        return cls(
            scenario,
            data["kind"],
            int(data["seed"]),
            int(data["runs"]),
            dict(data.get("fixed") or {}),
            tuple(vary) if vary is not None else None,
            int(data.get("levels", 3)),
            data.get("temperature"),
        )


def keyed_permutation(index: np.ndarray, n: int, seed: int, key: int) -> np.ndarray:
    """A pseudo-random permutation of [0, n) evaluated at `index`, without building it.

    A four-round Feistel network on the smallest even number of bits that covers n, with
    cycle-walking back into range: a bijection, so every stratum is used exactly once.
    """
    half = max(1, math.ceil(math.log2(max(n, 2)) / 2))
    keys = np.array([site_id("lhs", str(seed), str(key), str(r)) for r in range(4)], np.uint64)
    points = np.ascontiguousarray(np.asarray(index, dtype=np.int64).view(np.uint64))
    out = np.empty(points.shape, dtype=np.uint64)
    walking = np.empty(points.shape, dtype=np.int64)
    shift, mask = np.uint64(half), np.uint64((1 << half) - 1)
    _feistel_kernel(points, np.uint64(n), keys, shift, mask, out, walking)
    return out.view(np.int64)


@kernel
def _feistel_kernel(
    index: np.ndarray,
    n: np.uint64,
    keys: np.ndarray,
    shift: np.uint64,
    mask: np.uint64,
    out: np.ndarray,
    walking: np.ndarray,
) -> None:
    """out[i]: the Feistel rounds (splitmix64's finaliser as the round function) applied to
    index[i], again and again until the result falls below n. Every point takes a first
    pass, then those still outside take another, and so on (`walking` lists them): the
    list grows without a branch, where a loop per point would guess wrong half the time."""
    count = index.shape[0]
    for i in range(count):
        out[i] = index[i]
        walking[i] = i
    while count > 0:
        outside = 0
        for j in range(count):
            i = walking[j]
            left, right = out[i] >> shift, out[i] & mask
            for r in range(keys.shape[0]):
                z = right ^ keys[r]
                z = (z ^ (z >> _S30)) * _M1
                z = (z ^ (z >> _S27)) * _M2
                z = z ^ (z >> _S31)
                left, right = right, left ^ (z & mask)
            out[i] = (left << shift) | right
            walking[outside] = i
            outside += out[i] >= n
        count = outside
