"""The Mesa model: a batch of runs of one scenario, one turn per `step()`.

The model owns the batched State and the actors (Mesa agents built once from their
profiles); `step()` only coordinates: each event of the turn in order, then the
turn's end. A batch of one is an interactive game: it records why every event went
as it did, collects the indicators with Mesa's DataCollector, and waits (returns
with `pending` set) when a human actor has to decide. A Monte Carlo reuses one model
for every chunk through `load`, since Mesa 3.3 keeps every model it ever built
alive (Mesa issue 3179).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial

import mesa
import numpy as np

from wargame.actors.agents import ActorAgent
from wargame.engine.behaviour import BehaviourTally
from wargame.engine.compiled import CompiledEvent, Scenario
from wargame.engine.decisions import Decision, DecisionLog, DecisionRequest, Resolution
from wargame.engine.errors import DecisionError, NeedDecision, expected_one_of
from wargame.engine.state import State, initial_choices, initial_fields
from wargame.engine.turn import derive, end_turn, resolve_event

__all__ = ["WargameModel"]


class WargameModel(mesa.Model):
    """A scenario played on a batch of runs (a batch of one is an interactive game)."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int = 0,
        runs: int | Iterable[int] = 1,
        humans: Iterable[str] = (),
        decisions: Iterable[Decision] = (),
        temperatures: Mapping[str, float] | None = None,
        inputs: Mapping[str, np.ndarray | float] | None = None,
        explain: bool | None = None,
        every_turn: bool = True,
    ) -> None:
        # Mesa's own generators exist but are never drawn from: every draw is counter-based.
        super().__init__(rng=seed)
        # `world`, not `scenario`: Mesa 3.5's Model already has a `scenario` property.
        self.world = scenario
        self.seed = int(seed)
        self.humans = frozenset(humans)
        temperatures = dict(temperatures or {})
        actor_ids = [a.id for a in scenario.actors]
        for name in [*self.humans, *temperatures]:
            if name not in actor_ids:
                raise DecisionError(f"unknown actor {expected_one_of(name, actor_ids)}")
        self.actors: dict[str, ActorAgent] = {
            p.id: ActorAgent(self, p, temperatures.get(p.id)) for p in scenario.actors
        }
        self.log = DecisionLog(decisions)
        # called after every event as observer(event, state_before, state_after, choice)
        self.observers: list[Callable[[CompiledEvent, State, State, np.ndarray], None]] = []
        # counts every AI decision when set (`wargame behaviour`)
        self.tally: BehaviourTally | None = None
        # whether the state after every turn is looked at (its outcomes and scores computed);
        # a batch that keeps only its final state sets it False
        self.every_turn = every_turn
        self._explain = explain
        self.load(runs, inputs)

    # -- setting up a batch ------------------------------------------------------------

    def load(
        self, runs: int | Iterable[int], inputs: Mapping[str, np.ndarray | float] | None = None
    ) -> None:
        """Start these runs (a count, or global run indices) from the scenario's beginning.

        `inputs` sets parameters and initial dimension values, per run or for all runs.
        """
        if isinstance(runs, int | np.integer):
            index = np.arange(runs, dtype=np.int64)
        elif isinstance(runs, np.ndarray):
            index = runs.astype(np.int64)
        else:
            index = np.fromiter(runs, dtype=np.int64)
        fields = initial_fields(self.world, len(index), inputs)
        fired, choices = initial_choices(self.world, len(index))
        self.explain = self._explain if self._explain is not None else len(index) == 1
        # outcomes and scores from the start only if someone looks or an event reads them;
        # otherwise the last turn's end computes them (from the same fields: same values)
        watched = self.looked_at
        self.state = derive(
            self.world,
            State(index, 0, fields, fired, choices),
            self.actors,
            scores=watched or self.world.reads_scores,
            outcomes=watched or self.world.reads_outcomes,
        )
        self.cursor = 0  # next event of the current turn
        self.pending: DecisionRequest | None = None
        self.resolutions: list[Resolution] = []
        self.running = True
        self.datacollector = (
            mesa.DataCollector(model_reporters=self._reporters()) if self.explain else None
        )
        if self.datacollector is not None:
            self.datacollector.collect(self)

    def _reporters(self) -> dict[str, partial[float]]:
        return {name: partial(_indicator, name) for name in self.indicators()}

    def indicators(self) -> list[str]:
        """What a player sees each turn: the issue dimensions, outcomes and actor scores."""
        return [
            *self.world.dimensions,
            *(n for n, _ in self.world.outcomes),
            *(f"score_{a}" for a in self.actors),
        ]

    # -- playing -------------------------------------------------------------------------

    @property
    def looked_at(self) -> bool:
        """Whether anyone looks at the state between turns (not only at the game's end)."""
        return self.every_turn or self.explain or bool(self.observers)

    @property
    def turn(self) -> int:
        """The turn being played (1-based); past the last turn once the game is over."""
        return self.state.turn + 1

    @property
    def done(self) -> bool:
        return self.state.turn >= self.world.turns

    def step(self) -> None:
        """Play the rest of the current turn, or up to the next decision a human must make."""
        if self.done:
            self.running = False
            return
        self.pending = None
        turn = self.turn
        while self.turn == turn and self.pending is None:
            self._play_next()

    def play_to(self, turn: int, cursor: int = 0) -> None:
        """Play on until event `cursor` of `turn` is next, or until a human must decide first.

        A save records such a position: replaying its decisions to it gives its state again.
        """
        self.pending = None
        while (self.turn, self.cursor) < (turn, cursor) and not self.done:
            self._play_next()
            if self.pending is not None:
                return

    def _play_next(self) -> None:
        """Resolve the event at the cursor (or wait for a human on it), or end the turn."""
        events = self.world.events
        if self.cursor == len(events):
            last = self.state.turn + 1 >= self.world.turns
            derived = self.looked_at or last
            self.state = end_turn(self.world, self.state, self.actors, derived=derived)
            self.cursor = 0
            if self.datacollector is not None:
                self.datacollector.collect(self)
            self.running = not self.done
            return
        event = events[self.cursor]
        before = self.state
        try:
            self.state, choice, resolution = resolve_event(
                self.world,
                event,
                self.state,
                turn=self.turn,
                seed=self.seed,
                agents=self.actors,
                humans=self.humans,
                log=self.log,
                explain=self.explain,
                tally=self.tally,
                watched=bool(self.observers),
            )
        except NeedDecision as need:
            self.pending = need.request
            self.running = False  # Mesa's run_model() returns: a human has to decide first
            return
        if resolution is not None and resolution.fired:
            self.resolutions.append(resolution)
        for observer in self.observers:
            observer(event, before, self.state, choice)
        self.cursor += 1

    def run(self) -> State:
        """Play to the end; every human decision must already be in the log."""
        while not self.done:
            self.step()
            if self.pending is not None:
                raise DecisionError(
                    f"turn {self.pending.turn}, {self.pending.event}: no decision from "
                    f"{self.pending.actor} ({self.pending.role}) in the log"
                )
        self.running = False
        return self.state

    def submit(self, decision: Decision) -> None:
        """Add an outside decision; the next `step()` takes it into account."""
        if decision.event not in {e.id for e in self.world.events}:
            known = [e.id for e in self.world.events]
            raise DecisionError(f"unknown event {expected_one_of(decision.event, known)}")
        if decision.kind == "choice" and self.pending is not None:
            p = self.pending
            if (decision.turn, decision.event, decision.actor, decision.role) != (
                p.turn,
                p.event,
                p.actor,
                p.role,
            ):
                raise DecisionError(
                    f"waiting for {p.actor} ({p.role}) on {p.event} in turn {p.turn}, "
                    f"not {decision.actor} ({decision.role}) on {decision.event}"
                )
            chosen = decision.accepts if p.role == "veto" else (decision.option,)
            for option in chosen or ():
                if option not in p.options:
                    raise DecisionError(
                        f"{option!r} is not open to {p.actor} {expected_one_of(option, p.options)}"
                    )
            self.pending = None  # answered: the next step() goes on from here
        self.log.add(decision)
        self.running = not self.done


def _indicator(name: str, model: WargameModel) -> float:
    """A DataCollector model reporter: one indicator's value in run 0."""
    return float(model.state.fields[name][0])
