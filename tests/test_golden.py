"""Behaviour is versioned, not code: each bundled scenario's playthrough at a fixed seed is
pinned, line by line, to the ENGINE_VERSION that produced it (OpenSpiel's transcripts). The
transcript records what happened and why, not how an interface words it.

A change in what a game does must come with a version bump (engine/__init__.py) and a new
transcript: `WARGAME_UPDATE_GOLDEN=1 pytest tests/test_golden.py`, then read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wargame.engine import ENGINE_VERSION
from wargame.engine.model import WargameModel
from wargame.engine.scenario import bundled_scenarios, load_scenario

GOLDEN = Path(__file__).parent / "golden"
SEEDS = (1, 2)


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def transcript(name: str, seed: int) -> list[str]:
    """What the game did, not how it is worded: every event's resolution (option, who
    decided, odds, draws, utilities, votes, changes) as one JSON line, then each turn's
    indicators."""
    model = WargameModel(load_scenario(name), seed=seed, runs=[0], explain=True)
    model.run()
    lines = [f"engine {ENGINE_VERSION}"]
    for resolution in model.resolutions:
        data = resolution.to_dict()
        data.pop("notes")  # wording
        lines.append(json.dumps(_rounded(data), sort_keys=True, ensure_ascii=False))
    history = model.datacollector.model_vars
    for turn in range(model.state.turn + 1):
        shown = {name: round(values[turn], 9) for name, values in history.items()}
        lines.append(json.dumps({"end of turn": turn, **shown}, sort_keys=True))
    return lines


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(bundled_scenarios()))
def test_the_playthrough_is_pinned_to_the_engine_version(name: str, seed: int) -> None:
    path = GOLDEN / f"{name}-seed{seed}.txt"
    lines = transcript(name, seed)
    if os.environ.get("WARGAME_UPDATE_GOLDEN"):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.exists(), f"no transcript: run WARGAME_UPDATE_GOLDEN=1 pytest {__file__}"
    pinned = path.read_text(encoding="utf-8").splitlines()
    if pinned[0] != lines[0]:
        pytest.fail(
            f"{path.name} was made by {pinned[0]}, this is {lines[0]}: regenerate it "
            "(WARGAME_UPDATE_GOLDEN=1) and read the diff"
        )
    for number, (want, got) in enumerate(zip(pinned, lines), start=1):
        assert got == want, f"{path.name}:{number}: the game changed without an ENGINE_VERSION bump"
    assert len(lines) == len(pinned)
