"""Monte Carlo: many AI-played runs of a scenario, chunk by chunk, as Arrow tables.

One model is built and reloaded for every chunk (Mesa 3.3 never frees a model, so a
model per run or per chunk would leak). Run k's row depends only on (scenario, seed,
k): chunk size and order change nothing, because every draw is keyed by the run's
global index. Each chunk becomes one Arrow table with one row per run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np
import pyarrow as pa

from engine.model import WargameModel
from engine.scenario import Scenario
from engine.state import State

__all__ = ["DEFAULT_CHUNK", "iter_chunks", "result_schema", "result_table", "run_batch"]

DEFAULT_CHUNK = 16384  # measured: smaller chunks pay Python's per-event cost more often


def result_schema(scenario: Scenario) -> pa.Schema:
    """The columns of a results table, in order."""
    fields = [pa.field("run", pa.int64())]
    fields += [pa.field(d, pa.float64()) for d in scenario.dimensions]
    fields += [pa.field(n, pa.float64()) for n, _ in scenario.outcomes]
    fields += [pa.field(f, pa.dictionary(pa.int8(), pa.string())) for f in scenario.facts]
    fields += [pa.field(f"score_{a.id}", pa.float64()) for a in scenario.actors]
    fields += [
        pa.field(f"event_{e.id}", pa.dictionary(pa.int16(), pa.string())) for e in scenario.events
    ]
    return pa.schema(fields)


def result_table(scenario: Scenario, state: State) -> pa.Table:
    """One row per run: final dimensions, outcomes, facts, scores and each event's last option."""
    schema = result_schema(scenario)
    columns: list[pa.Array] = [pa.array(state.runs, pa.int64())]
    for name in [*scenario.dimensions, *(n for n, _ in scenario.outcomes)]:
        columns.append(pa.array(state.fields[name], pa.float64()))
    for name, fact in scenario.facts.items():
        columns.append(
            pa.DictionaryArray.from_arrays(
                pa.array(state.fields[name], pa.int8()), pa.array(fact.labels, pa.string())
            )
        )
    for actor in scenario.actors:
        columns.append(pa.array(state.fields[f"score_{actor.id}"], pa.float64()))
    for event in scenario.events:
        choice = state.choices[event.id]
        columns.append(
            pa.DictionaryArray.from_arrays(
                pa.array(choice, pa.int16(), mask=choice < 0),
                pa.array([o.id for o in event.options], pa.string()),
            )
        )
    return pa.Table.from_arrays(columns, schema=schema)


def iter_chunks(start: int, stop: int, chunk_size: int) -> Iterator[tuple[int, int]]:
    """[start, stop) cut into consecutive (first, end) pieces of at most `chunk_size` runs."""
    for first in range(start, stop, chunk_size):
        yield first, min(first + chunk_size, stop)


def run_batch(
    scenario: Scenario,
    runs: int,
    seed: int,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    first_run: int = 0,
    temperatures: Mapping[str, float] | None = None,
    inputs: Callable[[np.ndarray], Mapping[str, np.ndarray]] | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[pa.Table]:
    """Play runs [first_run, first_run + runs) and yield one results table per chunk.

    `inputs(run_indices)` gives per-run parameters and initial values (e.g. sampled);
    `on_chunk(n)` is called after each chunk with the number of runs it held.
    """
    if runs < 0 or chunk_size < 1:
        raise ValueError(f"runs must be >= 0 and chunk_size >= 1 (got {runs}, {chunk_size})")
    model: WargameModel | None = None
    for first, end in iter_chunks(first_run, first_run + runs, chunk_size):
        indices = np.arange(first, end)
        chunk_inputs = inputs(indices) if inputs is not None else None
        if model is None:
            model = WargameModel(
                scenario,
                seed=seed,
                runs=indices,
                temperatures=temperatures,
                inputs=chunk_inputs,
                explain=False,
            )
        else:
            model.load(indices, chunk_inputs)
        yield result_table(scenario, model.run())
        if on_chunk is not None:
            on_chunk(end - first)
