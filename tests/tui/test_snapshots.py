"""SVG snapshots of the screens people look at, at 80x24 (Textual pinned in the test extra).

After a deliberate change: `pytest tests/tui/test_snapshots.py --snapshot-update`, then
look at every changed SVG before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.helpers import play_to_the_end, settle
from wargame.engine.playback import run_playback
from wargame.engine.scenario import load_scenario
from wargame.tui.app.app import WargameApp

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves go to a relative path, so that the debrief shows the same text every run."""
    monkeypatch.chdir(tmp_path)


def app(humans: tuple[str, ...] | None = (), seed: int | None = 5) -> WargameApp:
    return WargameApp(humans=humans, seed=seed, save_as=Path("snapshot-game.json"))


def keys(*pressed: str, rounds: int = 1):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for _ in range(rounds):
            await pilot.press(*pressed)
            await settle(pilot)

    return run_before


def test_setup_screen(snap_compare) -> None:
    assert snap_compare(app(humans=None, seed=77), terminal_size=SIZE, run_before=keys())


def test_board_at_the_start(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=keys())


def test_decision_screen(snap_compare) -> None:
    assert snap_compare(app(humans=("turkey",)), terminal_size=SIZE, run_before=keys("escape", "n"))


def test_resolution_on_the_board(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=keys("n"))


def test_debrief_screen(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=keys("n", rounds=9))


# The screens issue 11 added: the history browser, a replay, the facilitator's questions, the
# PIN, a decision with closed options greyed, and the debrief with its comparison.


def test_history_screen(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=keys("n", "n", "w"))


def test_facilitator_menu(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=keys("n", "f"))


def test_rollback_asks_for_a_reason(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=keys("n", "n", "f", "r"))


def test_pin_screen(snap_compare) -> None:
    locked = WargameApp(
        humans=(), seed=5, save_as=Path("snapshot-game.json"), facilitator_pin="2468"
    )
    assert snap_compare(locked, terminal_size=SIZE, run_before=keys("f"))


def test_decision_with_closed_options(snap_compare) -> None:
    """The EU funds military mobility; air defence is listed greyed, with what closes it."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("escape")  # the EU's brief
        await settle(pilot)
        for _ in range(40):
            game = pilot.app.game  # type: ignore[attr-defined]
            if game.pending is not None and game.pending.event == "mobility_funding":
                return
            if type(pilot.app.screen).__name__ == "DecisionScreen":
                await pilot.press("1", "enter")
            else:
                await pilot.press("n")
            await settle(pilot)
        raise AssertionError("the EU was never asked to fund military mobility")

    assert snap_compare(app(humans=("eu",), seed=1), terminal_size=SIZE, run_before=run_before)


def test_replay_screen(snap_compare) -> None:
    playback = run_playback(load_scenario("madrid-2022"), 1, 42)
    watched = WargameApp(playback=playback, source="seed 1, run 42")
    assert snap_compare(watched, terminal_size=SIZE, run_before=keys("right", rounds=3))


def test_debrief_of_two_teams_scrolled_to_the_branches(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await play_to_the_end(pilot)
        pilot.app.screen.query_one("#branches").scroll_visible(animate=False, top=True)
        await settle(pilot)

    two = app(humans=("turkey", "eu"), seed=5)
    assert snap_compare(two, terminal_size=SIZE, run_before=run_before)
