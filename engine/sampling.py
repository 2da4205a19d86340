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
from typing import Any

import numpy as np

from engine.errors import WargameError, expected_one_of
from engine.rng import _mix, site_id, uniform
from engine.scenario import Scenario

__all__ = ["DESIGNS", "Design", "UncertainInput", "sample_uniform", "uncertain_inputs"]

DESIGNS = ("none", "uniform", "lhs", "sobol", "grid")


@dataclass(frozen=True)
class UncertainInput:
    """A number the scenario declares with a [low, high] range."""

    name: str  # the state field it sets
    kind: str  # "parameter" or "initial" (a dimension's starting value)
    low: float
    high: float


def uncertain_inputs(scenario: Scenario) -> list[UncertainInput]:
    """Every parameter and initial dimension value that has a range, in declared order."""
    inputs = [
        UncertainInput(name, "parameter", *p.range)
        for name, p in scenario.spec.parameters.items()
        if p.range is not None
    ]
    inputs += [
        UncertainInput(name, "initial", *d.range)
        for name, d in scenario.spec.dimensions.items()
        if d.range is not None
    ]
    return inputs


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

    def __post_init__(self) -> None:
        if self.kind not in DESIGNS:
            raise WargameError(f"unknown sampling design {expected_one_of(self.kind, DESIGNS)}")
        settable = [*self.scenario.spec.parameters, *self.scenario.spec.dimensions]
        ranged = [u.name for u in uncertain_inputs(self.scenario)]
        for name in self.fixed:
            if name not in settable:
                raise WargameError(
                    f"--set: no parameter or dimension {expected_one_of(name, settable)}"
                )
        for name in self.vary or ():
            if name not in ranged:
                raise WargameError(f"--vary: no input with a range {expected_one_of(name, ranged)}")
        if self.kind == "grid" and self.levels < 2:
            raise WargameError(f"a grid needs at least 2 levels per input (got {self.levels})")

    @property
    def varied(self) -> list[UncertainInput]:
        """The inputs this design varies (none for kind 'none')."""
        if self.kind == "none":
            return []
        chosen = [u for u in uncertain_inputs(self.scenario) if u.name not in self.fixed]
        if self.vary is not None:
            chosen = [u for u in chosen if u.name in self.vary]
        return chosen

    def inputs(self, runs: np.ndarray) -> dict[str, np.ndarray]:
        """Each varied input's value in each of `runs` (global run indices), plus fixed ones."""
        runs = np.asarray(runs, dtype=np.int64)
        varied = self.varied
        units = self._unit_points(runs, len(varied)) if varied else np.empty((len(runs), 0))
        values = {u.name: u.low + (u.high - u.low) * units[:, i] for i, u in enumerate(varied)}
        values |= {name: np.full(len(runs), float(v)) for name, v in self.fixed.items()}
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
            block = sobol.random(last - first + 1)
        return block[runs - first]

    def describe(self) -> dict[str, Any]:
        """What the manifest records, enough to draw the same inputs again."""
        return {
            "kind": self.kind,
            "seed": self.seed,
            "runs": self.runs,
            "fixed": dict(self.fixed),
            "vary": list(self.vary) if self.vary is not None else None,
            "levels": self.levels,
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
        )


def keyed_permutation(index: np.ndarray, n: int, seed: int, key: int) -> np.ndarray:
    """A pseudo-random permutation of [0, n) evaluated at `index`, without building it.

    A four-round Feistel network on the smallest even number of bits that covers n, with
    cycle-walking back into range: a bijection, so every stratum is used exactly once.
    """
    half = max(1, math.ceil(math.log2(max(n, 2)) / 2))
    mask = np.uint64((1 << half) - 1)
    shift = np.uint64(half)
    keys = [np.uint64(site_id("lhs", str(seed), str(key), str(r))) for r in range(4)]

    def rounds(x: np.ndarray) -> np.ndarray:
        left, right = x >> shift, x & mask
        for k in keys:
            with np.errstate(over="ignore"):
                left, right = right, left ^ (_mix(right ^ k) & mask)
        return (left << shift) | right

    out = rounds(np.asarray(index, dtype=np.uint64))
    outside = out >= n
    while outside.any():
        out[outside] = rounds(out[outside])
        outside = out >= n
    return out.astype(np.int64)
