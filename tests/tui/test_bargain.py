"""A bargain's demander played by a team: holding out is offered as holding out, not as a
demand, and every option of the prompt can be reached at 80x24."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.games import answer_first
from tests.tui.helpers import screen_name, screen_text, settle
from wargame.engine.game import Game, GameSetup
from wargame.tui.app.app import WargameApp

HOLD_OUT = "Hold out: make no demand"


def _at_the_demand(save: Path) -> Game:
    """NATO's team, about to make its demand on the EU for PESCO access."""
    game = Game.start(GameSetup("madrid-2022", 1, ("nato",)), save_path=save)
    for _ in range(200):
        pending = game.pending
        if pending is not None and (pending.event, pending.role) == ("pesco_access", "demander"):
            return game
        if pending is not None:
            answer_first(game)
        game.advance()
    raise AssertionError("NATO was never asked to make its PESCO access demand")


def _screenshot_text(app: WargameApp) -> str:
    """What the terminal shows, as text (the options' Static is taller than the screen)."""
    svg = app.export_screenshot()
    shown = html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg)))
    return shown.replace("\xa0", " ")


async def test_the_demander_is_offered_to_hold_out_not_the_refusal(tmp_path: Path) -> None:
    save = tmp_path / "g.json"
    game = _at_the_demand(save)
    refusal = game.scenario.event("pesco_access").option("refuse").label
    app = WargameApp(game=Game.load(save, autosave_to=save))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "DecisionScreen"
        text = screen_text(app)
        assert HOLD_OUT in text and refusal not in text
        screen = app.screen
        assert len(screen.ids) <= 9 and screen.ids[-1] == "refuse"
        for number in range(1, len(screen.ids) + 1):  # each picked by its number key
            await pilot.press(str(number))
            await settle(pilot)
            assert screen.chosen == {number - 1}
        await pilot.press("end")  # scrolled by the keyboard, the last option is in sight
        await settle(pilot)
        shown = _screenshot_text(app)
        assert f"{len(screen.ids)}. {HOLD_OUT}" in shown
        await pilot.press("enter")
        await settle(pilot)
    assert any(d.event == "pesco_access" and d.option == "refuse" for d in app.game.decisions)
