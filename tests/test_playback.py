"""A game recorded step by step: the same events as the game itself, the board's state at every
step, and what a board shows (labels, changes, histories, stances) computed by the engine."""

from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.api import replay_run
from wargame.engine.game import Game, GameSetup
from wargame.engine.indicators import indicator_names, label
from wargame.engine.playback import run_playback
from wargame.engine.scenario import load_scenario


def test_a_monte_carlo_run_plays_back_as_replay_tells_it() -> None:
    scenario = load_scenario("madrid-2022")
    playback = run_playback(scenario, 1, 42)
    model = replay_run(scenario, 1, 42)
    assert [r.to_dict() for r in playback.resolutions] == [r.to_dict() for r in model.resolutions]
    kinds = [f.kind for f in playback.frames]
    assert kinds[0] == "start" and kinds.count("turn_end") == scenario.turns
    assert kinds.count("event") == len(model.resolutions)
    history = model.datacollector.model_vars
    ends = [i for i, f in enumerate(playback.frames) if f.kind == "turn_end"]
    for turn, index in enumerate(ends, start=1):
        board = playback.board(index)
        for row in board.indicators:
            assert row.value == pytest.approx(history[row.name][turn])
            assert row.series[-1] == row.value
            assert row.change == pytest.approx(
                history[row.name][turn] - history[row.name][turn - 1]
            )
    last = playback.board(len(playback.frames) - 1)
    assert last.over and last.date == "game over"


def test_every_event_step_shows_the_state_just_after_it() -> None:
    scenario = load_scenario("pesco-access")
    playback = run_playback(scenario, 3, 5)
    for index, frame in enumerate(playback.frames):
        if frame.resolution is None:
            continue
        board = {row.name: row.value for row in playback.board(index).indicators}
        for name, (_, after) in frame.resolution.changes.items():
            if name in board:
                assert board[name] == pytest.approx(after)
        assert playback.changes(index).keys() >= {
            n for n, (a, b) in frame.resolution.changes.items() if a != b
        }


def test_a_saved_games_playback_ends_where_the_game_stands() -> None:
    game = Game.start(GameSetup("madrid-2022", 7, ()))
    for _ in range(3):
        game.advance()
    playback = game.playback()
    assert [r.to_dict() for r in playback.resolutions] == [r.to_dict() for r in game.resolutions]
    assert playback.board(len(playback.frames) - 1) == game.board()


def test_the_board_speaks_in_the_scenarios_labels_and_one_order() -> None:
    game = Game.start(GameSetup("madrid-2022", 2, ("turkey",)))
    board = game.board()
    scenario = game.scenario
    assert [row.name for row in board.indicators] == indicator_names(scenario, scores=False)
    assert board.indicators[0].name == "unity"  # outcomes first
    burden = next(row for row in board.indicators if row.name == "burden_sharing")
    assert burden.label == "Burden sharing" and burden.outcome
    assert (
        label(scenario, "third_state_access") == "Non-EU allies' access to EU defence initiatives"
    )
    turkey = next(a for a in board.actors if a.id == "turkey")
    assert turkey.human and turkey.name == "Turkey"


def test_an_actors_stance_is_its_largest_blocs_most_salient_issue() -> None:
    game = Game.start(GameSetup("madrid-2022", 2, ()))
    fields = game.model.state.fields
    for row in game.board().actors:
        agent = game.model.actors[row.id]
        seats = [float(np.ravel(w)[0]) for w in agent.seat_weights(fields)]
        member = agent.members[int(np.argmax(seats))]
        weights = {d: float(np.ravel(w)[0]) for d, w in agent.weights(member, fields).items()}
        stance = row.stance
        assert stance.dimension == max(weights, key=weights.__getitem__)
        gap = stance.ideal - stance.value
        expected = "up" if gap > 2 else "down" if gap < -2 else "hold"
        assert stance.direction == expected
        assert stance.value == pytest.approx(float(fields[stance.dimension][0]))
