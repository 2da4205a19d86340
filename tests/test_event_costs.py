"""benchmarks/event_costs.py counts each event's runs right and leaves the engine as it was."""

from __future__ import annotations

import wargame.engine.model as model_module
import wargame.engine.turn as turn_module
from benchmarks.event_costs import event_costs
from wargame.engine.chunks import ChunkPlayer
from wargame.engine.scenario import load_scenario


def test_fired_runs_match_the_results_and_the_engine_is_restored() -> None:
    resolve, fires = model_module.resolve_event, turn_module.event_fires
    size = 300
    total, rows = event_costs("madrid-2022", chunks=1, size=size)
    assert (model_module.resolve_event, turn_module.event_fires) == (resolve, fires)
    scenario = load_scenario("madrid-2022")
    # the timed chunk is runs [size, 2 * size) of seed 1: an event that cannot repeat fired
    # in exactly the runs whose results show one of its options
    results = ChunkPlayer(scenario, seed=1).play(size, 2 * size)
    fired = {event: runs for event, _, _, runs in rows}
    once = [e for e in scenario.events if not e.spec.repeat]
    assert once
    for event in once:
        happened = size - results.column(f"event_{event.id}").null_count
        assert fired.get(event.id, 0) == happened, event.id
    assert {event for event, *_ in rows} == {e.id for e in scenario.events}
    assert 0 < sum(seconds for _, _, seconds, _ in rows) <= total
