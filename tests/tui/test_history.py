"""The Why screen: the whole history, turn by turn and event by event, with every reason
(not just this turn and the last), during play."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.tui.helpers import screen_text, settle
from wargame.tui.app.app import WargameApp
from wargame.tui.app.history import HistoryScreen


async def test_why_browses_every_event_of_every_turn(tmp_path: Path) -> None:
    app = WargameApp(humans=(), seed=4, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
        game = app.game
        assert game is not None and game.turn == 4
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        events = screen.query_one("#events", OptionList)
        assert screen.entries == game.resolutions  # all three turns, not the last two
        latest = game.resolutions[-1]
        title = game.scenario.event(latest.event).spec.title
        assert title in screen_text(app)  # the latest event's card, every actor's values
        assert "options (odds; score of each if taken)" in screen_text(app)
        # up: the event before it
        await pilot.press("up")
        await settle(pilot)
        before = game.resolutions[-2]
        assert game.scenario.event(before.event).spec.title in screen_text(app)
        # [: the first event of turn 2; ] on to turn 3
        await pilot.press("left_square_bracket")
        await settle(pilot)
        first_of_2 = next(r for r in game.resolutions if r.turn == 2)
        highlighted = events.get_option_at_index(events.highlighted or 0)
        assert screen.entries[int((highlighted.id or "")[1:])] is first_of_2
        await pilot.press("right_square_bracket")
        await settle(pilot)
        highlighted = events.get_option_at_index(events.highlighted or 0)
        assert screen.entries[int((highlighted.id or "")[1:])].turn == 3
        await pilot.press("q")  # q closes it, as Escape does
        await settle(pilot)
        assert type(app.screen).__name__ == "BoardScreen"
