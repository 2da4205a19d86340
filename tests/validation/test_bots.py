"""AI actors' behaviour, as OpenSpiel-style bot tests: given this state, this actor picks this
option with at least this probability, both with every temperature at 0 (preferences alone)
and at the profiles' temperatures (preferences with noise)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Decision
from wargame.engine.model import WargameModel
from wargame.engine.scenario import load_scenario
from wargame.engine.turn import resolve_event

RUNS = 4000
GREEDY, NOISY = "temperature 0", "profiles' temperatures"


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario("madrid-2022")


def outcome_shares(
    scenario: Scenario, event_id: str, turn: int, setting: str, **values: float | str
) -> dict[str, float]:
    """Play one event in `turn` from the baseline's start with `values` set; shares of options.

    Numbers set fields; text sets a fact to that label. The event is made to happen
    (injected), so its own chance of occurring does not dilute the shares.
    """
    greedy = dict.fromkeys((a.id for a in scenario.actors), 0.0) if setting == GREEDY else None
    model = WargameModel(
        scenario,
        seed=17,
        runs=RUNS,
        explain=False,
        temperatures=greedy,
        decisions=[Decision(turn=turn, event=event_id, kind="inject")],
    )
    updates = {
        name: np.full(
            RUNS,
            scenario.facts[name].code(v) if isinstance(v, str) else v,
            dtype=model.state.fields[name].dtype,
        )
        for name, v in values.items()
    }
    state = dataclasses.replace(model.state.with_fields(updates), turn=turn - 1)
    event = scenario.event(event_id)
    _, choice, _ = resolve_event(
        scenario,
        event,
        state,
        turn=turn,
        seed=17,
        agents=model.actors,
        humans=frozenset(),
        log=model.log,
        explain=False,
    )
    assert (choice >= 0).all(), "the event should have happened in every run"
    return {o: float(np.mean(choice == i)) for i, o in enumerate(event.option_ids)}


def at_least(setting: str, noisy: float) -> float:
    """What 'the paper's direction' means: always at temperature 0, mostly with noise."""
    return 1.0 if setting == GREEDY else noisy


SETTINGS = [GREEDY, NOISY]
RESTRAINT = {
    "administration": "restraint",
    "seats_admin_restraint": 1.0,
    "seats_admin_internationalist": 0.0,
}


@pytest.mark.parametrize("setting", SETTINGS)
def test_turkey_ratifies_the_accession(baseline: Scenario, setting: str) -> None:
    """ "an agreement between Ankara, Helsinki and Stockholm was found": Türkiye ratifies, for
    the support point 8 brings it."""
    shares = outcome_shares(baseline, "accession", 1, setting)
    assert shares["ratify"] >= at_least(setting, 0.9)


@pytest.mark.parametrize("setting", SETTINGS)
def test_an_internationalist_administration_stays_and_reinforces(
    baseline: Scenario, setting: str
) -> None:
    """ "reaffirming its foundational European security relationship and bolstering its
    regional presence"; Europe and Asia "mutually reinforcing"."""
    review = outcome_shares(baseline, "us_posture_review", 6, setting)
    assert review["sustain"] >= at_least(setting, 0.85)
    asia = outcome_shares(baseline, "indo_pacific", 3, setting)
    assert asia["shift_forces"] <= 1 - at_least(setting, 0.9)


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_restraint_administration_pulls_back_from_europe(
    baseline: Scenario, setting: str
) -> None:
    review = outcome_shares(baseline, "us_posture_review", 6, setting, **RESTRAINT)
    assert review["sustain"] <= 1 - at_least(setting, 0.85)
    request = outcome_shares(baseline, "aid_request", 6, setting, **RESTRAINT)
    assert request["large"] <= 1 - at_least(setting, 0.85)


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_alliance_pursues_more_permanent_placements(baseline: Scenario, setting: str) -> None:
    """ "NATO is also interested in more permanent troop placements"."""
    shares = outcome_shares(baseline, "posture_choice", 2, setting)
    assert shares["permanent"] >= at_least(setting, 0.9)


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_eu_funds_military_mobility(baseline: Scenario, setting: str) -> None:
    """ "the main area of focus in the coming months and years should be military mobility"."""
    shares = outcome_shares(baseline, "mobility_funding", 3, setting)
    assert shares["defer"] <= 1 - at_least(setting, 0.85)


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_eu_will_not_open_the_edf_on_demand(baseline: Scenario, setting: str) -> None:
    """ "it does not seem obvious how the EU can further revise its existing rules", and ITAR
    "could potentially restrict how Europeans use and export capabilities"."""
    dispute = outcome_shares(baseline, "pesco_access", 3, setting)
    assert dispute["open_edf"] <= 1 - at_least(setting, 0.95)
    vote = outcome_shares(baseline, "edf_revision_vote", 5, setting, edf_revision="proposed")
    assert vote["adopt"] <= 1 - at_least(setting, 0.8)


@pytest.mark.parametrize("setting", SETTINGS)
def test_congress_passes_aid_and_backs_nato(baseline: Scenario, setting: str) -> None:
    """Before the midterms most members support NATO and Ukraine: the aid bill passes and a
    NATO support resolution is affirmed."""
    aid = outcome_shares(baseline, "ukraine_aid", 1, setting, aid_request="large")
    assert aid["fail"] <= 1 - at_least(setting, 0.9)
    resolution = outcome_shares(baseline, "nato_resolution", 2, setting)
    assert resolution["affirmed"] >= at_least(setting, 0.9)


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_republican_house_brings_the_reduced_package(baseline: Scenario, setting: str) -> None:
    """ "getting congressional assent to further large-scale Ukraine aid bills could become
    more complicated": a Republican majority puts the reduced package on the floor."""
    democratic = outcome_shares(baseline, "ukraine_aid", 2, setting, aid_request="large")
    republican = outcome_shares(
        baseline, "ukraine_aid", 2, setting, aid_request="large", house="republican"
    )
    assert republican["full_package"] < democratic["full_package"] - 0.25
