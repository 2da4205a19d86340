"""Decision rules and AI behaviour, as bot tests: given this state, expect this choice."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from wargame.actors.agents import logit_choice
from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Decision
from wargame.engine.errors import DecisionError
from wargame.engine.model import WargameModel
from wargame.engine.turn import resolve_event

RUNS = 20_000


def play(scenario: Scenario, **kwargs) -> WargameModel:
    model = WargameModel(
        scenario, seed=kwargs.pop("seed", 11), runs=kwargs.pop("runs", RUNS), **kwargs
    )
    model.run()
    return model


def share(model: WargameModel, event: str, option: str) -> float:
    index = model.world.event(event).option_index(option)
    return float(np.mean(model.state.choices[event] == index))


def test_logit_choice_follows_the_softmax() -> None:
    """At temperature T, option i is chosen with probability exp(u_i/T) / sum exp(u_j/T)."""
    utilities = np.repeat(np.array([[70.0], [72.0], [60.0], [75.0]]), 200_000, axis=1)
    available = np.ones_like(utilities, dtype=bool)
    available[3] = False  # the best option is not available
    draw = np.random.default_rng(0).random(200_000)
    index, probabilities = logit_choice(utilities, available, draw, temperature=2.0)
    expected = np.exp(np.array([70.0, 72.0, 60.0]) / 2.0)
    expected /= expected.sum()
    counts = np.bincount(index, minlength=4) / len(index)
    assert counts[3] == 0
    assert np.allclose(counts[:3], expected, atol=0.005)
    assert np.allclose(probabilities[:3, 0], expected)


def test_temperature_zero_always_takes_the_best_available_option() -> None:
    utilities = np.array([[1.0, 5.0], [3.0, 5.0], [9.0, 1.0]])
    available = np.array([[True, True], [True, True], [False, True]])
    index, _ = logit_choice(utilities, available, np.array([0.99, 0.99]), temperature=0)
    assert index.tolist() == [1, 0]  # a tie goes to the first option
    none = np.zeros_like(available)
    assert logit_choice(utilities, none, np.array([0.5, 0.5]), 1.0)[0].tolist() == [-1, -1]


def test_single_rule_the_hawk_always_raises_its_budget(every_rule: Scenario) -> None:
    """Hawk (temperature 0, ideal spending 80) raises spending every turn it can."""
    model = play(every_rule)
    assert share(model, "budget", "raise") == 1.0


def test_chance_rule_draws_by_the_scenario_probability(every_rule: Scenario) -> None:
    """The election goes to restraint in p_restraint of runs (within five standard errors)."""
    model = play(every_rule)
    p = every_rule.parameters["p_restraint"]
    assert abs(share(model, "election", "restraint") - p) < 5 * np.sqrt(p * (1 - p) / RUNS)


def test_parameters_can_differ_per_run(every_rule: Scenario) -> None:
    """A per-run parameter array drives each run's own chance."""
    p = np.where(np.arange(1000) % 2 == 0, 0.0, 1.0)
    model = WargameModel(every_rule, seed=3, runs=1000, inputs={"p_restraint": p})
    model.run()
    restraint = every_rule.event("election").option_index("restraint")
    assert (model.state.choices["election"] == restraint).tolist() == (p == 1.0).tolist()


def test_veto_rule_a_veto_player_blocks_what_it_ranks_below_the_status_quo(
    every_rule: Scenario,
) -> None:
    """Hawk (temperature 0, ideal access 20) vetoes opening access, so the status quo holds."""
    model = play(every_rule)
    assert share(model, "access_deal", "keep") == 1.0


def test_veto_rule_the_setter_picks_its_best_acceptable_option(every_rule: Scenario) -> None:
    """If the hawk (now human) accepts both openings, the dove mostly picks the wider one."""
    decision = Decision(
        turn=2, event="access_deal", actor="hawk", role="veto", accepts=("open", "ajar")
    )
    model = play(every_rule, humans=["hawk"], decisions=[decision, *_hawk_budget_decisions()])
    opened, ajar = share(model, "access_deal", "open"), share(model, "access_deal", "ajar")
    # the dove's utilities are keep 69.6, ajar 73.6, open 81.6 at temperature 5
    assert opened > 0.7 and opened > 4 * ajar
    assert share(model, "access_deal", "keep") < 0.15


def _hawk_budget_decisions() -> list[Decision]:
    return [
        Decision(turn=t, event="budget", actor="hawk", role="decider", option="hold")
        for t in range(1, 5)
    ] + [Decision(turn=3, event="ratification", actor="hawk", role="asked", option="delay")]


def test_vote_rule_passes_with_the_seat_weighted_majority(every_rule: Scenario) -> None:
    """The president's party sets the House's agenda: the hawks put the full aid bill to the
    vote, the sceptics the smaller one. Hawks vote for either, sceptics against: the bill
    passes when hawks hold half the seats."""
    model = play(every_rule)
    event = every_rule.event("aid_vote")
    choice = model.state.choices["aid_vote"]
    # the vote happens in turn 2; seats and the president only change in turn 1's election
    restraint = model.state.choices["election"] == every_rule.event("election").option_index(
        "restraint"
    )
    hawk_seats = np.where(restraint, 0.6 / 1.2, 0.7 / 1.1)
    assert (hawk_seats >= 0.5).all()
    assert np.mean(choice != event.option_index("reject")) > 0.97
    # at the house's temperature of 2 the agenda is the majority party's in most runs: the
    # hawks' by 5 score points, the sceptics' (who care about spending too) by 2.5
    assert np.mean(choice[~restraint] == event.option_index("pass")) > 0.85
    assert np.mean(choice[restraint] == event.option_index("trim")) > 0.7


def test_bargain_rule_the_asked_party_refuses_a_costly_demand(every_rule: Scenario) -> None:
    """Hawk (temperature 0) never pays for ratification with access it does not want."""
    model = play(every_rule)
    assert share(model, "ratification", "ratify_for_access") == 0.0
    # the dove expects the same from its two demands and from holding out: a third each
    assert 0.3 < share(model, "ratification", "ratify") < 0.37


def test_a_human_decision_makes_the_model_wait(every_rule: Scenario) -> None:
    """With the hawk human, the game stops at its budget choice and goes on once it is given."""
    model = WargameModel(every_rule, seed=5, humans=["hawk"])
    model.step()
    request = model.pending
    assert request is not None
    assert (request.turn, request.event, request.actor, request.role) == (
        1,
        "budget",
        "hawk",
        "decider",
    )
    assert request.options == ("raise", "hold")  # 'cut' needs a restraint president
    assert set(request.utilities) == {"raise", "hold", "cut"}
    with pytest.raises(DecisionError, match="'cut' is not open to hawk"):
        model.submit(Decision(turn=1, event="budget", actor="hawk", role="decider", option="cut"))
    model.submit(Decision(turn=1, event="budget", actor="hawk", role="decider", option="hold"))
    model.step()
    assert model.pending is None and model.turn == 2
    budget = next(r for r in model.resolutions if r.event == "budget")
    assert (budget.option, budget.source) == ("hold", "human")


def test_a_log_replays_to_the_same_state(every_rule: Scenario) -> None:
    """A game is (scenario, seed, outside decisions): replaying the log gives the same state."""
    model = WargameModel(every_rule, seed=9, humans=["hawk", "house"])
    answers = {
        "decider": "hold",
        "asked": "delay",
        "veto": None,
        "voter": "pass",
        "setter": "pass",
        "member": "stay",
    }
    while not model.done:
        model.step()
        if model.pending is not None:
            p = model.pending
            option = answers[p.role]
            model.submit(
                Decision(
                    turn=p.turn,
                    event=p.event,
                    actor=p.actor,
                    role=p.role,
                    option=option,
                    accepts=tuple(o for o in p.options if o in ("ajar", "spend"))
                    if p.role == "veto"
                    else None,
                )
            )
    # through JSON, as a save file carries it
    logged = json.loads(json.dumps([d.to_dict() for d in model.log.decisions]))
    decisions = [Decision.from_dict(d) for d in logged]
    assert decisions == model.log.decisions
    replayed = WargameModel(every_rule, seed=9, humans=["hawk", "house"], decisions=decisions)
    replayed.run()
    assert model.log.decisions  # the game did need outside decisions
    for name, values in model.state.fields.items():
        assert np.array_equal(values, replayed.state.fields[name]), name
    assert [r.to_dict() for r in model.resolutions] == [r.to_dict() for r in replayed.resolutions]


def test_a_facilitator_override_sets_the_result_and_is_explained(every_rule: Scenario) -> None:
    override = Decision(
        turn=1, event="election", kind="override", option="restraint", reason="class scenario"
    )
    model = play(every_rule, runs=1, decisions=[override])
    assert every_rule.facts["president"].labels[model.state.fields["president"][0]] == "restraint"
    election = model.resolutions[0]
    assert election.source == "override"
    assert "facilitator override: class scenario" in election.notes


def test_an_injected_event_happens_outside_its_window(every_rule: Scenario) -> None:
    """The election belongs to turn 1; injected in turn 3, it happens again there."""
    inject = Decision(turn=3, event="election", kind="inject")
    model = play(every_rule, runs=1, seed=2, decisions=[inject])
    assert [r.turn for r in model.resolutions if r.event == "election"] == [1, 3]


def test_unknown_humans_and_events_are_refused(every_rule: Scenario) -> None:
    with pytest.raises(DecisionError, match=r"unknown actor .*did you mean 'hawk'"):
        WargameModel(every_rule, humans=["hwak"])
    model = WargameModel(every_rule)
    with pytest.raises(DecisionError, match=r"unknown event .*did you mean 'election'"):
        model.submit(Decision(turn=1, event="elction", kind="override", option="restraint"))


def test_a_human_is_not_asked_when_only_one_option_is_open(baseline: Scenario) -> None:
    """Turkey proposing its own PESCO bid while it does not meet the conditions has one open
    option (the refusal): the game goes on without asking."""
    from wargame.engine.turn import resolve_event

    model = WargameModel(
        baseline,
        seed=3,
        humans=["turkey"],
        decisions=[Decision(turn=2, event="turkey_pesco_bid", kind="inject")],
    )
    state = dataclasses.replace(model.state, turn=1)
    _, choice, _ = resolve_event(
        baseline,
        baseline.event("turkey_pesco_bid"),
        state,
        turn=2,
        seed=3,
        agents=model.actors,
        humans=model.humans,
        log=model.log,
        explain=True,
    )
    assert baseline.event("turkey_pesco_bid").option_ids[choice[0]] == "refused"


def test_mesas_own_loop_stops_for_a_human_and_goes_on_after(every_rule: Scenario) -> None:
    """Mesa's `run_model()` returns while a human has to decide, and plays on once they have."""
    model = WargameModel(every_rule, seed=5, humans=["hawk"])
    model.run_model()
    request = model.pending
    assert request is not None and not model.running and not model.done
    model.submit(
        Decision(request.turn, request.event, actor=request.actor, role=request.role, option="hold")
    )
    assert model.running
    model.run_model()
    assert model.pending is not None and model.turn > request.turn  # next year's budget


def test_a_chance_option_without_a_probability_is_never_drawn(every_rule: Scenario) -> None:
    """The loader requires a chance option's probability; the rule still treats a missing one
    as weight 0 rather than calling None."""
    event = every_rule.event("election")
    blind = dataclasses.replace(
        event,
        options=(dataclasses.replace(event.options[0], probability=None), *event.options[1:]),
    )
    model = WargameModel(every_rule, seed=2, runs=500, explain=False)
    _, choice, _ = resolve_event(
        every_rule,
        blind,
        model.state,
        turn=1,
        seed=2,
        agents=model.actors,
        humans=frozenset(),
        log=model.log,
        explain=False,
    )
    assert (choice == 1).all()
