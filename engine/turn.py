"""The parts of a turn, as pure functions from a State to a new State.

An event fires (its turn window, condition, probability draw, or a facilitator's
injection), a rule picks an option per run, the option's effects apply where it was
picked, and the derived outcomes and scores are recomputed so the next event sees
them. At the end of a turn the scenario's drift applies. Nothing here loops over
runs: every step is a handful of numpy operations on the whole batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np

from wargame.actors.agents import ActorAgent
from wargame.engine.behaviour import BehaviourTally
from wargame.engine.compiled import CompiledEvent, Scenario
from wargame.engine.decisions import DecisionLog, Resolution
from wargame.engine.expressions import Compiled, Env
from wargame.engine.rng import site_id, uniform
from wargame.engine.rules import RuleContext, decide
from wargame.engine.state import CHOICE_DTYPE, FACT_DTYPE, State, over_runs

__all__ = ["apply_everywhere", "derive", "end_turn", "resolve_event"]


def event_fires(
    event: CompiledEvent, state: State, turn: int, seed: int, log: DecisionLog
) -> np.ndarray:
    """Whether the event happens this turn, per run."""
    n = state.size
    injected = np.zeros(n, dtype=bool)
    for decision in log.find(turn, event.id, "inject"):
        injected |= state.runs == decision.run if decision.run is not None else True
    in_window = event.first <= turn <= event.last
    if not in_window and not injected.any():
        return injected
    fires = np.full(n, in_window)
    if not event.spec.repeat:
        fires &= ~state.fired[event.id]
    env = state.env()
    if event.probability is not None:
        chance = over_runs(event.probability(env), (n,))
        fires &= uniform(seed, state.runs, turn, site_id(event.id, "fire")) < chance
    fires |= injected
    if event.condition is not None:
        fires &= over_runs(event.condition(env), (n,))
    return fires


def _available(event: CompiledEvent, env: Env, n: int) -> np.ndarray:
    rows = [
        np.ones(n, dtype=bool) if o.available is None else over_runs(o.available(env), (n,))
        for o in event.options
    ]
    return np.stack(rows)


def _new_value(scenario: Scenario, target: str, value: np.ndarray, n: int) -> np.ndarray:
    """An effect's value made into a valid field: dimensions stay in 0..100, seats in 0..1."""
    value = over_runs(value, (n,))
    if target in scenario.facts:
        return value.astype(FACT_DTYPE)
    high = 1.0 if target in scenario.seat_fields else 100.0
    return np.asarray(value, dtype=np.float64).clip(0.0, high)  # a new array, copied once


def _effect_values(
    scenario: Scenario, effects_by_option: Sequence[Sequence[tuple[str, Compiled]]], state: State
) -> list[dict[str, np.ndarray]]:
    """Per option: the new value of every field its effects change, as if it were chosen
    (computed once, from the state before any of them applies)."""
    env = state.env()
    return [
        {target: _new_value(scenario, target, fn(env), state.size) for target, fn in effects}
        for effects in effects_by_option
    ]


def _projections(
    scenario: Scenario,
    event: CompiledEvent,
    state: State,
    effects: Sequence[Mapping[str, np.ndarray]],
) -> list[Mapping[str, np.ndarray]]:
    """Per option: the dimensions its deciders expect it to change, and their values if it
    were chosen (its effects, and what it is `projected` to lead to later)."""
    dims = scenario.spec.dimensions
    env = state.env()
    projections: list[Mapping[str, np.ndarray]] = []
    for option, values in zip(event.options, effects):
        expected = {t: v for t, v in values.items() if t in dims}
        for target, fn in option.projected:
            if target in dims:
                expected[target] = _new_value(scenario, target, fn(env), state.size)
        projections.append(expected)
    return projections


def apply_effects(
    scenario: Scenario,
    state: State,
    values_by_option: Sequence[Mapping[str, np.ndarray]],
    choice: np.ndarray,
) -> dict[str, np.ndarray]:
    """New values of every field an option changes, where that option was chosen.

    `values_by_option` holds each option's effects computed from the state before any of
    them applies (`_effect_values`). Only the runs an effect touched change, so a run's
    result never depends on the other runs.
    """
    updates: dict[str, np.ndarray] = {}
    touched: dict[str, np.ndarray] = {}  # seat shares: the runs where each changed
    for index, values in enumerate(values_by_option):
        if not values:
            continue
        chosen = choice == index
        if not chosen.any():
            continue
        for target, value in values.items():
            current = updates.get(target, state.fields[target])
            updates[target] = np.where(chosen, value, current)
            if target in scenario.seat_fields:
                touched[target] = touched.get(target, False) | chosen
    return _normalise_seats(scenario, state, updates, touched)


def _normalise_seats(
    scenario: Scenario, state: State, updates: dict[str, np.ndarray], touched: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Seat shares of each actor's blocs add up to 1 again in the runs where any changed."""
    for actor in scenario.actors:
        fields = [m.seat_field for m in actor.members if m.seat_field]
        changed = [touched[f] for f in fields if f in touched]
        if not changed:
            continue
        runs = np.logical_or.reduce(changed)
        seats = [updates.get(f, state.fields[f]) for f in fields]
        total = sum(seats)
        for f, share in zip(fields, seats):
            even = np.full_like(share, 1 / len(fields))
            updates[f] = np.where(runs, np.divide(share, total, out=even, where=total > 0), share)
    return updates


def derive(
    scenario: Scenario,
    state: State,
    agents: Mapping[str, ActorAgent],
    *,
    scores: bool = True,
    outcomes: bool = True,
) -> State:
    """Recompute derived outcomes (in declared order) and, if asked, the actors' scores.

    Mid-turn, scores and outcomes are needed only when an expression reads them or someone
    watches; skipping them then saves much of a batch's time without changing any result
    (both are pure functions of the stored fields, recomputed at every turn's end).
    """
    if not scores and not outcomes:
        return state
    updates = (
        {f"score_{a}": agent.score(state.fields) for a, agent in agents.items()} if scores else {}
    )
    env = {**state.env(), **updates}
    for name, fn in scenario.outcomes if outcomes else ():
        env[name] = updates[name] = np.clip(over_runs(fn(env), (state.size,)), 0.0, 100.0)
    return state.with_fields(updates)


COMPACT_BELOW = 1.0
"""An event that fires in fewer than this share of a batch's runs is played on those runs
alone, then written back: a run's result depends only on its own fields and draws."""


def resolve_event(
    scenario: Scenario,
    event: CompiledEvent,
    state: State,
    *,
    turn: int,
    seed: int,
    agents: Mapping[str, ActorAgent],
    humans: frozenset[str],
    log: DecisionLog,
    explain: bool,
    tally: BehaviourTally | None = None,
    watched: bool = True,
) -> tuple[State, np.ndarray, Resolution | None]:
    """Play one event on every run.

    Returns the new state, the option index each run took (-1: the event did not happen)
    and, if asked, run 0's explanation. Unless `watched` (someone looks at the state after
    every event), derived outcomes nothing reads mid-turn wait for the turn's end.

    Raises NeedDecision (leaving nothing changed) when a human has yet to decide.
    """
    fired = event_fires(event, state, turn, seed, log)
    resolution = Resolution(turn, event.id, event.rule, bool(fired[0])) if explain else None
    count = int(np.count_nonzero(fired))
    if count == 0:
        return state, np.full(state.size, -1, dtype=CHOICE_DTYPE), resolution
    play = partial(
        _play,
        scenario,
        event,
        turn=turn,
        seed=seed,
        agents=agents,
        humans=humans,
        log=log,
        resolution=resolution,
        tally=tally,
    )
    if resolution is None and count < COMPACT_BELOW * state.size:
        rows = np.flatnonzero(fired)
        part = state.rows(rows)
        part_updates, part_choice = play(part, np.ones(count, dtype=bool))
        updates = {k: _written_back(state.fields[k], rows, v) for k, v in part_updates.items()}
        choice = np.full(state.size, -1, dtype=CHOICE_DTYPE)
        choice[rows] = part_choice
    else:
        updates, choice = play(state, fired)
    happened = choice >= 0
    new = state.with_fields(updates).with_event(
        event.id,
        state.fired[event.id] | happened,
        np.where(happened, choice, state.choices[event.id]).astype(CHOICE_DTYPE, copy=False),
    )
    new = derive(
        scenario,
        new,
        agents,
        scores=explain or scenario.reads_scores,
        outcomes=explain or watched or scenario.reads_outcomes,
    )
    if resolution is not None:
        _explain(resolution, agents, event.option_ids, choice, state, new)
    return new, choice, resolution


def _play(
    scenario: Scenario,
    event: CompiledEvent,
    state: State,
    fired: np.ndarray,
    *,
    turn: int,
    seed: int,
    agents: Mapping[str, ActorAgent],
    humans: frozenset[str],
    log: DecisionLog,
    resolution: Resolution | None,
    tally: BehaviourTally | None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Decide the event where it fired and apply the chosen options' effects: the fields
    that change, and the option index per run (-1 where it did not fire)."""
    effects = _effect_values(scenario, [o.effects for o in event.options], state)
    ctx = RuleContext(
        event=event,
        state=state,
        turn=turn,
        seed=seed,
        agents=agents,
        humans=humans,
        log=log,
        fired=fired,
        available=_available(event, state.env(), state.size),
        projections=_projections(scenario, event, state, effects),
        resolution=resolution,
        tally=tally,
    )
    choice = decide(ctx).astype(CHOICE_DTYPE, copy=False)
    if resolution is not None:
        for actor in agents:
            utilities = ctx.utilities(actor)[:, 0]
            resolution.utilities[actor] = {o: float(u) for o, u in zip(ctx.options, utilities)}
    return apply_effects(scenario, state, effects, choice), choice


def _written_back(full: np.ndarray, rows: np.ndarray, part: np.ndarray) -> np.ndarray:
    """A copy of `full` with the values at `rows` replaced by `part`."""
    result = full.copy()
    result[rows] = part
    return result


def _explain(
    resolution: Resolution,
    agents: Mapping[str, ActorAgent],
    options: tuple[str, ...],
    choice: np.ndarray,
    before: State,
    after: State,
) -> None:
    resolution.fired = bool(choice[0] >= 0)
    resolution.option = options[choice[0]] if choice[0] >= 0 else None
    for name, value in after.fields.items():
        old = before.fields[name][0]
        if value[0] != old:
            resolution.changes[name] = (old.item(), value[0].item())


def apply_everywhere(
    scenario: Scenario, state: State, effects: Sequence[tuple[str, Compiled]]
) -> dict[str, np.ndarray]:
    """The fields `effects` change in every run, as the engine applies them (clamped, seat
    shares normalised): the turn's drift, and an option's preview before a team picks it."""
    every = np.zeros(state.size, dtype=np.int64)
    return apply_effects(scenario, state, _effect_values(scenario, [effects], state), every)


def end_turn(
    scenario: Scenario, state: State, agents: Mapping[str, ActorAgent], *, derived: bool = True
) -> State:
    """Apply the scenario's drift, recompute outcomes and scores, and move to the next turn.

    Without `derived`, outcomes and scores wait for a later turn's end when nothing played
    reads them: no one looks at this turn's (a batch that keeps only the final state), and
    both are pure functions of the stored fields, so the final state is the same.
    """
    if scenario.drift:
        state = state.with_fields(apply_everywhere(scenario, state, scenario.drift))
    if derived or scenario.reads_scores or scenario.reads_outcomes:
        state = derive(scenario, state, agents)
    return state.next_turn()
