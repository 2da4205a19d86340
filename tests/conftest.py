"""Shared fixtures: the small every-rule scenario and the bundled baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine.compiled import Scenario
from wargame.engine.scenario import bundled_scenarios, load_scenario

DATA = Path(__file__).parent / "data"
EVERY_RULE = DATA / "every-rule.yaml"


@pytest.fixture(scope="session")
def every_rule() -> Scenario:
    return load_scenario(EVERY_RULE)


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    return load_scenario("madrid-2022")


def all_scenario_paths() -> list[Path]:
    """Every bundled scenario, plus the test scenario that uses every rule."""
    return [*bundled_scenarios().values(), EVERY_RULE]
