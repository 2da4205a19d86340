"""What the board shows at one moment of a game: the date, each indicator with its change
and history, and each actor with its score and stance.

One view for a live game and for a replay stepping through a finished one, built from a
state and the indicators' values at the turn starts before it: the interface draws it and
computes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from wargame.engine.indicators import indicator_names, label
from wargame.engine.model import WargameModel
from wargame.engine.stance import Stance, stance
from wargame.engine.state import State

__all__ = ["ActorRow", "BoardView", "IndicatorRow", "board_view"]

SERIES = 8  # values shown in an indicator's history line


@dataclass(frozen=True)
class IndicatorRow:
    name: str
    label: str
    value: float
    change: float  # since the start of the turn being played, or over the turn just played
    series: tuple[float, ...]  # the last values at turn starts, then now
    outcome: bool  # a derived outcome (what the game is about) rather than an issue


@dataclass(frozen=True)
class ActorRow:
    id: str
    name: str
    human: bool
    score: float
    stance: Stance


@dataclass(frozen=True)
class BoardView:
    title: str
    turn: int  # the turn being played; the last one once the game is over
    turns: int
    date: str  # the half-year of `turn`, or "game over"
    over: bool
    indicators: tuple[IndicatorRow, ...]
    actors: tuple[ActorRow, ...]


def board_view(
    model: WargameModel,
    state: State,
    history: Mapping[str, Sequence[float]],
    humans: Sequence[str],
    mid_turn: bool,
) -> BoardView:
    """The board for run 0 of `state`. `history[name]` holds an indicator's value at the
    start of each turn (index 0: the game's start) at least up to `state`'s turn; `mid_turn`
    says that events of the next turn have been played since its start."""
    scenario = model.world
    over = state.turn >= scenario.turns
    rows = []
    outcomes = {n for n, _ in scenario.outcomes}
    for name in indicator_names(scenario, scores=False):
        now = float(np.ravel(state.fields[name])[0])
        series = [float(v) for v in history[name][: state.turn + 1]]
        if mid_turn or not series:
            series.append(now)
        change = series[-1] - series[-2] if len(series) > 1 else 0.0
        rows.append(
            IndicatorRow(
                name, label(scenario, name), now, change, tuple(series[-SERIES:]), name in outcomes
            )
        )
    actors = tuple(
        ActorRow(
            a.id,
            a.name,
            a.id in humans,
            float(np.ravel(state.fields[f"score_{a.id}"])[0]),
            stance(scenario, model.actors[a.id], state.fields),
        )
        for a in scenario.actors
    )
    turn = min(state.turn + 1, scenario.turns)
    return BoardView(
        scenario.spec.title,
        turn,
        scenario.turns,
        "game over" if over else scenario.date(turn),
        over,
        tuple(rows),
        actors,
    )
