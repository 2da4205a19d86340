"""Drawing a scenario's uncertain inputs: the parameters and initial values it gives ranges.

Each run draws its own values from the counter-based generator (turn 0, one site per
input), so run k gets the same inputs alone, in any batch and in any chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.rng import site_id, uniform
from engine.scenario import Scenario

__all__ = ["UncertainInput", "sample_uniform", "uncertain_inputs"]


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
    runs = np.asarray(runs)
    return {
        u.name: u.low + (u.high - u.low) * uniform(seed, runs, 0, site_id("sample", u.kind, u.name))
        for u in uncertain_inputs(scenario)
    }
