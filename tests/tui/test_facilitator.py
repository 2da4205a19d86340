"""The facilitator from every screen (a team's decision, the pass screen), behind an optional
PIN, with labels rather than ids, every action asking for a reason, and roll-back naming
where it goes back to; Ctrl+C and q ask before quitting."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.tui.helpers import screen_name, screen_text, settle
from wargame.engine.game import Game, GameSetup
from wargame.tui.app.app import WargameApp
from wargame.tui.host.access import access_path


async def test_from_a_decision_the_facilitator_rolls_back_and_the_question_closes(
    tmp_path: Path,
) -> None:
    app = WargameApp(humans=("turkey",), seed=5, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "n")  # Turkey's brief, then play to its first decision
        await settle(pilot)
        assert screen_name(app) == "DecisionScreen"
        game = app.game
        assert game is not None and game.pending is not None
        await pilot.press("f")
        await settle(pilot)
        assert screen_name(app) == "FacilitatorScreen"
        await pilot.press("r")
        await settle(pilot)
        question = screen_text(app)
        assert "Roll back to the start of turn 1 (H2 2022), the game's start." in question
        assert "It undoes" in question
        await pilot.press("enter")  # an empty reason is refused, with a message
        await settle(pilot)
        assert screen_name(app) == "ReasonScreen"
        assert "A reason is needed" in screen_text(app)
        await pilot.press(*"start again", "enter")
        await settle(pilot)
        assert game.journal[-1].reason == "start again" and game.pending is None
        await pilot.press("escape")
        await settle(pilot)
        # Turkey's question belonged to a world that no longer exists: it is gone
        assert screen_name(app) == "BoardScreen"
        assert not game.resolutions and game.turn == 1


async def test_from_the_pass_screen_a_pause_keeps_the_question(tmp_path: Path) -> None:
    app = WargameApp(humans=("turkey", "eu"), seed=5, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "escape", "n")
        await settle(pilot)
        assert screen_name(app) == "PassScreen"
        await pilot.press("f", "p", "escape")
        await settle(pilot)
        assert app.game is not None and app.game.paused
        assert screen_name(app) == "PassScreen"  # still the same question
        await pilot.press("enter")
        await settle(pilot)
        assert screen_name(app) == "DecisionScreen"


async def test_the_override_lists_labels_and_marks_the_result_now(tmp_path: Path) -> None:
    app = WargameApp(humans=(), seed=4, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("f", "o")
        await settle(pilot)
        items = app.screen.query_one(OptionList)
        first = str(items.get_option_at_index(0).prompt)
        assert first == "The 2022 US midterm elections: Republicans win the House"
        await pilot.press("enter")
        await settle(pilot)
        labels = [
            str(app.screen.query_one(OptionList).get_option_at_index(i).prompt) for i in range(2)
        ]
        assert labels == ["Republicans win the House  (the result now)", "Democrats hold the House"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "Override The 2022 US midterm elections to: Democrats hold the House" in (
            screen_text(app)
        )
        await pilot.press(*"a what-if", "enter")
        await settle(pilot)
        redone = next(r for r in app.game.resolutions if r.event == "midterms_2022")
        assert redone.option == "democratic_house" and redone.source == "override"


async def test_a_pin_locks_the_facilitator(tmp_path: Path) -> None:
    app = WargameApp(humans=(), seed=1, save_as=tmp_path / "g.json", facilitator_pin="2468")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert screen_name(app) == "PinScreen"
        await pilot.press(*"1f11", "enter")  # f is typed, it does not open anything
        await settle(pilot)
        assert screen_name(app) == "BoardScreen"
        assert any("wrong PIN" in n.message for n in app._notifications)
        await pilot.press("f", *"2468", "enter")
        await settle(pilot)
        assert screen_name(app) == "FacilitatorScreen"


async def test_a_resumed_game_stays_locked_by_its_pin(tmp_path: Path) -> None:
    """The PIN is kept beside the save as a salted hash (as a hosted game keeps it), never in
    plain text; a resumed game asks for it; a PIN given on resuming replaces it."""
    save = tmp_path / "g.json"
    first = WargameApp(humans=("nato",), seed=1, save_as=save, facilitator_pin="4321")
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert "4321" not in access_path(save).read_text()

    async def unlocks(app: WargameApp, pin: str) -> bool:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            assert screen_name(app) == "PinScreen"
            await pilot.press(*pin, "enter")
            await settle(pilot)
            return screen_name(app) == "FacilitatorScreen"

    assert not await unlocks(WargameApp(game=Game.load(save, autosave_to=save)), "1111")
    assert await unlocks(WargameApp(game=Game.load(save, autosave_to=save)), "4321")
    again = WargameApp(game=Game.load(save, autosave_to=save), facilitator_pin="77")
    assert await unlocks(again, "77")
    assert not await unlocks(WargameApp(game=Game.load(save, autosave_to=save)), "4321")


def test_a_damaged_kept_pin_stops_the_resume_with_how_to_set_a_new_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wargame.tui import play
    from wargame.tui.cli import main

    def opened(app: object) -> int:
        raise AssertionError("the game opened unlocked")

    monkeypatch.setattr(play, "_run", opened)
    save = tmp_path / "g.json"
    Game.start(GameSetup("madrid-2022", 1), save_path=save).autosave()
    access_path(save).write_text("{")
    assert main(["play", "--resume", str(save)]) == 2
    err = capsys.readouterr().err
    assert "is not a game's join codes and facilitator PIN" in err
    assert f"wargame play --resume {save} --facilitator-pin PIN" in err


async def test_setup_sets_a_pin(tmp_path: Path) -> None:
    app = WargameApp(seed=7, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#pin").value = "99"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert screen_name(app) == "PinScreen"


async def test_ctrl_c_and_q_ask_before_quitting_and_q_closes_a_window(tmp_path: Path) -> None:
    app = WargameApp(humans=("nato",), seed=1, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "TextScreen"  # NATO's brief
        await pilot.press("q")
        await settle(pilot)
        assert screen_name(app) == "BoardScreen"
        for key in ("ctrl+c", "q"):
            await pilot.press(key)
            await settle(pilot)
            assert screen_name(app) == "ConfirmScreen"
            await pilot.press("n")
            await settle(pilot)
            assert screen_name(app) == "BoardScreen"
        await pilot.press("ctrl+c", "y")
        await settle(pilot)
    assert app.return_code == 0
