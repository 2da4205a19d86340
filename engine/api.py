"""The library's few verbs for a notebook: a batch as one table, a results file, one run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from wargame.engine.batch import ChunkPlayer, iter_chunks
from wargame.engine.compiled import Scenario
from wargame.engine.errors import WargameError
from wargame.engine.model import WargameModel
from wargame.engine.sampling import Design

__all__ = ["play_batch", "read_results", "replay_run"]


def play_batch(
    scenario: Scenario, runs: int, seed: int = 1, design: Design | None = None
) -> pa.Table:
    """`runs` AI-played games in this process, one row per run (as `wargame run` writes)."""
    player = ChunkPlayer(scenario, seed, design)
    return pa.concat_tables(player.play(first, end) for first, end in iter_chunks(0, runs, 16384))


def read_results(path: str | Path) -> pa.Table:
    """A results file written by `wargame run --out`."""
    try:
        return pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise WargameError(f"{path} is not a readable results file: {exc}") from None


def replay_run(
    scenario: Scenario, seed: int, run: int, design: Design | None = None
) -> WargameModel:
    """Run `run` of a batch, played alone to the end with every reason recorded (its
    `resolutions`, and its indicators in `datacollector`)."""
    inputs = design.inputs(np.array([run])) if design is not None else None
    model = WargameModel(scenario, seed=seed, runs=[run], inputs=inputs, explain=True)
    model.run()
    return model
