"""The scenario language played the conventional Mesa way: one model per game, plain floats.

This is what a competent Mesa user would write to play a scenario file without the
engine: a `mesa.Model` per game whose state is a dict of Python floats (and labels for
facts), the actors as `mesa.Agent`s with methods, a turn per `step()`, a DataCollector,
and games run through `mesa.batch_run`. It reuses only what a user of the scenario
language would take from the library: reading and validating the YAML
(`engine.scenario.load_scenario`) and the names of the draw sites (`engine.rng.site_id`).
Its expressions, rules, actors, turn and draws are its own (benchmarks/scalar_*.py),
written to the engine's semantics, and `tests/test_scalar_baseline.py` checks that game by
game it ends where the engine ends.

    python -m benchmarks.scalar_mesa madrid-2022 --games 2000
"""

from __future__ import annotations

import argparse
import inspect
import time
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import mesa
import numpy as np

from benchmarks.scalar_agents import Actor, Projection, add_up
from benchmarks.scalar_expressions import Expr, State
from benchmarks.scalar_rng import draw_key, run_key, site, uniform
from benchmarks.scalar_rules import Round, decide
from benchmarks.scalar_scenario import Event, World, prepare

__all__ = ["InputDesign", "ScalarGame", "play_games", "prepared", "seeded_batch_run"]


class InputDesign(Protocol):
    """A batch's per-run inputs (`engine.sampling.Design`): the numbers each game plays with."""

    def inputs(self, runs: np.ndarray) -> Mapping[str, np.ndarray]: ...


@cache
def prepared(scenario: str) -> World:
    """A scenario (bundled name or path), loaded and compiled once per process."""
    return prepare(scenario)


class ScalarGame(mesa.Model):
    """One game of a scenario: run `run` of the batch with this seed."""

    def __init__(
        self, scenario: str, seed: int = 0, run: int = 0, design: InputDesign | None = None
    ) -> None:
        super().__init__(rng=seed)
        self.world = prepared(str(scenario))
        self.seed = seed
        self.run = run
        self.run_hash = run_key(run)
        self.turn = 1
        inputs = _inputs(design, run)
        self.actors = {p.id: Actor(self, p, inputs) for p in self.world.profiles}
        self.state = self._initial_state(inputs)
        self.fired: set[str] = set()
        self.choices: dict[str, str | None] = {e.id: None for e in self.world.events}
        self.derive(scores=True)
        # one reporter, holding the results once the game ends: a reporter per result,
        # collected (and deep-copied) every turn, made the baseline about 15 % slower for a
        # trajectory that the engine's batch does not produce
        self.datacollector = mesa.DataCollector(model_reporters={"results": _results})

    def _initial_state(self, inputs: Mapping[str, float]) -> State:
        world = self.world
        state: State = {"turn": float(self.turn)}
        for name, initial in world.dimensions.items():
            state[name] = _clip(inputs.get(name, initial), 100.0)
        state.update(world.facts)
        for name, value in world.parameters.items():
            state[name] = inputs.get(name, value)
        for profile in world.profiles:
            blocs = [m for m in profile.members if m.seat_field]
            seats = [inputs.get(f"{m.key}.seats", m.seats) for m in blocs]
            if any(f"{m.key}.seats" in inputs for m in blocs):
                total = add_up(seats)  # sampled seat shares add up to 1 again
                seats = [share / total for share in seats]
            state.update((m.seat_field, share) for m, share in zip(blocs, seats))
        return state

    def results(self) -> dict[str, Any] | None:
        """The game's results once it is over (None before): as the engine's results table
        has them (numbers, facts by label, each event's last option), and the blocs' seat
        shares."""
        if self.running:
            return None
        world = self.world
        names = [*world.dimensions, *(n for n, _ in world.outcomes), *world.facts]
        names += [f"score_{a}" for a in self.actors]
        names += sorted(world.seat_fields)
        results = {name: self.state[name] for name in names}
        return results | {f"event_{event}": option for event, option in self.choices.items()}

    # -- a turn -------------------------------------------------------------------------

    def step(self) -> None:
        """One turn: each event in order, then the turn's drift."""
        self.state["turn"] = float(self.turn)
        for event in self.world.events:
            self.play(event)
        self.apply(self.world.drift)
        self.derive(scores=True)
        self.turn += 1
        self.running = self.turn <= self.world.turns
        self.datacollector.collect(self)

    def play(self, event: Event) -> None:
        """Resolve one event if it fires, and apply the chosen option's effects."""
        if not self.fires(event):
            return
        state = self.state
        available = [o.available is None or bool(o.available(state)) for o in event.options]
        projections = [self._projection(o.projections) for o in event.options]
        choice = decide(Round(self, event, available, projections))
        if choice < 0:
            return
        option = event.options[choice]
        self.fired.add(event.id)
        self.choices[event.id] = option.id
        if option.effects:  # outcomes and scores follow from the state: only a change moves them
            self.apply(option.effects)
            # mid-turn, scores are needed only by expressions that read them
            self.derive(scores=self.world.reads_scores)

    def fires(self, event: Event) -> bool:
        """Whether the event happens this turn: its window, once only unless it repeats,
        its probability, its condition."""
        if not event.first <= self.turn <= event.last:
            return False
        if event.id in self.fired and not event.spec.repeat:
            return False
        state = self.state
        if event.probability is not None:
            chance = event.probability(state)
            if not self.draw(event.id, "fire") < chance:
                return False
        return event.condition is None or bool(event.condition(state))

    def draw(self, event_id: str, *purpose: str) -> float:
        """This game's uniform draw at the site (event, *purpose), this turn."""
        key = draw_key(self.seed, site(event_id, *purpose), self.turn)
        return uniform(key, self.run_hash)

    def _projection(self, expected: Sequence[tuple[str, Expr]]) -> Projection:
        return {dim: _clip(fn(self.state), 100.0) for dim, fn in expected}

    def apply(self, effects: Iterable[tuple[str, Expr]]) -> None:
        """Set each effect's target to its value, every value computed from the state before
        any applies; dimensions stay in 0..100, seat shares in 0..1 and add up to 1."""
        state, seat_fields, facts = self.state, self.world.seat_fields, self.world.facts
        values = {}
        for target, fn in effects:
            value = fn(state)
            if target not in facts:
                value = _clip(float(value), 1.0 if target in seat_fields else 100.0)
            values[target] = value
        state.update(values)
        if not seat_fields.isdisjoint(values):
            self._normalise_seats(values)

    def _normalise_seats(self, changed: Mapping[str, Any]) -> None:
        state = self.state
        for actor in self.actors.values():
            fields = [b.seat_field for b in actor.blocs if b.seat_field]
            if not any(f in changed for f in fields):
                continue
            seats = [state[f] for f in fields]
            total = add_up(seats)
            for f, share in zip(fields, seats):
                state[f] = share / total if total > 0 else 1 / len(fields)

    def derive(self, *, scores: bool) -> None:
        """Recompute the derived outcomes (in declared order) and, if asked, the scores."""
        state = self.state
        if scores:
            for actor_id, actor in self.actors.items():
                state[f"score_{actor_id}"] = actor.score(state)
        for name, fn in self.world.outcomes:
            state[name] = _clip(float(fn(state)), 100.0)


def _clip(value: float, high: float) -> float:
    """Into [0, high], compared in numpy's order (so -0.0 becomes 0.0 as numpy makes it)."""
    return min(high, max(0.0, value))


def _inputs(design: InputDesign | None, run: int) -> dict[str, float]:
    if design is None:
        return {}
    return {name: float(values[0]) for name, values in design.inputs(np.array([run])).items()}


def _results(game: ScalarGame) -> dict[str, Any] | None:
    return game.results()


def play_games(
    scenario: str | Path,
    runs: Iterable[int],
    seed: int = 0,
    design: InputDesign | None = None,
    processes: int = 1,
) -> list[dict[str, Any]]:
    """Play one game per run through `mesa.batch_run`; one row of final results per game,
    with its run index."""
    parameters = {"scenario": str(scenario), "run": list(runs), "design": design}
    rows = seeded_batch_run(ScalarGame, parameters, seed, processes)
    return [{"run": row["run"], **row["results"]} for row in rows]


def seeded_batch_run(
    model: type[mesa.Model], parameters: dict[str, Any], seed: int, processes: int = 1
) -> list[dict[str, Any]]:
    """`mesa.batch_run` with one seed for every model, whichever Mesa this is: Mesa 3.5 hands
    each of its `rng` values to the models as `seed` (replacing a seed among the parameters)
    and deprecates `iterations`; Mesa 3.3 has no `rng` and takes the seed as a parameter."""
    if "rng" in inspect.signature(mesa.batch_run).parameters:
        seeding: dict[str, Any] = {"parameters": parameters, "rng": [seed]}
    else:
        seeding = {"parameters": {**parameters, "seed": seed}}
    return mesa.batch_run(
        model,
        **seeding,
        number_processes=processes,
        data_collection_period=-1,
        display_progress=False,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="madrid-2022")
    parser.add_argument("--games", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    prepared(args.scenario)
    started = time.process_time()
    rows = play_games(args.scenario, range(args.games), args.seed)
    elapsed = time.process_time() - started
    print(f"{len(rows):,} games in {elapsed:.2f} CPU s: {len(rows) / elapsed:,.0f} games/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
