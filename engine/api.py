"""The library's few verbs for a notebook: a batch as one table, a results file, one run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from wargame.engine import DEFAULT_CHUNK
from wargame.engine.chunks import ChunkPlayer, iter_chunks
from wargame.engine.compiled import Scenario
from wargame.engine.errors import ResultsError, UsageError
from wargame.engine.model import WargameModel
from wargame.engine.sampling import Design
from wargame.engine.store import results_manifest

__all__ = ["Batch", "batch_of_results", "play_batch", "read_results", "replay_run", "run_row"]


def play_batch(
    scenario: Scenario, runs: int, seed: int = 1, design: Design | None = None
) -> pa.Table:
    """`runs` AI-played games in this process, one row per run (as `wargame run` writes)."""
    player = ChunkPlayer(scenario, seed, design)
    chunks = iter_chunks(0, runs, DEFAULT_CHUNK)
    return pa.concat_tables(player.play(first, end) for first, end in chunks)


def read_results(path: str | Path) -> pa.Table:
    """A results file written by `wargame run --out`."""
    try:
        return pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise ResultsError(f"{path} is not a readable results file: {exc}") from None


def replay_run(
    scenario: Scenario, seed: int, run: int, design: Design | None = None
) -> WargameModel:
    """Run `run` of a batch, played alone to the end with every reason recorded (its
    `resolutions`, and its indicators in `datacollector`)."""
    inputs = design.inputs(np.array([run])) if design is not None else None
    model = WargameModel(scenario, seed=seed, runs=[run], inputs=inputs, explain=True)
    model.run()
    return model


@dataclass(frozen=True)
class Batch:
    """What a run of a batch depends on besides the scenario: its seed and sampling design."""

    seed: int
    design: Design
    runs: int

    def check(self, run: int, where: str) -> None:
        if not 0 <= run < self.runs:
            raise UsageError(f"{where} has runs 0 to {self.runs - 1} (got {run})")


def batch_of_results(scenario: Scenario, path: Path) -> Batch:
    """The batch a results file was made by, from its manifest (the scenario must be the one
    it was made from, as it is now)."""
    manifest = results_manifest(path)
    spec = manifest["spec"]
    made_from = manifest.get("scenario")
    if made_from and made_from != scenario.id:
        raise ResultsError(f"{path} was made from scenario {made_from!r}, not {scenario.id!r}")
    if spec.get("scenario_sha256") != scenario.digest:
        raise ResultsError(f"{path} was made from another version of {scenario.id!r}")
    design = Design.from_description(scenario, spec["design"])
    return Batch(int(spec["seed"]), design, int(spec["runs"]))


def run_row(scenario: Scenario, batch: Batch, run: int) -> dict[str, object]:
    """Run `run`'s row of the batch's results table, played alone, with its rows of the
    trajectories table (every indicator at the start and the end of every turn) under
    `trajectory`."""
    player = ChunkPlayer(scenario, batch.seed, batch.design)
    results, trajectories = player.play_with_trajectories(run, run + 1)
    return {**results.to_pylist()[0], "trajectory": trajectories.to_pylist()}
