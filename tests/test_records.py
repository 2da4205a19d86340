"""The schemas of saves and manifests accept everything the engine writes, for every
sampling design, so that checking a file before use never refuses a good one."""

from __future__ import annotations

import dataclasses

import pytest

from tests.games import answer_first
from wargame.engine.compiled import Scenario
from wargame.engine.executors import BatchSpec
from wargame.engine.game import Game, GameSetup
from wargame.engine.records import ManifestRecord, SaveRecord, SpecRecord, check_record
from wargame.engine.sampling import DESIGNS, Design


@pytest.mark.parametrize("kind", DESIGNS)
def test_every_design_and_spec_fits_the_manifest_schema(baseline: Scenario, kind: str) -> None:
    design = Design(baseline, kind, seed=7, runs=1000, fixed={"p_house_flip": 0.6})
    spec = BatchSpec("madrid-2022", baseline.digest, 7, 1000, 300, design.describe())
    record = check_record(spec.describe(), SpecRecord)
    assert record.model_dump() == spec.describe()
    manifest = {"scenario": "madrid-2022", "complete": False, "runs_done": 0, "done": []}
    assert check_record({**manifest, "spec": spec.describe()}, ManifestRecord).spec == record
    sensitivity = dataclasses.replace(spec, draw_group=5, temperatures={"nato": 0.5})
    assert check_record(sensitivity.describe(), SpecRecord).draw_group == 5


def test_a_save_fits_its_schema_at_every_stage() -> None:
    game = Game.start(GameSetup("madrid-2022", 3, ("turkey", "nato"), {"eu": 2.5}))
    for _ in range(12):
        record = check_record(game.to_save(), SaveRecord)
        assert record.position.turn == game.turn
        if game.done:
            break
        if game.pending is not None:
            answer_first(game)
        else:
            game.advance()
