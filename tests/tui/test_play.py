"""The Textual game played with the keyboard alone, to the debrief, at 80x24 and larger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui.helpers import play_to_the_end, screen_name, screen_text, settle
from wargame.engine.game import Game, state_digest
from wargame.tui.app.app import WargameApp
from wargame.tui.app.palette import palette_of


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_one_human_plays_the_baseline_to_the_debrief(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    save = tmp_path / "game.json"
    app = WargameApp(humans=("turkey",), seed=5, save_as=save)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert screen_name(app) == "TextScreen"  # Turkey's role brief comes first
        seen = await play_to_the_end(pilot)
        assert "DecisionScreen" in seen and "BoardScreen" in seen
        game = app.game
        assert game is not None and game.done
        assert any(d.actor == "turkey" for d in game.decisions)
        assert all(
            r.source == "human" for r in game.resolutions if r.event == "accession" and r.turn == 1
        )
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Debrief" in text and str(save) in text
    loaded = Game.load(save)
    assert state_digest(loaded.model) == state_digest(game.model)


async def test_teams_decide_the_same_event_in_turn_with_hidden_choices(
    tmp_path: Path,
) -> None:
    """NATO and the US Administration decide the posture together, weighted by capability;
    with the EU as a third team, each team gets the screen in turn, behind a pass screen, and
    the board shows nothing until both posture deciders have decided."""
    app = WargameApp(
        humans=("nato", "us_administration", "eu"), seed=3, save_as=tmp_path / "g.json"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        posture_deciders = []

        def watch(name: str, app: WargameApp) -> None:
            pending = app.game.pending
            if name == "DecisionScreen" and app.screen.request.event == "posture_choice":
                posture_deciders.append(app.screen.request.actor)
            if name == "PassScreen" and pending and pending.event == "posture_choice":
                # the choices so far are hidden: nothing about the event is on the board yet
                assert not any(r.event == "posture_choice" for r in app.game.resolutions)

        await play_to_the_end(pilot, watch=watch)
        assert screen_name(app) == "DebriefScreen"
        assert posture_deciders == ["nato", "us_administration"]
        posture = next(r for r in app.game.resolutions if r.event == "posture_choice")
        assert posture.source == "human"
        assert set(posture.votes) == {"nato", "us_administration"}


async def test_the_facilitator_pauses_overrides_rolls_back_and_injects(tmp_path: Path) -> None:
    app = WargameApp(humans=(), seed=4, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # turn 1, all AI
        await settle(pilot)
        game = app.game
        assert game.turn == 2
        # pause: play does not go on
        await pilot.press("f", "p", "escape")
        await settle(pilot)
        assert game.paused
        await pilot.press("n")
        await settle(pilot)
        assert game.turn == 2
        await pilot.press("f", "p")
        await settle(pilot)
        # override the midterms (the first event of turn 1) with a reason
        before = next(r for r in game.resolutions if r.event == "midterms_2022").option
        await pilot.press("o", "enter")  # the first event in the list: the midterms
        await settle(pilot)
        options = game.scenario.event("midterms_2022").option_ids
        target = next(o for o in options if o != before)
        await pilot.press(*(["down"] * options.index(target)), "enter")
        await settle(pilot)
        await pilot.press(*"the class chose", "enter")
        await settle(pilot)
        redone = next(r for r in app.game.resolutions if r.event == "midterms_2022")
        assert redone.option == target and redone.source == "override"
        # roll back to the start of turn 1 (we stand at the start of turn 2): an empty reason
        # is refused, a reason is logged
        await pilot.press("r", "enter")
        await settle(pilot)
        assert app.game.turn == 2
        await pilot.press(*"try again", "enter")
        await settle(pilot)
        assert app.game.turn == 1 and not app.game.resolutions
        assert app.game.journal[-1].reason == "try again"
        # inject the first deck event now, with a reason
        await pilot.press("i", "enter", *"what if", "enter", "escape")
        await settle(pilot)
        injected = app.game.decisions[-1]
        assert injected.kind == "inject" and injected.turn == 1
        assert injected.reason == "what if"
        await pilot.press("n")
        await settle(pilot)
        assert any(r.event == injected.event for r in app.game.resolutions)


async def test_quitting_asks_first(tmp_path: Path) -> None:
    app = WargameApp(humans=(), seed=1, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert screen_name(app) == "ConfirmScreen"
        await pilot.press("n")
        await settle(pilot)
        assert screen_name(app) == "BoardScreen"
        await pilot.press("ctrl+q", "y")
        await settle(pilot)
    assert app.return_code == 0


async def test_setup_screen_starts_the_chosen_game(tmp_path: Path) -> None:
    app = WargameApp(seed=77, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "SetupScreen"
        app.screen.query_one("#human-eu").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.game.setup.humans == ("eu",) and app.game.setup.seed == 77
        assert screen_name(app) == "TextScreen"  # the EU's brief


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("#temp-us_congress", "1e999", "US Congress's AI noise: input should be a finite number"),
        ("#temp-eu", "-0.5", "AI noise: input should be greater than or equal to 0"),
        ("#seed", "99999999999999999999999999", "the seed: input should be less than"),
        ("#seed", "²", "the seed: expected a whole number"),
    ],
)
async def test_setup_refuses_what_the_save_could_not_be_resumed_with(
    tmp_path: Path, field: str, text: str, problem: str
) -> None:
    """A value the save loader would refuse never starts a game: the class's game would be
    played, then lost on resume."""
    app = WargameApp(seed=77, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one(field).value = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen_name(app) == "SetupScreen" and app.game is None
        assert any(problem in n.message for n in app._notifications)
        assert not (tmp_path / "g.json").exists()


async def test_setup_takes_the_largest_seed_a_save_holds_and_shows_it_whole(
    tmp_path: Path,
) -> None:
    app = WargameApp(seed=77, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#seed").value = str(2**64 - 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # no brief: every actor is the AI
        await settle(pilot)
        assert screen_name(app) == "BoardScreen"
        status = app.screen.query_one("#status")
        line = "".join(s.text for s in status.render_lines(status.region.reset_offset)[0])
        assert f"seed {2**64 - 1}" in line
    assert Game.load(tmp_path / "g.json").setup.seed == 2**64 - 1


def test_a_new_game_says_how_to_resume_the_unfinished_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a crash, plain `wargame play` opens a new game's setup: it says that an
    unfinished game is saved, and the command that resumes it, before a new game becomes the
    one `--resume` takes."""
    from wargame.engine.game import GameSetup
    from wargame.tui import play
    from wargame.tui.cli import main

    opened: list[WargameApp] = []
    monkeypatch.setattr(play, "_run", lambda app: opened.append(app) or 0)
    saves = tmp_path / "my saves"
    crashed = saves / "crashed.json"
    game = Game.start(GameSetup("madrid-2022", 3), save_path=crashed)
    game.advance()
    assert main(["play", "--saves", str(saves)]) == 0
    command = f"wargame play --resume '{crashed}'"
    assert command in capsys.readouterr().err
    assert opened[-1].notice is not None and command in opened[-1].notice
    while not game.done:  # played to its end, it is no longer mentioned
        game.advance()
    assert main(["play", "--saves", str(saves)]) == 0
    assert capsys.readouterr().err == "" and opened[-1].notice is None


async def test_the_setup_screen_shows_the_notice(tmp_path: Path) -> None:
    app = WargameApp(seed=77, save_as=tmp_path / "g.json", notice="An unfinished game is saved")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "SetupScreen"
        assert any("An unfinished game" in n.message for n in app._notifications)


def test_a_damaged_save_gets_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.engine.game import Game, GameSetup
    from wargame.tui.cli import main

    bad = tmp_path / "save.json"
    bad.write_text('{"format": "wargame-save", "version": 1, "scenario": {"ref": "nowhere-2030"}}')
    assert main(["play", "--resume", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "save.json is damaged: engine_version: field required and 8 more" in err
    assert "Traceback" not in err
    elsewhere = Game.start(GameSetup("madrid-2022", 1)).to_save()
    elsewhere["scenario"]["ref"] = "nowhere-2030"
    bad.write_text(json.dumps(elsewhere))
    assert main(["play", "--resume", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "was played on 'nowhere-2030', which is not here" in err and "Traceback" not in err
    assert main(["play", "--human", "turky"]) == 2
    assert "did you mean 'turkey'?" in capsys.readouterr().err


async def test_a_save_folder_that_fails_mid_game_is_shown_not_a_crash(tmp_path: Path) -> None:
    """The saves folder disappears (a USB stick pulled, a full disk): the board says NOT
    SAVED and the game goes on; once the folder is back the next event saves again."""
    folder = tmp_path / "saves"
    app = WargameApp(humans=(), seed=5, save_as=folder / "game.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert (folder / "game.json").exists()
        (folder / "game.json").unlink()
        folder.rmdir()
        folder.write_text("a file where the folder was")
        await pilot.press("n")
        await settle(pilot)
        assert app.game is not None and app.game.turn == 2
        status = str(app.screen.query_one("#status").render())
        assert "NOT SAVED" in status
        assert any("cannot save the game to" in n.message for n in app._notifications)
        folder.unlink()
        await pilot.press("n")
        await settle(pilot)
        assert "NOT SAVED" not in str(app.screen.query_one("#status").render())
    assert Game.load(folder / "game.json").turn == 3


async def test_a_closed_option_is_listed_greyed_with_what_closes_it(tmp_path: Path) -> None:
    """The EU deciding military mobility funding sees air defence of bases too: not open while
    the bases are not permanent, and greyed, with that condition."""
    app = WargameApp(humans=("eu",), seed=1, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        for _ in range(40):
            pending = app.game.pending if app.game else None
            if pending is not None and pending.event == "mobility_funding":
                break
            await pilot.press(*(("1", "enter") if screen_name(app) == "DecisionScreen" else "n"))
            await settle(pilot)
        assert screen_name(app) == "DecisionScreen"
        text = screen_text(app)
        assert "Not open now:" in text
        closing = "✗ Fund mobility with air and missile defence of bases: open only when"
        assert closing in text and "posture_decision == 'permanent'" in text
        assert "air_defence" not in text  # labels, not ids
        # greyed: drawn in the palette's colour for what is closed
        palette = palette_of(app.screen)
        body = next(w.content for w in app.screen.query(Static) if "Not open now" in str(w.content))
        at = body.plain.index("✗ Fund mobility")
        assert any(
            span.start <= at < span.end and span.style == palette.closed for span in body.spans
        )
        # pressing its would-be number picks nothing: only the three open options count
        await pilot.press("4", "enter")
        await settle(pilot)
        assert screen_name(app) == "DecisionScreen"


def _offered(app: WargameApp) -> set[str]:
    """The actions the footer offers on the current screen."""
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}


async def test_the_setup_offers_only_keys_that_act_and_a_second_quit_quits(
    tmp_path: Path,
) -> None:
    """`w` and `f` were in the setup's footer and did nothing (there is no game yet); Ctrl+Q
    did nothing once its question was on screen, though the help says it quits."""
    app = WargameApp(seed=77, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "SetupScreen"
        assert not {"history", "facilitator"} & _offered(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # the first brief
        await settle(pilot)
        assert {"history", "facilitator"} <= _offered(app)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert screen_name(app) == "ConfirmScreen"
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


def test_the_help_wraps_each_key_under_its_own_description() -> None:
    """At 80x24 the help's text block wrapped its long lines back to the left edge, under
    the keys (`roll back,` alone on a line)."""
    import io

    from rich.console import Console

    from wargame.tui.app.dialogs import help_text

    console = Console(width=76, file=io.StringIO(), record=True, color_system=None)
    console.print(help_text())
    lines = console.export_text().splitlines()
    keys = lines[1 : lines.index("")]
    shown = ["n or space", "1-9", "w", "b", "f", "r", "← →", "?", "Escape, q", "Ctrl+Q"]
    indent = keys[0].index("play on")
    assert len(keys) > len(shown)  # some descriptions wrapped
    for line in keys:
        if line.startswith(" "):  # a description goes on under itself
            assert line[:indent].isspace() and not line[indent].isspace(), line
        else:
            assert any(line.startswith(f"{key}  ") for key in shown), line
