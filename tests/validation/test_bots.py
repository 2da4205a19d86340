"""AI actors' behaviour, as OpenSpiel-style bot tests: given this state, this actor picks
this option with at least this probability."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from engine.decisions import Decision
from engine.model import WargameModel
from engine.scenario import Scenario, load_scenario
from engine.turn import resolve_event

RUNS = 4000


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario("madrid-2022")


def outcome_shares(
    scenario: Scenario, event_id: str, turn: int, **values: float | str
) -> dict[str, float]:
    """Play one event in `turn` from the baseline's start with `values` set; shares of options.

    Numbers set fields; text sets a fact to that label. The event is made to happen
    (injected), so its own chance of occurring does not dilute the shares.
    """
    model = WargameModel(
        scenario,
        seed=17,
        runs=RUNS,
        explain=False,
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


def test_turkey_delays_ratification_without_a_pesco_offer(baseline: Scenario) -> None:
    """Turkey, with ratification pending and no PESCO offer possible, delays."""
    shares = outcome_shares(baseline, "accession", 1)
    assert shares["ratify_for_pesco"] == 0
    assert shares["delay"] >= 0.5


def test_turkey_trades_ratification_for_pesco_once_it_meets_the_conditions(
    baseline: Scenario,
) -> None:
    """With the values conditions met, Turkey holds out for PESCO Military Mobility rather than
    ratify for nothing, and sometimes gets it."""
    shares = outcome_shares(baseline, "accession", 3, turkey_conditions="met")
    assert shares["ratify_for_pesco"] >= 0.15
    assert shares["ratify"] <= 0.2


def test_the_eu_will_not_rewrite_the_edf_regulation_on_demand(baseline: Scenario) -> None:
    """Asked to open the EDF to non-EU allies, the EU mostly refuses or offers case by case."""
    shares = outcome_shares(baseline, "pesco_access", 5)
    assert shares["revise_edf"] <= 0.25
    assert shares["escalate"] + shares["case_by_case"] >= 0.75


def test_a_restraint_administration_pulls_back_from_europe(baseline: Scenario) -> None:
    """After a restraint victory, the posture review draws down or threatens to leave."""
    shares = outcome_shares(
        baseline,
        "us_posture_review",
        6,
        administration="restraint",
        seats_admin_restraint=1.0,
        seats_admin_internationalist=0.0,
        us_commitment=55.0,
    )
    assert shares["sustain"] <= 0.15


def test_an_internationalist_administration_sustains_the_presence(baseline: Scenario) -> None:
    shares = outcome_shares(baseline, "us_posture_review", 6)
    assert shares["sustain"] >= 0.6
    assert shares["threaten_withdrawal"] == 0


def test_congress_passes_ukraine_aid_before_the_midterms(baseline: Scenario) -> None:
    """With July 2022's seats, a Ukraine aid bill passes, in full or reduced."""
    assert outcome_shares(baseline, "ukraine_aid", 1)["fail"] <= 0.1


def test_a_more_sceptical_congress_makes_aid_harder(baseline: Scenario) -> None:
    """ "getting congressional assent to further large-scale Ukraine aid bills could become more
    complicated": with more restraint seats, the full package passes less often."""
    before = outcome_shares(baseline, "ukraine_aid", 3)["full_package"]
    after = outcome_shares(
        baseline,
        "ukraine_aid",
        3,
        seats_rep_restraint=0.3,
        seats_rep_internationalist=0.25,
        seats_dem_mainstream=0.35,
        seats_progressive=0.1,
    )["full_package"]
    assert after < before - 0.05
