"""A game recorded moment by moment, so that it can be watched again: forward and back, event
by event, with the state the board showed at each step and the reasons the event card gave.

A `MomentRecorder` is a model observer keeping run 0's state just before and after every
event that happened in it (aligned one to one with the model's `resolutions`). A `Playback`
adds the state after each turn's end, and the indicators' values at the turn starts, so a
read-only board can show any step: a Monte Carlo run replayed alone, or a saved game.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from wargame.engine.board import BoardView, board_view
from wargame.engine.compiled import CompiledEvent, Scenario
from wargame.engine.decisions import Decision, Resolution
from wargame.engine.model import WargameModel
from wargame.engine.preview import ClosedOption, closed_options
from wargame.engine.sampling import Design
from wargame.engine.state import State

if TYPE_CHECKING:
    from wargame.engine.game import Rollback

__all__ = ["Frame", "Moment", "MomentRecorder", "Playback", "record", "run_playback"]


@dataclass(frozen=True)
class Moment:
    """An event as it happened in run 0: the state it resolved in, and the state after."""

    turn: int
    event: str
    before: State
    after: State


class MomentRecorder:
    """Observes a model: keeps a `Moment` for every event that happened in run 0."""

    def __init__(self) -> None:
        self.moments: list[Moment] = []

    def __call__(
        self, event: CompiledEvent, before: State, after: State, choice: np.ndarray
    ) -> None:
        if choice[0] >= 0:
            self.moments.append(Moment(before.turn + 1, event.id, before, after))


@dataclass(frozen=True)
class Frame:
    """One step of a playback: the game's start, an event, or a turn's end."""

    kind: Literal["start", "event", "turn_end"]
    turn: int  # the turn being played (the turn that ended, for a turn's end)
    state: State  # run 0's state after this step
    resolution: Resolution | None = None  # an event's account
    moment: Moment | None = None  # an event's state before and after


class Playback:
    """A played model's frames, and what the board and the event card show at each."""

    def __init__(
        self,
        model: WargameModel,
        frames: Sequence[Frame],
        humans: Sequence[str] = (),
        journal: Sequence[Rollback] = (),
    ) -> None:
        self.model = model
        self.scenario = model.world
        self.frames = list(frames)
        self.humans = tuple(humans)
        self.journal = list(journal)  # a saved game's roll-backs, with their reasons

    @property
    def resolutions(self) -> list[Resolution]:
        return [f.resolution for f in self.frames if f.resolution is not None]

    def board(self, index: int) -> BoardView:
        frame = self.frames[index]
        history = self.model.datacollector.model_vars if self.model.datacollector else {}
        return board_view(self.model, frame.state, history, self.humans, frame.kind == "event")

    def closed(self, resolution: Resolution) -> list[ClosedOption]:
        """The options of the event that their conditions closed when it resolved."""
        for frame in self.frames:
            if frame.resolution is resolution and frame.moment is not None:
                return closed_options(self.scenario.event(resolution.event), frame.moment.before)
        return []

    def changes(self, index: int) -> dict[str, tuple[float, float]]:
        """What step `index` changed in run 0 (for a turn's end: the scenario's drift, and the
        outcomes and scores derived again), as (before, after)."""
        if index == 0:
            return {}
        before, after = self.frames[index - 1].state.fields, self.frames[index].state.fields
        out = {}
        for name, values in after.items():
            old, new = float(np.ravel(before[name])[0]), float(np.ravel(values)[0])
            if old != new:
                out[name] = (old, new)
        return out

    def injection(self, resolution: Resolution) -> Decision | None:
        """The facilitator's injection that made this event happen, if one did."""
        found = self.model.log.find(resolution.turn, resolution.event, "inject")
        return found[0] if found else None

    def index_of(self, resolution: Resolution) -> int:
        return next(i for i, f in enumerate(self.frames) if f.resolution is resolution)


def record(
    model: WargameModel,
    humans: Sequence[str] = (),
    to: tuple[int, int] | None = None,
    journal: Sequence[Rollback] = (),
) -> Playback:
    """Play a fresh batch-of-one `model` to the end (or to event `to[1]` of turn `to[0]`, or
    until a human must decide) and keep every step of it."""
    recorder = MomentRecorder()
    model.observers.append(recorder)
    target = to if to is not None else (model.world.turns + 1, 0)
    frames = [Frame("start", 1, model.state)]
    used = 0
    while (model.turn, model.cursor) < target and not model.done:
        turn = model.turn
        model.play_to(*min((turn + 1, 0), target))
        new = recorder.moments[used:]
        resolutions = model.resolutions[used : used + len(new)]
        used += len(new)
        for moment, resolution in zip(new, resolutions, strict=True):
            frames.append(Frame("event", moment.turn, moment.after, resolution, moment))
        if model.turn > turn:
            frames.append(Frame("turn_end", turn, model.state))
        if model.pending is not None:
            break
    model.observers.remove(recorder)
    return Playback(model, frames, humans, journal)


def run_playback(scenario: Scenario, seed: int, run: int, design: Design | None = None) -> Playback:
    """Run `run` of a batch (its seed and sampling design) played alone, every step kept: the
    same game as `wargame replay` tells."""
    inputs = design.inputs(np.array([run])) if design is not None else None
    return record(WargameModel(scenario, seed=seed, runs=[run], inputs=inputs, explain=True))
