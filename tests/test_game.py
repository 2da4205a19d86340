"""Interactive games: autosave, saves that replay exactly, roll-back, override, inject."""

from __future__ import annotations

import json
from pathlib import Path
from random import Random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.games import answer_first
from wargame.engine.decisions import Decision
from wargame.engine.errors import DecisionError, ReplayError, UsageError, WargameError
from wargame.engine.game import Game, GameSetup, state_digest
from wargame.engine.model import WargameModel
from wargame.engine.scenario import load_scenario


def play_to(game: Game, turn: int) -> None:
    while game.turn < turn and not game.done:
        game.advance()
        while game.pending is not None:
            answer_first(game)
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
        answer_first(game)
        game.advance()
    assert state_digest(game.model) != start_of_turn_3
    with pytest.raises(DecisionError, match="a roll-back needs a reason"):
        game.rollback(" ")
    game.rollback("the class wants to try again")
    assert game.journal[-1].reason == "the class wants to try again"
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
    with pytest.raises(DecisionError, match="an injection needs a reason"):
        game.inject("pesco_access", "")
    game.inject("pesco_access", "the class asks what happens if NATO presses now")
    game.advance()
    assert any(r.event == "pesco_access" and r.turn == 1 for r in game.resolutions)
    assert "pesco_access" not in game.injectable()  # it happens once
    with pytest.raises(DecisionError, match="cannot inject 'midterms_2022'"):
        game.inject("midterms_2022", "why not")  # a scheduled event, not in the deck


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


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A real save of a game two turns in, with human decisions."""
    path = tmp_path_factory.mktemp("saves") / "game.json"
    game = Game.start(GameSetup("madrid-2022", 5, ("turkey",)), save_path=path)
    play_to(game, 3)
    return json.loads(path.read_text())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (("position", "turn"), float("inf"), "position.turn: input should be a valid integer"),
        (("position", "turn"), 10**18, "position.turn: input should be less than or equal to"),
        (("position", "turn"), 99, "is past the end of madrid-2022 (8 turns)"),
        (("position", "cursor"), -1, "position.cursor: input should be greater than or equal"),
        (("position", "pending"), "yes", "position.pending: input should be a valid boolean"),
        (("seed",), "5", "seed: input should be a valid integer (got '5')"),
        (("seed",), -1, "seed: input should be greater than or equal to 0"),
        (("humans",), "turkey", "humans: input should be a valid list"),
        (("temperatures",), {"nato": float("nan")}, "temperatures.nato: input should be a finite"),
        (("decisions",), [{"turn": 1}], "decisions.0.event: field required"),
        (("decisions",), [[1, 2]], "decisions.0: input should be a valid dictionary"),
        (("decisions",), "many", "decisions: input should be a valid list"),
        (("state_sha256",), 0, "state_sha256: input should be a valid string"),
        (("scenario", "sha256"), None, "scenario.sha256: input should be a valid string"),
        (("extra",), 1, "extra: extra inputs are not permitted"),
    ],
)
def test_saves_are_checked_by_their_schema_before_use(
    tmp_path: Path, saved: dict, field: tuple[str, ...], value: object, message: str
) -> None:
    """A turn of Infinity gave OverflowError; wrong types gave TypeError tracebacks."""
    data = json.loads(json.dumps(saved))
    target = data
    for part in field[:-1]:
        target = target[part]
    target[field[-1]] = value
    path = tmp_path / "save.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ReplayError) as caught:
        Game.load(path)
    assert str(caught.value).startswith(f"{path} is damaged: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(("from_turn", "to_turn"), [(9, 9), (3, 4), (9, 12)])
def test_an_impossible_roll_back_is_refused_as_damaged(
    tmp_path: Path, saved: dict, from_turn: int, to_turn: int
) -> None:
    """A report once said "back to the start of turn 9" of an 8-turn game."""
    data = json.loads(json.dumps(saved))
    data["journal"] = [{"from_turn": from_turn, "to_turn": to_turn, "reason": "edited"}]
    path = tmp_path / "save.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ReplayError) as caught:
        Game.load(path)
    assert str(caught.value) == (
        f"{path} is damaged: journal.0: a roll-back from turn {from_turn} back to the start "
        f"of turn {to_turn} cannot happen in madrid-2022 (8 turns)"
    )
    data["journal"] = [{"from_turn": 9, "to_turn": 8, "reason": "fine"}]
    path.write_text(json.dumps(data))
    assert Game.load(path).journal[0].to_turn == 8


def test_a_paused_game_comes_back_paused(tmp_path: Path) -> None:
    """The facilitator pauses, the laptop dies: the resumed game is still paused."""
    save = tmp_path / "game.json"
    game = Game.start(GameSetup("madrid-2022", 5), save_path=save)
    game.advance()
    game.facilitate("pause")
    loaded = Game.load(save)
    assert loaded.paused
    with pytest.raises(DecisionError, match="the game is paused"):
        loaded.advance()
    game.facilitate("resume")
    assert not Game.load(save).paused


def test_save_files_that_are_not_files(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (17 << 20))
    for path, reason in [
        (fifo, "it is a named pipe (FIFO), not a file"),
        (Path("/dev/zero"), "it is a device, not a file"),
        (tmp_path, "it is a folder, not a file"),
        (big, "it is larger than 16,777,216 bytes (the limit)"),
    ]:
        with pytest.raises(ReplayError) as caught:
            Game.load(path)
        assert str(caught.value) == (
            f"{path} is not a readable save file (damaged?): cannot read it: {reason}"
        )


def test_a_failed_autosave_does_not_stop_the_game(tmp_path: Path) -> None:
    """The disk fills or the folder goes: the game goes on and says it is not saved."""
    folder = tmp_path / "saves"
    game = Game.start(GameSetup("madrid-2022", 5), save_path=folder / "game.json")
    game.autosave()
    assert game.save_problem is None
    (folder / "game.json").unlink()
    folder.rmdir()
    folder.write_text("now a file")
    game.advance()
    assert game.turn == 2
    assert game.save_problem is not None
    assert game.save_problem.startswith(f"cannot save the game to {folder / 'game.json'}: ")
    folder.unlink()
    game.advance()
    assert game.save_problem is None and Game.load(folder / "game.json").turn == 3


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
    answer_first(game)
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
            game.inject(picks.choice(game.injectable()), "the class asked for it")
        elif action == "rollback":
            game.rollback("the class tries again")
        elif game.pending is None:
            game.advance()
        else:
            continue
        loaded = Game.load(save)
        assert loaded.position == game.position
        assert loaded.decisions == game.decisions
        assert loaded.journal == game.journal
        assert state_digest(loaded.model) == state_digest(game.model)


def test_text_in_a_save_may_not_hold_control_characters(tmp_path: Path, saved: dict) -> None:
    """A reason or an id reaches the screen when the game is shown: no escape sequences."""
    data = json.loads(json.dumps(saved))
    data["decisions"].append({"turn": 1, "event": "x", "kind": "override", "reason": "\x1b[2J"})
    path = tmp_path / "save.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ReplayError) as caught:
        Game.load(path)
    assert "reason: text may not hold control characters (found \\x1b)" in str(caught.value)
    assert "\x1b" not in str(caught.value)


def test_a_batch_has_no_history_and_says_so() -> None:
    """`Game.history` reads Mesa's DataCollector, which only a batch of one keeps: given a
    batch's model it refuses clearly instead of failing on None."""
    scenario = load_scenario("madrid-2022")
    batch = WargameModel(scenario, seed=1, runs=4, explain=False)
    game = Game(scenario, GameSetup("madrid-2022", 1), model=batch)
    with pytest.raises(UsageError, match="no history"):
        game.history("unity")
