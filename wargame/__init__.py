"""wargame: a transatlantic security decision game, as a library.

The uses a notebook has, in a few names: load a scenario, play a batch of AI games, open a
results file, replay one run, and play an interactive game.

    import wargame
    scenario = wargame.load_scenario("madrid-2022")
    table = wargame.play_batch(scenario, runs=10_000, seed=1)     # a pyarrow.Table
    table = wargame.read_results("results.parquet")
    model = wargame.replay_run(scenario, seed=1, run=42)          # its story in model.resolutions

The packages behind it: `wargame.engine` (the engine), `wargame.actors` (actor profiles and
agents), `wargame.scenarios` (the bundled scenarios), `wargame.tui` (the terminal game and
the command line).
"""

from __future__ import annotations

from wargame.engine import ENGINE_VERSION
from wargame.engine.api import play_batch, read_results, replay_run
from wargame.engine.compiled import Scenario
from wargame.engine.errors import ScenarioError, WargameError
from wargame.engine.game import Game, GameSetup
from wargame.engine.sampling import Design
from wargame.engine.scenario import bundled_scenarios, load_scenario

__all__ = [
    "ENGINE_VERSION",
    "Design",
    "Game",
    "GameSetup",
    "Scenario",
    "ScenarioError",
    "WargameError",
    "bundled_scenarios",
    "load_scenario",
    "play_batch",
    "read_results",
    "replay_run",
]
