"""Driving the app with Textual's Pilot as a player would: keys only."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from wargame.tui.app.app import WargameApp


async def settle(pilot: Pilot) -> None:
    """Let the app come to rest: the Monte Carlo for the debrief played, and the screens and
    workers unchanged over two pauses (a worker waiting on a team's question stays running)."""
    app = pilot.app
    await pilot.pause()
    baseline = [w for w in app.workers if w.group == "baseline"]
    if baseline:  # (an empty list would wait for every worker)
        await app.workers.wait_for_complete(baseline)
    before = None
    for _ in range(100):
        await pilot.pause()
        now = ([id(s) for s in app.screen_stack], [(id(w), w.state) for w in app.workers])
        if now == before:
            return
        before = now
    raise AssertionError(f"the app did not come to rest; screens {app.screen_stack}")


def screen_text(app: WargameApp, width: int = 200) -> str:
    """The text of every Static on the current screen, as a reader would see it (tables
    rendered, one long line per row)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for widget in app.screen.query(Static):
        console.print(widget.content)
    return console.export_text()


def screen_name(app: WargameApp) -> str:
    return type(app.screen).__name__


async def play_to_the_end(
    pilot: Pilot,
    choose: str = "1",
    limit: int = 400,
    watch: Callable[[str, WargameApp], None] | None = None,
) -> list[str]:
    """Press through the game: n to play on, a number and Enter to decide, Enter to pass the
    screen, Escape to close briefs. `watch(screen_name, app)` looks at each screen before its
    key is pressed. Returns the screens seen, in order."""
    app: WargameApp = pilot.app  # type: ignore[assignment]
    seen = []
    for _ in range(limit):
        name = screen_name(app)
        seen.append(name)
        if watch is not None:
            watch(name, app)
        if name == "DebriefScreen":
            return seen
        if name == "DecisionScreen":
            await pilot.press(choose, "enter")
        elif name == "PassScreen":
            await pilot.press("enter")
        elif name == "TextScreen":
            await pilot.press("escape")
        else:
            await pilot.press("n")
        await settle(pilot)
    raise AssertionError(f"no debrief after {limit} key presses; last screens {seen[-5:]}")
