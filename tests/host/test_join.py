"""`wargame join` as a team plays it: the game's own Textual app, driven by Pilot, against a
real host process; the other teams and the facilitator at the same time over the protocol."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tests.host.helpers import Host, first_choice, free_port
from wargame.engine.game import Game, state_digest
from wargame.tui.app.debrief import DebriefScreen
from wargame.tui.app.decision import DecisionScreen
from wargame.tui.host.client import HostClient
from wargame.tui.host.join_app import HostedBoardScreen, JoinApp, JoinScreen
from wargame.tui.host.protocol import Advance, Hello, Refused

TEAMS = ("eu", "turkey")


async def settle(pilot: Pilot[None], seconds: float = 0.05) -> None:
    await pilot.pause(seconds)


async def test_a_team_joins_from_its_terminal_and_plays_to_the_debrief(tmp_path: Path) -> None:
    """Turkey in the join app (code typed on its join screen) answers each decision it is sent
    by pressing 1 and Enter; the EU answers over the protocol; the facilitator plays on. The
    game ends at the host as on Turkey's screen, which shows the debrief."""
    host = Host(tmp_path, free_port(), TEAMS)
    host.start()
    others: list[HostClient] = []
    try:
        codes = host.codes()
        address = f"127.0.0.1:{host.port}"
        eu = HostClient(address, Hello(team="eu", code=codes["eu"]))
        facilitator = HostClient(address, Hello(pin="1234"))
        others.extend([eu, facilitator])
        await eu.connect()
        await facilitator.connect()
        app = JoinApp(address, team="turkey")
        asked = 0
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, JoinScreen)
            app.screen.query_one("#code", Input).value = "WRONG"
            await pilot.press("enter")
            await settle(pilot, 0.5)
            assert isinstance(app.screen, JoinScreen)  # refused: asked again, with the reason
            assert "wrong code for 'turkey'" in str(app.screen.query_one("#problem").render())
            app.screen.query_one("#code", Input).value = codes["turkey"]
            await pilot.press("enter")
            for _ in range(400):
                await settle(pilot)
                while not isinstance(app.screen, HostedBoardScreen | DecisionScreen):
                    if isinstance(app.screen, DebriefScreen):
                        break
                    await pilot.press("escape")  # the role brief shown on joining
                    await settle(pilot)
                if isinstance(app.screen, DebriefScreen):
                    break
                if isinstance(app.screen, DecisionScreen):
                    await pilot.press("1", "enter")
                    asked += 1
                    continue
                state = facilitator.snapshot
                assert state is not None
                if eu.snapshot is not None and eu.snapshot.request is not None:
                    r = eu.snapshot.request
                    decide = first_choice(r["turn"], r["event"], "eu", r["role"], r["options"])
                    assert not isinstance(await eu.send(decide), Refused)
                elif not state.waiting_for and not state.done:
                    assert not isinstance(await facilitator.send(Advance()), Refused)
            assert isinstance(app.screen, DebriefScreen), (app.status(), facilitator.snapshot)
            assert app.game is not None and app.game.done
            on_screen = state_digest(app.game.model)
        saved = Game.load(host.save)
        assert on_screen == state_digest(saved.model)
        # every choice of Turkey's in the host's game was made on Turkey's screen
        assert asked == sum(d.actor == "turkey" for d in saved.decisions) >= 1
    finally:
        for client in others:
            await client.close()
        host.stop()


async def test_a_team_screen_rejoins_after_the_host_is_killed_and_resumed(tmp_path: Path) -> None:
    """SIGKILL the host while a team is joined: the screen says the connection is lost and
    joins again by itself, with its code, when `wargame host --resume` is back."""
    host = Host(tmp_path, free_port(), TEAMS)
    host.start()
    try:
        codes = host.codes()
        address = f"127.0.0.1:{host.port}"
        app = JoinApp(address, Hello(team="eu", code=codes["eu"]))
        async with app.run_test(size=(100, 32)) as pilot:
            for _ in range(100):
                await settle(pilot)
                if app.game is not None:
                    break
            assert app.game is not None
            host.kill()
            await settle(pilot, 0.5)
            assert app.lost and "connection lost" in app.status()
            host.start("--resume")
            for _ in range(200):
                await settle(pilot)
                if not app.lost:
                    break
            assert not app.lost and app.client is not None and app.client.connected
            assert "you: European Union" in app.status()
    finally:
        host.stop()
