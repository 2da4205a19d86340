"""Sobol sensitivity analysis (SALib) of a scenario's outcomes to its uncertain inputs.

SALib draws the points (Saltelli's scheme, first-order and total indices); the engine plays
them as one batch whose rows come in groups of D + 2 per base sample. The points of a group
share their random draws (common random numbers), so the indices compare inputs, not luck;
what the inputs leave unexplained is chance.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.engine.compiled import Scenario
from wargame.engine.errors import UsageError, expected_one_of
from wargame.engine.executors import BatchSpec, Executor, PlayedChunk, run_chunks
from wargame.engine.limits import MAX_RUNS
from wargame.engine.sampling import Design
from wargame.engine.summary import sobol_table_rows

__all__ = ["SobolPlan", "numeric_outcomes", "plan_sobol", "sobol_indices"]


@dataclass(frozen=True)
class SobolPlan:
    """The points to play: one row per run, one column per varied input."""

    names: list[str]
    bounds: list[list[float]]
    points: np.ndarray  # (runs, inputs)
    fixed: Mapping[str, float]

    @property
    def runs(self) -> int:
        return len(self.points)

    @property
    def problem(self) -> dict[str, Any]:
        return {"num_vars": len(self.names), "names": self.names, "bounds": self.bounds}

    def inputs(self, first: int, end: int) -> dict[str, np.ndarray]:
        block = self.points[first:end]
        values = {name: block[:, i] for i, name in enumerate(self.names)}
        return values | {name: np.full(end - first, v) for name, v in self.fixed.items()}


def numeric_outcomes(scenario: Scenario, asked: Sequence[str] | None) -> list[str]:
    """The outcomes to analyse (the derived outcomes by default), each checked."""
    known = [
        *scenario.dimensions,
        *(n for n, _ in scenario.outcomes),
        *(f"score_{a.id}" for a in scenario.actors),
    ]
    chosen = list(asked) if asked else [n for n, _ in scenario.outcomes]
    for name in chosen:
        if name not in known:
            raise UsageError(f"--outcomes: no numeric outcome {expected_one_of(name, known)}")
    return chosen


def plan_sobol(design: Design, samples: int, seed: int) -> SobolPlan:
    """Saltelli points over the inputs `design` varies (its fixed ones held)."""
    from SALib.sample import sobol as sobol_sample

    if samples < 2 or samples & (samples - 1):
        lower = 1 << max(1, samples.bit_length() - 1)
        raise UsageError(
            f"--samples must be a power of 2 for a Sobol design (got {samples}; "
            f"try {lower} or {lower * 2})"
        )
    varied = design.varied
    if not varied:
        raise UsageError("no uncertain inputs to vary: the scenario declares no ranges")
    if samples * (len(varied) + 2) > MAX_RUNS:
        raise UsageError(
            f"--samples {samples:,} over {len(varied)} inputs needs "
            f"{samples * (len(varied) + 2):,} runs; the limit is {MAX_RUNS:,}"
        )
    names = [u.name for u in varied]
    bounds = [[float(u.low), float(u.high)] for u in varied]  # type: ignore[arg-type]
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    points = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    return SobolPlan(names, bounds, points, dict(design.pinned))


def sobol_indices(
    plan: SobolPlan,
    spec: BatchSpec,
    outcomes: Sequence[str],
    executor: Executor,
    seed: int,
    on_chunk: Callable[[int], None] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Play the plan's points (spec says where: scenario, seed, chunks) and rank, for each
    outcome, the inputs by their total index (none for an outcome that never varies)."""
    from SALib.analyze import sobol as sobol_analyze

    spec = dataclasses.replace(spec, runs=plan.runs, draw_group=len(plan.names) + 2)
    chunks = spec.chunks()
    values = {name: np.empty(plan.runs) for name in outcomes}

    def keep(index: int, chunk: PlayedChunk) -> None:
        first, end = chunks[index]
        table = chunk.results
        for name in outcomes:
            values[name][first:end] = table.column(name).to_numpy()
        if on_chunk is not None:
            on_chunk(table.num_rows)

    run_chunks(spec, range(len(chunks)), executor, keep, plan.inputs)
    # an outcome the same in every run has no variance to apportion: no rows (SALib would
    # divide by zero and rank every input 0 +- 0)
    return {
        name: sobol_table_rows(
            plan.names,
            sobol_analyze.analyze(
                plan.problem, values[name], calc_second_order=False, conf_level=0.95, seed=seed
            ),
        )
        if np.ptp(values[name]) > 0
        else []
        for name in outcomes
    }
