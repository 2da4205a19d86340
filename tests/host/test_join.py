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
from wargame.tui.app.dialogs import TextScreen
from wargame.tui.app.facilitator import FacilitatorScreen
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
            board = next(s for s in app.screen_stack if isinstance(s, HostedBoardScreen))
            card = ""
            for _ in range(100):  # the card is drawn once the board has laid itself out
                if board.query("#card"):
                    card = str(board.query_one("#card").render())
                    if card:
                        break
                await settle(pilot)
            assert "The facilitator starts the game" in card  # a team does not press n
            host.kill()
            await settle(pilot, 0.5)
            assert app.lost and "connection lost" in app.status()
            host.start("--resume")
            for _ in range(200):
                await settle(pilot)
                if not app.lost:
                    break
            assert not app.lost and app.client is not None and app.client.connected
            assert "connection lost" not in app.status()
    finally:
        host.stop()


async def test_the_facilitator_and_a_team_each_on_their_own_screen(tmp_path: Path) -> None:
    """Two joined apps at once (the facilitator's and Turkey's) and the EU over the protocol:
    the facilitator plays on with n, pauses the game from its controls (Turkey's board says
    so), and overrides a result with a reason; the host's save records the override."""
    host = Host(tmp_path, free_port(), TEAMS)
    host.start()
    eu: HostClient | None = None
    try:
        codes = host.codes()
        address = f"127.0.0.1:{host.port}"
        eu = HostClient(address, Hello(team="eu", code=codes["eu"]))
        await eu.connect()
        chair = JoinApp(address, Hello(pin="1234"))
        turkey = JoinApp(address, Hello(team="turkey", code=codes["turkey"]))
        async with chair.run_test(size=(100, 32)) as fac, turkey.run_test(size=(100, 32)) as tk:
            for _ in range(100):
                await settle(fac)
                if chair.game is not None and turkey.game is not None:
                    break
            assert chair.role == "facilitator" and "n plays on" in chair.status()
            while isinstance(turkey.screen, TextScreen):
                await tk.press("escape")  # Turkey's role brief
            await fac.press("n")  # the facilitator plays the first events
            for _ in range(100):
                await settle(fac)
                if chair.game is not None and chair.game.resolutions:
                    break
            assert chair.game is not None and chair.game.resolutions
            await fac.press("f")
            await settle(fac, 0.2)
            assert isinstance(chair.screen, FacilitatorScreen)
            await fac.press("p")
            for _ in range(100):
                await settle(tk)
                if turkey.game is not None and turkey.game.paused:
                    break
            assert turkey.game is not None and turkey.game.paused
            await settle(tk, 0.2)
            board = next(s for s in turkey.screen_stack if isinstance(s, HostedBoardScreen))
            assert "PAUSED" in str(board.query_one("#status").render())
            happened = chair.game.overridable()
            assert happened
            await fac.press("o")
            await settle(fac, 0.2)
            await fac.press("enter")  # the first event that has just happened
            await settle(fac, 0.2)
            await fac.press("down", "enter")  # a result other than the first
            await settle(fac, 0.2)
            chair.screen.query_one(Input).value = "the class asked what if"
            await fac.press("enter")
            for _ in range(100):
                await settle(fac)
                overrides = [d for d in Game.load(host.save).decisions if d.kind == "override"]
                if overrides:
                    break
            assert overrides and overrides[0].reason == "the class asked what if"
            assert overrides[0].event == happened[0].event
            await fac.press("q")  # closes the controls; the game goes on at the host
            assert "connection lost" not in turkey.status()
    finally:
        if eu is not None:
            await eu.close()
        host.stop()
