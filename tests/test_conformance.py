"""What every bundled scenario must satisfy, single and batched, with fixed seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from tests.conftest import all_scenario_paths
from wargame.engine.chunks import run_batch
from wargame.engine.compiled import Scenario
from wargame.engine.model import WargameModel
from wargame.engine.scenario import load_scenario
from wargame.engine.state import FACT_DTYPE

RUNS = 600


@pytest.fixture(scope="module", params=all_scenario_paths(), ids=lambda p: p.stem)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    path: Path = request.param
    return load_scenario(path)


@pytest.fixture(scope="module")
def batch(scenario: Scenario) -> WargameModel:
    model = WargameModel(scenario, seed=20221, runs=RUNS)
    model.run()
    return model


def test_shapes_dtypes_and_bounds(scenario: Scenario, batch: WargameModel) -> None:
    """Every field is one array over the runs; dimensions and outcomes stay in 0..100."""
    state = batch.state
    assert state.turn == scenario.turns and batch.done
    for name, values in state.fields.items():
        assert values.shape == (RUNS,), name
        assert values.flags.c_contiguous, name
    for name in [
        *scenario.dimensions,
        *(n for n, _ in scenario.outcomes),
        *(f"score_{a.id}" for a in scenario.actors),
    ]:
        values = state.fields[name]
        assert values.dtype == np.float64, name
        assert np.all((values >= 0) & (values <= 100)), name
    for name, fact in scenario.facts.items():
        codes = state.fields[name]
        assert codes.dtype == FACT_DTYPE
        assert np.all((codes >= 0) & (codes < len(fact.labels))), name
    for actor in scenario.actors:
        seats = [state.fields[m.seat_field] for m in actor.members if m.seat_field]
        if seats:
            assert np.allclose(sum(seats), 1.0), actor.id
            assert all(np.all((s >= 0) & (s <= 1)) for s in seats)
    for event in scenario.events:
        choices = state.choices[event.id]
        assert np.all((choices >= -1) & (choices < len(event.options))), event.id
        assert np.array_equal(state.fired[event.id], choices >= 0), event.id


def test_the_same_seed_gives_the_same_result(scenario: Scenario, batch: WargameModel) -> None:
    again = WargameModel(scenario, seed=20221, runs=RUNS)
    again.run()
    for name, values in batch.state.fields.items():
        assert np.array_equal(values, again.state.fields[name]), name
    other = WargameModel(scenario, seed=20222, runs=RUNS)
    other.run()
    assert any(not np.array_equal(v, other.state.fields[n]) for n, v in batch.state.fields.items())


@pytest.mark.parametrize("run", [0, 1, 377, RUNS - 1])
def test_a_run_alone_equals_the_same_run_in_the_batch(
    scenario: Scenario, batch: WargameModel, run: int
) -> None:
    alone = WargameModel(scenario, seed=20221, runs=[run])
    alone.run()
    for name, values in alone.state.fields.items():
        assert values[0] == batch.state.fields[name][run], name
    for event, choices in alone.state.choices.items():
        assert choices[0] == batch.state.choices[event][run], event


def test_chunking_does_not_change_any_run(scenario: Scenario) -> None:
    """Chunks of 1000, 77 and 1 (for the first 60 runs) give the same table row for row."""
    whole = pa.concat_tables(run_batch(scenario, RUNS, seed=5, chunk_size=1000))
    small = pa.concat_tables(run_batch(scenario, RUNS, seed=5, chunk_size=77))
    assert whole.equals(small)
    ones = pa.concat_tables(run_batch(scenario, 60, seed=5, chunk_size=1))
    assert ones.equals(whole.slice(0, 60))
    offset = pa.concat_tables(run_batch(scenario, 100, seed=5, chunk_size=33, first_run=250))
    assert offset.equals(whole.slice(250, 100))


def test_a_batch_of_one_records_its_history_and_reasons(scenario: Scenario) -> None:
    model = WargameModel(scenario, seed=3)
    model.run()
    history = model.datacollector.get_model_vars_dataframe()
    assert len(history) == scenario.turns + 1
    assert list(history.columns) == model.indicators()
    assert model.resolutions and all(r.fired for r in model.resolutions)
    assert all(r.option is not None for r in model.resolutions)
    for resolution in model.resolutions:
        assert set(resolution.utilities) == {a.id for a in scenario.actors}


def test_one_model_serves_every_chunk(scenario: Scenario) -> None:
    """A batch builds one model however many chunks (Mesa 3.3 never frees models, issue 3179)."""
    built = []
    original = WargameModel.__init__

    def counting(self: WargameModel, *args: object, **kwargs: object) -> None:
        built.append(1)
        original(self, *args, **kwargs)

    WargameModel.__init__ = counting  # type: ignore[method-assign]
    try:
        for _ in run_batch(scenario, 50, seed=1, chunk_size=7):
            pass
    finally:
        WargameModel.__init__ = original  # type: ignore[method-assign]
    assert len(built) == 1


def test_a_batch_split_mid_game_and_joined_again_ends_the_same(scenario: Scenario) -> None:
    """State.take splits a batch mid-game; the halves play on alone; State.concat joins them:
    the result equals the batch that was never split."""
    from wargame.engine.state import State

    whole = WargameModel(scenario, seed=11, runs=200)
    for _ in range(min(3, scenario.turns - 1)):
        whole.step()
    split_at = whole.state
    whole.run()
    halves = []
    for rows in (slice(0, 77), slice(77, 200)):
        part = WargameModel(scenario, seed=11, runs=1)
        part.load(split_at.runs[rows])
        part.state = split_at.take(rows)
        halves.append(part.run())
    joined = State.concat(halves)
    for name, values in whole.state.fields.items():
        assert np.array_equal(values, joined.fields[name]), name
    for event, choices in whole.state.choices.items():
        assert np.array_equal(choices, joined.choices[event]), event
