"""Monte Carlo: many AI-played runs of a scenario, chunk by chunk, as Arrow tables.

One model is built and reloaded for every chunk (Mesa 3.3 never frees a model, so a
model per run or per chunk would leak). Run k's row depends only on (scenario, seed,
k): chunk size and order change nothing, because every draw is keyed by the run's
global index. Each chunk becomes one Arrow table with one row per run and, when asked,
a trajectories table with one row per run and turn (the state at the start and at the
end of every turn), ordered by turn, then run: one block of rows per turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from wargame.engine import DEFAULT_CHUNK
from wargame.engine.columns import TURNS_KEY, column_metadata, described
from wargame.engine.compiled import Scenario
from wargame.engine.sampling import Design
from wargame.engine.state import State

if TYPE_CHECKING:  # the model (and Mesa) are imported where a chunk is played: a batch's
    # coordinating process writes tables and never plays, and starts faster without them
    from wargame.engine.behaviour import BehaviourTally
    from wargame.engine.model import WargameModel

__all__ = [
    "DEFAULT_CHUNK",
    "ChunkPlayer",
    "iter_chunks",
    "result_schema",
    "result_table",
    "run_batch",
    "tally_batch",
    "trajectory_schema",
    "trajectory_table",
]


def result_schema(scenario: Scenario, inputs: Sequence[str] = ()) -> pa.Schema:
    """The columns of a results table, in order, each described (engine.columns); `inputs`
    names the sampled inputs."""
    fields = [pa.field("run", pa.int64())]
    fields += [pa.field(f"input_{name}", pa.float64()) for name in inputs]
    fields += _state_fields(scenario)
    fields += [
        pa.field(f"event_{e.id}", pa.dictionary(pa.int16(), pa.string())) for e in scenario.events
    ]
    return described(pa.schema(fields), column_metadata(scenario))


def trajectory_schema(scenario: Scenario) -> pa.Schema:
    """The columns of a trajectories table: run, turn, then the state's indicators; its
    metadata holds the scenario's number of turns."""
    fields = [pa.field("run", pa.int64()), pa.field("turn", pa.int16())]
    fields += _state_fields(scenario)
    schema = pa.schema(fields, metadata={TURNS_KEY: str(scenario.turns).encode()})
    return described(schema, column_metadata(scenario, "at the end of the turn"))


def _state_fields(scenario: Scenario) -> list[pa.Field]:
    """The indicators a player sees (dimensions, outcomes, facts, actor scores), in order."""
    fields = [pa.field(d, pa.float64()) for d in scenario.dimensions]
    fields += [pa.field(n, pa.float64()) for n, _ in scenario.outcomes]
    fields += [pa.field(f, pa.dictionary(pa.int8(), pa.string())) for f in scenario.facts]
    fields += [pa.field(f"score_{a.id}", pa.float64()) for a in scenario.actors]
    return fields


def _state_columns(scenario: Scenario, state: State) -> list[pa.Array]:
    columns: list[pa.Array] = []
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
    return columns


def result_table(
    scenario: Scenario, state: State, inputs: Mapping[str, np.ndarray] | None = None
) -> pa.Table:
    """One row per run: its sampled inputs, then final dimensions, outcomes, facts, scores and
    each event's last option."""
    inputs = inputs or {}
    schema = result_schema(scenario, list(inputs))
    columns: list[pa.Array] = [pa.array(state.runs, pa.int64())]
    columns += [pa.array(np.broadcast_to(v, (state.size,)), pa.float64()) for v in inputs.values()]
    columns += _state_columns(scenario, state)
    for event in scenario.events:
        choice = state.choices[event.id]
        columns.append(
            pa.DictionaryArray.from_arrays(
                pa.array(choice, pa.int16(), mask=choice < 0),
                pa.array(list(event.option_ids), pa.string()),
            )
        )
    return pa.Table.from_arrays(columns, schema=schema)


def trajectory_table(scenario: Scenario, states: Sequence[State]) -> pa.Table:
    """The rows of `states` (one per turn, start first), turn by turn: one block per turn."""
    schema = trajectory_schema(scenario)
    blocks = []
    for state in states:
        turn = pa.array(np.full(state.size, state.turn, dtype=np.int16))
        columns = [pa.array(state.runs, pa.int64()), turn, *_state_columns(scenario, state)]
        blocks.append(pa.Table.from_arrays(columns, schema=schema))
    return pa.concat_tables(blocks) if blocks else schema.empty_table()


def iter_chunks(start: int, stop: int, chunk_size: int) -> Iterator[tuple[int, int]]:
    """[start, stop) cut into consecutive (first, end) pieces of at most `chunk_size` runs."""
    for first in range(start, stop, chunk_size):
        yield first, min(first + chunk_size, stop)


class ChunkPlayer:
    """Plays chunks of one batch with one reused model (see the module docstring)."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        design: Design | None = None,
        temperatures: Mapping[str, float] | None = None,
        draw_group: int = 1,
        tally: BehaviourTally | None = None,
    ) -> None:
        self.scenario = scenario
        # runs k and k' share their random draws when k // draw_group == k' // draw_group:
        # common random numbers, so that a Sobol design compares inputs, not luck
        self.draw_group = draw_group
        self.seed = seed
        self.design = design
        self.temperatures = temperatures
        self.tally = tally
        self.model: WargameModel | None = None

    def play(
        self, first: int, end: int, inputs: Mapping[str, np.ndarray] | None = None
    ) -> pa.Table:
        """Runs [first, end) to the end, as a results table. `inputs` overrides the design."""
        return self._play(first, end, inputs, None)

    def play_with_trajectories(
        self, first: int, end: int, inputs: Mapping[str, np.ndarray] | None = None
    ) -> tuple[pa.Table, pa.Table]:
        """Runs [first, end) to the end: the results table and the trajectories table."""
        states: list[State] = []
        results = self._play(first, end, inputs, states)
        return results, trajectory_table(self.scenario, states)

    def _play(
        self,
        first: int,
        end: int,
        inputs: Mapping[str, np.ndarray] | None,
        states: list[State] | None,
    ) -> pa.Table:
        """Play the runs; when `states` is a list, the state at the start and at the end of
        every turn is appended to it."""
        indices = np.arange(first, end)
        if inputs is None and self.design is not None:
            inputs = self.design.inputs(indices)
        indices = indices // self.draw_group
        every_turn = states is not None
        if self.model is None:
            from wargame.engine.model import WargameModel

            self.model = WargameModel(
                self.scenario,
                seed=self.seed,
                runs=indices,
                temperatures=self.temperatures,
                inputs=inputs,
                explain=False,
                every_turn=every_turn,
            )
            self.model.tally = self.tally
        else:
            self.model.every_turn = every_turn
            self.model.load(indices, inputs)
        model = self.model
        if states is not None:
            states.append(model.state)
            # a step is a whole turn (no one waits for a human here); `run` below says so
            # if one ever did
            while not model.done and model.pending is None:
                model.step()
                states.append(model.state)
        final = model.run()
        varied = {k: v for k, v in (inputs or {}).items() if self._recorded(k)}
        return result_table(self.scenario, final, varied)

    def _recorded(self, name: str) -> bool:
        """Sampled inputs become columns; values fixed by --set are in the manifest instead."""
        return self.design is None or name not in self.design.pinned


def run_batch(
    scenario: Scenario,
    runs: int,
    seed: int,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    first_run: int = 0,
    design: Design | None = None,
    temperatures: Mapping[str, float] | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[pa.Table]:
    """Play runs [first_run, first_run + runs) in this process; one results table per chunk.

    `on_chunk(n)` is called after each chunk with the number of runs it held.
    """
    if runs < 0 or chunk_size < 1:
        raise ValueError(f"runs must be >= 0 and chunk_size >= 1 (got {runs}, {chunk_size})")
    player = ChunkPlayer(scenario, seed, design, temperatures)
    for first, end in iter_chunks(first_run, first_run + runs, chunk_size):
        yield player.play(first, end)
        if on_chunk is not None:
            on_chunk(end - first)


def tally_batch(
    scenario: Scenario,
    runs: int,
    seed: int,
    *,
    design: Design | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    on_chunk: Callable[[int], None] | None = None,
) -> BehaviourTally:
    """Every AI decision of runs [0, runs), counted (see engine.behaviour). The design sets
    the inputs, the temperatures among them."""
    from wargame.engine.behaviour import BehaviourTally

    tally = BehaviourTally()
    player = ChunkPlayer(scenario, seed, design, tally=tally)
    for first, end in iter_chunks(0, runs, chunk_size):
        player.play(first, end)
        if on_chunk is not None:
            on_chunk(end - first)
    return tally
