"""Driving the app with Textual's Pilot as a player would: keys only."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from wargame.tui.app.app import WargameApp


async def settle(pilot: Pilot) -> None:
    """Let the engine worker finish and the screen redraw."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


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
