"""A Monte Carlo run, or a saved game, on the game's board, read-only: stepping forward and
back shows the same event card and state as `wargame replay --format text` tells."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from tests.games import facilitated_game
from tests.tui.helpers import screen_name, screen_text, settle
from wargame.tui import play
from wargame.tui.app.app import WargameApp
from wargame.tui.app.board_panel import IndicatorPanel
from wargame.tui.app.history import HistoryScreen
from wargame.tui.app.replay import ReplayScreen
from wargame.tui.cli import main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[App[None]]:
    """The apps the command line would run, kept instead of run."""
    apps: list[App[None]] = []

    def keep(app: App[None]) -> int:
        apps.append(app)
        return 0

    monkeypatch.setattr(play, "_run", keep)
    return apps


def story(capsys: pytest.CaptureFixture[str], *args: str) -> list[list[str]]:
    """`wargame replay ... --format text` as blocks: one per event or turn's end."""
    assert main(["replay", *args]) == 0
    blocks: list[list[str]] = []
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("  ") and not line.startswith("    "):
            blocks.append([line.strip()])
        elif line.startswith("    "):
            blocks[-1].append(line.strip())
    return blocks


async def test_a_monte_carlo_run_shows_the_same_cards_and_state_as_the_text(
    opened: list[App[None]], capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = story(capsys, "madrid-2022", "--seed", "1", "--run", "42")
    assert main(["replay", "madrid-2022", "--seed", "1", "--run", "42", "--tui"]) == 0
    (app,) = opened
    assert isinstance(app, WargameApp) and app.playback is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        steps = len(app.playback.frames) - 1
        assert steps == len(blocks)
        for block in blocks:
            await pilot.press("right")
            await settle(pilot)
            card = screen.query_one("#card", Static).content.plain  # type: ignore[union-attr]
            status = str(screen.query_one("#status", Static).content)
            if block[0].startswith("end of turn: "):
                view = screen.query_one(IndicatorPanel).view
                assert view is not None
                shown = ", ".join(f"{row.name} {row.value:.1f}" for row in view.indicators)
                assert f"end of turn: {shown}" == block[0]
                assert card.startswith("End of turn")
            else:
                title, outcome = block[0].rsplit(": ", 1) if ": " in block[0] else (block[0], "")
                assert title.split(": ")[0] in card and f"→ {outcome}" in card
                lines = [line.strip() for line in card.splitlines()]
                at = lines.index(block[1])  # the account, line for line, in the same order
                assert lines[at : at + len(block) - 1] == block[1:]
            assert "REPLAY" in status and f"step {screen.index}/{steps}" in status
        await pilot.press("right")  # past the end: a bell, nothing else
        await pilot.press("home")
        await settle(pilot)
        assert screen.index == 0
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert app.playback.frames[screen.index].turn == 3
        await pilot.press("left")
        await settle(pilot)
        assert app.playback.frames[screen.index].kind == "turn_end"
        # w lists every event; Enter jumps there
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("home", "enter")
        await settle(pilot)
        assert screen_name(app) == "ReplayScreen"
        assert app.playback.frames[screen.index].resolution is app.playback.resolutions[0]
        await pilot.press("f")
        await settle(pilot)
        assert any("read-only" in n.message for n in app._notifications)


async def test_play_replay_opens_a_saved_game_read_only(
    opened: list[App[None]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save = tmp_path / "class.json"
    game = facilitated_game(save)
    assert main(["play", "--replay", str(save)]) == 0
    (app,) = opened
    assert isinstance(app, WargameApp) and app.playback is not None
    assert [r.to_dict() for r in app.playback.resolutions] == [
        r.to_dict() for r in game.resolutions
    ]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert "class.json" in screen_text(app) and "game over" in screen_text(app)
        await pilot.press("w")
        await settle(pilot)
        text = screen_text(app)
        assert "we had misread the rules of the turn" in text  # the roll-back, kept
    assert main(["play", "--replay", str(save), "--seed", "3"]) == 2
    assert "--seed does not apply" in capsys.readouterr().err


async def test_a_run_from_a_results_file_opens_at_the_same_events_as_the_text(
    opened: list[App[None]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--results r.parquet --run K --tui`: the run as the batch played it, not a fresh seed's."""
    results = tmp_path / "r.parquet"
    runs = ["run", "madrid-2022", "--runs", "40", "--seed", "9", "--sample", "lhs"]
    assert main([*runs, "--out", str(results), "--quiet"]) == 0
    capsys.readouterr()
    blocks = story(capsys, "madrid-2022", "--results", str(results), "--run", "17")
    assert main(["replay", "madrid-2022", "--results", str(results), "--run", "17", "--tui"]) == 0
    (app,) = opened
    assert isinstance(app, WargameApp) and app.playback is not None
    assert app.source == "seed 9, run 17"
    events = [b[0] for b in blocks if not b[0].startswith("end of turn: ")]
    assert len(events) == len(app.playback.resolutions)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        for expected in events:
            await pilot.press("right")
            await settle(pilot)
            while app.playback.frames[screen.index].resolution is None:
                await pilot.press("right")
                await settle(pilot)
            card = screen.query_one("#card", Static).content.plain  # type: ignore[union-attr]
            outcome = expected.rsplit(": ", 1)[-1]
            assert f"→ {outcome}" in card
