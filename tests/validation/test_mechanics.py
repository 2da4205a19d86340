"""Mechanics that must matter: capability weighs in collective decisions, the midterms and the
House majority change what Congress passes, and actors' numbers vary per run when sampled."""

from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.compiled import Scenario
from wargame.engine.model import WargameModel
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario

RUNS = 6000


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario("madrid-2022")


def play(scenario: Scenario, **inputs: float) -> WargameModel:
    model = WargameModel(scenario, seed=11, runs=RUNS, explain=False, inputs=inputs or None)
    model.run()
    return model


def test_capability_decides_between_the_alliance_and_washington(baseline: Scenario) -> None:
    """On raising the bar the Alliance (spending ideal near the pledge) and Washington (well
    above it) disagree: whoever weighs more carries the decision. Swapping their capabilities
    turns the outcome round."""
    raised = baseline.facts["pledge"].code("raised")

    def share_raised(model: WargameModel) -> float:
        discussed = model.state.fired["dip_review"]
        return float(np.mean(model.state.fields["pledge"][discussed] == raised))

    as_written = share_raised(play(baseline))
    swapped = share_raised(
        play(baseline, **{"nato.capability": 0.4, "us_administration.capability": 0.5})
    )
    assert swapped > as_written + 0.2, (as_written, swapped)


def test_capability_scrambled_changes_the_results(baseline: Scenario) -> None:
    a = play(baseline).state.fields
    b = play(
        baseline, **{"nato.capability": 0.05, "us_administration.capability": 0.6}
    ).state.fields
    assert any(not np.array_equal(a[d], b[d]) for d in baseline.dimensions)


def test_a_republican_house_passes_less_ukraine_aid(baseline: Scenario) -> None:
    """Flipping the midterms changes what Congress passes, the way the paper expects."""
    democratic, republican = play(baseline, p_house_flip=0.0), play(baseline, p_house_flip=1.0)
    full = baseline.event("ukraine_aid").option_index("full_package")

    def full_share(model: WargameModel) -> float:
        choice = model.state.choices["ukraine_aid"]
        return float(np.mean(choice[choice >= 0] == full))

    assert full_share(republican) < full_share(democratic) - 0.1
    assert republican.state.fields["ukraine"].mean() < democratic.state.fields["ukraine"].mean()


def test_sampled_actor_numbers_vary_per_run_and_are_used(baseline: Scenario) -> None:
    """Under --sample every actor number with a range differs per run, and a run's numbers
    change its actors' choices: the US administration's view of the Compass follows its
    sampled ideal on European autonomy."""
    design = Design(baseline, "uniform", seed=4, runs=RUNS)
    inputs = design.inputs(np.arange(RUNS))
    ideal = inputs["us_administration.admin_internationalist.autonomy.ideal"]
    assert len(np.unique(ideal)) == RUNS
    model = WargameModel(baseline, seed=4, runs=RUNS, explain=False, inputs=inputs)
    model.run()
    backs = model.state.choices["us_view_of_compass"] == baseline.event(
        "us_view_of_compass"
    ).option_index("back_autonomy")
    high, low = ideal > np.median(ideal), ideal <= np.median(ideal)
    assert backs[high].mean() > backs[low].mean() + 0.05
