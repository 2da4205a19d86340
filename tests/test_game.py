"""Interactive games: autosave, saves that replay exactly, roll-back, override, inject."""

from __future__ import annotations

import json
from pathlib import Path
from random import Random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.decisions import Decision
from engine.errors import DecisionError, ReplayError, WargameError
from engine.game import Game, GameSetup, state_digest


def answer(game: Game) -> None:
    """A human who always takes the first option open to it (and accepts everything)."""
    p = game.pending
    assert p is not None
    game.decide(
        Decision(
            p.turn,
            p.event,
            actor=p.actor,
            role=p.role,
            option=p.options[0],
            accepts=p.options if p.role == "veto" else None,
        )
    )


def play_to(game: Game, turn: int) -> None:
    while game.turn < turn and not game.done:
        game.advance()
        while game.pending is not None:
            answer(game)
            game.advance()


def test_a_save_replays_to_the_same_state(tmp_path: Path) -> None:
    """Kill a game at any point: its autosave loads back to exactly the same state."""
    save = tmp_path / "game.json"
    game = Game.start(GameSetup("madrid-2022", 5, ("turkey", "us_congress")), save_path=save)
    play_to(game, 4)
    game.advance()  # stop mid-turn if a human is asked
    loaded = Game.load(save)
    assert state_digest(loaded.model) == state_digest(game.model)
    assert (loaded.turn, loaded.pending) == (game.turn, game.pending)
    assert loaded.decisions == game.decisions
    play_to(game, 9)
    play_to(loaded, 9)
    assert state_digest(loaded.model) == state_digest(game.model)


def test_roll_back_to_the_start_of_the_turn(tmp_path: Path) -> None:
    game = Game.start(GameSetup("madrid-2022", 2, ("eu",)))
    play_to(game, 3)
    start_of_turn_3 = state_digest(game.model)
    game.advance()
    if game.pending is not None:
        answer(game)
        game.advance()
    assert state_digest(game.model) != start_of_turn_3
    game.rollback()
    assert game.turn == 3 and game.pending is None
    assert state_digest(game.model) == start_of_turn_3
    assert all(d.turn < 3 for d in game.decisions)


def test_an_override_replays_the_turn_with_a_logged_reason() -> None:
    game = Game.start(GameSetup("madrid-2022", 4))
    game.advance()  # turn 1, all AI
    midterms = next(r for r in game.overridable() if r.event == "midterms_2022")
    other = next(o for o in game.scenario.event("midterms_2022").option_ids if o != midterms.option)
    with pytest.raises(DecisionError, match="needs a reason"):
        game.override("midterms_2022", other, " ")
    game.override("midterms_2022", other, "the class wants the other House")
    redone = next(r for r in game.resolutions if r.event == "midterms_2022")
    assert redone.option == other and redone.source == "override"
    assert "facilitator override: the class wants the other House" in redone.notes
    assert game.turn == 2
    with pytest.raises(DecisionError, match="has not just happened"):
        game.override("election_2024", "restraint", "too early")


def test_injecting_a_deck_event_makes_it_happen_now() -> None:
    game = Game.start(GameSetup("madrid-2022", 8))
    assert "pesco_access" in game.injectable()
    game.inject("pesco_access")
    game.advance()
    assert any(r.event == "pesco_access" and r.turn == 1 for r in game.resolutions)
    assert "pesco_access" not in game.injectable()  # it happens once
    with pytest.raises(DecisionError, match="cannot inject 'midterms_2022'"):
        game.inject("midterms_2022")  # a scheduled event, not in the deck


def test_a_paused_game_does_not_advance() -> None:
    game = Game.start(GameSetup("madrid-2022", 1))
    game.paused = True
    with pytest.raises(WargameError, match="paused"):
        game.advance()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not a readable save file"),
        ('{"format": "something-else"}', "is not a wargame save"),
        ('{"format": "wargame-save", "version": 99}', "version 99 save"),
        ('{"format": "wargame-save", "version": 1, "scenario": {}}', "is damaged"),
    ],
)
def test_damaged_or_foreign_saves_get_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "save.json"
    path.write_text(content)
    with pytest.raises(ReplayError, match=message):
        Game.load(path)


def test_a_tampered_save_does_not_replay(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    game = Game.start(GameSetup("madrid-2022", 5, ("turkey",)), save_path=save)
    play_to(game, 3)
    data = json.loads(save.read_text())
    data["seed"] = 6
    save.write_text(json.dumps(data))
    with pytest.raises(ReplayError, match="does not replay to the state it recorded"):
        Game.load(save)
    data["seed"], data["scenario"]["sha256"] = 5, "0" * 64
    save.write_text(json.dumps(data))
    with pytest.raises(ReplayError, match="another version of 'madrid-2022'"):
        Game.load(save)


def test_a_decision_just_made_survives_a_crash(tmp_path: Path) -> None:
    """The autosave written right after a human decides (mid-turn, nothing resolved yet)
    loads back to that very position: killing the game there loses nothing."""
    save = tmp_path / "game.json"
    game = Game.start(GameSetup("madrid-2022", 3, ("turkey", "us_congress", "eu")), save_path=save)
    while game.pending is None:
        game.advance()
    answer(game)
    assert game.pending is None and game.model.cursor > 0
    loaded = Game.load(save)
    assert loaded.position == game.position
    assert state_digest(loaded.model) == state_digest(game.model)
    game.advance()
    loaded.advance()
    assert state_digest(loaded.model) == state_digest(game.model)


ACTIONS = ("advance", "decide", "override", "inject", "rollback")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=30),
    picks=st.randoms(use_true_random=False),
)
def test_every_autosave_loads_at_its_position(
    tmp_path_factory: pytest.TempPathFactory, seed: int, actions: list[str], picks: Random
) -> None:
    """Whatever a class does (play, decide, override, inject, roll back), the save written
    after it loads, replays to the same position and state, and plays on identically."""
    save = tmp_path_factory.mktemp("saves") / "game.json"
    game = Game.start(GameSetup("madrid-2022", seed, ("turkey", "us_congress")), save_path=save)
    for action in actions:
        if game.done:
            break
        if action == "decide" and game.pending is not None:
            p = game.pending
            option = picks.choice(p.options)
            accepts = tuple(o for o in p.options if picks.random() < 0.5)
            game.decide(
                Decision(
                    p.turn,
                    p.event,
                    actor=p.actor,
                    role=p.role,
                    option=option,
                    accepts=accepts if p.role == "veto" else None,
                )
            )
        elif action == "override" and game.overridable():
            happened = picks.choice(game.overridable())
            option = picks.choice(game.scenario.event(happened.event).option_ids)
            game.override(happened.event, option, "the class chose so")
        elif action == "inject" and game.injectable():
            game.inject(picks.choice(game.injectable()))
        elif action == "rollback":
            game.rollback()
        elif game.pending is None:
            game.advance()
        else:
            continue
        loaded = Game.load(save)
        assert loaded.position == game.position
        assert loaded.decisions == game.decisions
        assert state_digest(loaded.model) == state_digest(game.model)
