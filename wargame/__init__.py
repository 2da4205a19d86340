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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "ENGINE_VERSION": "wargame.engine",
    "Design": "wargame.engine.sampling",
    "Game": "wargame.engine.game",
    "GameSetup": "wargame.engine.game",
    "Scenario": "wargame.engine.compiled",
    "ScenarioError": "wargame.engine.errors",
    "WargameError": "wargame.engine.errors",
    "bundled_scenarios": "wargame.engine.scenario",
    "load_scenario": "wargame.engine.scenario",
    "play_batch": "wargame.engine.api",
    "read_results": "wargame.engine.api",
    "replay_run": "wargame.engine.api",
}


def __getattr__(name: str) -> Any:
    """Each public name is imported when first used (PEP 562): `import wargame`, and every
    command that never plays a game (help, validate, a batch's coordinating process), starts
    without Mesa, pandas and scipy, about 0.6 s."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'wargame' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
