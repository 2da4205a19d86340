"""The baseline game follows the paper's account of 2022 point by point: with every AI at
temperature 0 (preferences alone, chance events still drawn) in every run, and at the
profiles' temperatures in most runs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from wargame.engine.compiled import Scenario
from wargame.engine.model import WargameModel
from wargame.engine.scenario import load_scenario
from wargame.engine.state import State

RUNS = 4000
GREEDY, NOISY = "temperature 0", "profiles' temperatures"


@dataclass
class Game:
    scenario: Scenario
    state: State
    chosen: dict[str, list[np.ndarray]]  # event -> the option ids taken, each time it happened
    start: dict[str, np.ndarray]

    def fact(self, name: str, label: str) -> np.ndarray:
        return self.state.fields[name] == self.scenario.facts[name].code(label)

    def took(self, event: str, option: str) -> np.ndarray:
        """Per decision: whether this option was taken (every time the event happened)."""
        index = self.scenario.event(event).option_index(option)
        return np.concatenate(self.chosen[event]) == index


@pytest.fixture(scope="module", params=[GREEDY, NOISY])
def game(request: pytest.FixtureRequest) -> tuple[str, Game]:
    scenario = load_scenario("madrid-2022")
    greedy = request.param == GREEDY
    model = WargameModel(
        scenario,
        seed=7,
        runs=RUNS,
        explain=False,
        temperatures=dict.fromkeys((a.id for a in scenario.actors), 0.0) if greedy else None,
    )
    chosen: dict[str, list[np.ndarray]] = {e.id: [] for e in scenario.events}
    restraint = scenario.facts["administration"].code("restraint")

    def observe(event, before, after, choice) -> None:  # type: ignore[no-untyped-def]
        # decisions of an internationalist administration's era only, where the paper speaks
        keep = (choice >= 0) & (before.fields["administration"] != restraint)
        chosen[event.id].append(choice[keep])

    start = {d: model.state.fields[d].copy() for d in scenario.dimensions}
    model.observers.append(observe)
    model.run()
    return request.param, Game(scenario, model.state, chosen, start)


def share_at_least(setting: str, noisy: float) -> float:
    return 1.0 if setting == GREEDY else noisy


def test_the_finland_sweden_agreement_holds(game: tuple[str, Game]) -> None:
    setting, g = game
    assert g.fact("accession", "ratified").mean() >= share_at_least(setting, 0.95)


def test_the_us_stays_and_reinforces_under_an_internationalist_administration(
    game: tuple[str, Game],
) -> None:
    setting, g = game
    assert g.took("us_posture_review", "sustain").mean() >= share_at_least(setting, 0.85)
    assert g.took("indo_pacific", "shift_forces").mean() <= 1 - share_at_least(setting, 0.9)
    internationalist = g.fact("administration", "internationalist")
    rose = g.state.fields["us_commitment"] >= g.start["us_commitment"]
    assert rose[internationalist].mean() >= share_at_least(setting, 0.8)


def test_more_permanent_placements_are_pursued(game: tuple[str, Game]) -> None:
    setting, g = game
    assert g.fact("posture_decision", "permanent").mean() >= share_at_least(setting, 0.9)


def test_the_eu_funds_military_mobility(game: tuple[str, Game]) -> None:
    setting, g = game
    assert g.took("mobility_funding", "defer").mean() <= 1 - share_at_least(setting, 0.85)


def test_the_edf_regulation_is_hard_to_revise(game: tuple[str, Game]) -> None:
    setting, g = game
    assert g.fact("edf_revision", "adopted").mean() <= 1 - share_at_least(setting, 0.97)


def test_congress_majority_backs_nato(game: tuple[str, Game]) -> None:
    setting, g = game
    assert g.took("nato_resolution", "affirmed").mean() >= share_at_least(setting, 0.85)
