"""SVG snapshots of the screens people look at, at 80x24 (Textual pinned in the test extra).

After a deliberate change: `pytest tests/tui/test_snapshots.py --snapshot-update`, then
look at every changed SVG before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.helpers import settle
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
