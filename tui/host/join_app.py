"""`wargame join`: a team's (or the facilitator's) screen of a hosted game.

It is the game's own Textual app with its game kept by the host: every snapshot the host
sends is replayed here into a local `Game` that the same board, decision, history and debrief
screens draw. A team answers its own decisions when the host asks; only the facilitator plays
on (`n`) and uses the controls (`f`), which travel to the host as messages. When the host goes
away the screen says so and joins again with the same code until it is back.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import ValidationError
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from wargame.engine.decisions import Decision, DecisionRequest
from wargame.engine.errors import ReplayError, RuntimeFailure, UsageError, WargameError
from wargame.engine.game import Game
from wargame.tui.app import app as game_app
from wargame.tui.app.app import WargameApp
from wargame.tui.app.board import BoardScreen
from wargame.tui.app.debrief import DebriefScreen
from wargame.tui.app.decision import DecisionScreen
from wargame.tui.app.facilitator import FacilitatorScreen
from wargame.tui.host.client import HostClient, request_of
from wargame.tui.host.protocol import (
    Ack,
    Advance,
    Choice,
    Decide,
    Facilitate,
    Hello,
    Refused,
    Snapshot,
)

__all__ = ["HostedBoardScreen", "JoinApp", "JoinScreen"]

RETRY_SECONDS = 2.0


class SnapshotArrived(Message):
    """The host sent a new view of the game."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class ConnectionLost(Message):
    """The host went away: join again until it is back."""


class JoinScreen(Screen[Hello]):
    """The team's name and code (or, for the facilitator, no team and the PIN)."""

    DEFAULT_CSS = "JoinScreen { align: center middle; }"

    def __init__(self, address: str, problem: str = "", team: str = "") -> None:
        super().__init__()
        self.address = address
        self.problem = problem
        self.team = team

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Join the game at {self.address}", classes="dialog-title", markup=False)
            yield Static(
                "Your team (the actor you play, e.g. turkey) and the code the facilitator gave "
                "you. The facilitator leaves the team empty and enters the PIN.",
                classes="hint",
            )
            yield Input(value=self.team, placeholder="team, e.g. turkey", id="team")
            yield Input(placeholder="code (or PIN), then Enter", id="code", password=True)
            yield Static(self.problem, id="problem", classes="warning", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code" if self.team else "#team", Input).focus()

    @on(Input.Submitted, "#team")
    def to_code(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    def submitted(self) -> None:
        team = self.query_one("#team", Input).value.strip().lower()
        secret = self.query_one("#code", Input).value.strip()
        if not secret:
            self.app.bell()
            self.query_one("#problem", Static).update("Enter your code (the facilitator: the PIN).")
            return
        try:
            hello = Hello(team=team, code=secret) if team else Hello(pin=secret)
        except ValidationError:
            self.app.bell()
            self.query_one("#problem", Static).update(
                "A team is an actor's id: lower-case letters, digits and _ (e.g. us_congress)."
            )
            return
        self.dismiss(hello)


class HostedBoardScreen(BoardScreen):
    """The board of a hosted game: the host plays on, this screen shows where it stands."""

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the live board's own on_mount would play on here
        self.redraw()

    def status_tail(self) -> str:
        app = self.app
        assert isinstance(app, JoinApp)
        return app.status()

    def intro_hint(self) -> str:
        app = self.app
        assert isinstance(app, JoinApp)
        if app.role == "facilitator":
            return "Press n to play the first turn; f for your controls; ? for help."
        return "The facilitator starts the game; your decisions open on this screen. ? for help."

    def action_next(self) -> None:
        app = self.app
        assert isinstance(app, JoinApp)
        app.play_on()


class HostedFacilitatorScreen(FacilitatorScreen):
    """The facilitator's controls, sent to the host (which refuses what it cannot do)."""

    def __init__(self, game: Game, client: HostClient) -> None:
        super().__init__(game)
        self.client = client

    async def control(
        self, action: str, event: str | None = None, option: str | None = None, reason: str = ""
    ) -> None:
        message = Facilitate(action=action, event=event, option=option, reason=reason)  # type: ignore[arg-type]
        answer = await self.client.send(message)
        if isinstance(answer, Refused):
            raise UsageError(answer.reason)


class JoinApp(WargameApp):
    """The game app with its game kept by a host (see the module docstring)."""

    TITLE = "wargame join"
    CSS_PATH = str(Path(game_app.__file__).with_name("wargame.tcss"))

    def __init__(
        self, address: str, hello: Hello | None = None, team: str = "", web: bool = False
    ) -> None:
        """`hello` joins at once; without it the join screen asks (with `team` filled in)."""
        super().__init__()
        self.address = address
        self.hello = hello
        self.team = team
        self.web = web  # in a browser: no terminal to go back to when the game ends
        self.client: HostClient | None = None
        self.shown: Snapshot | None = None  # the host's latest view, once drawn
        self.lost = False
        self.asking: DecisionRequest | None = None  # the request on this team's screen

    # -- joining -----------------------------------------------------------------------------

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the setup screen: the game is the host's
        if self.hello is None:
            self.ask_who()
        else:
            self.join(self.hello)

    def ask_who(self, problem: str = "") -> None:
        team = (self.hello.team or "") if self.hello else self.team
        self.push_screen(JoinScreen(self.address, problem, team), self.join)

    @work(exclusive=True, group="join")
    async def join(self, hello: Hello | None) -> None:
        if hello is None:
            return
        self.hello = hello
        client = HostClient(
            self.address,
            hello,
            on_snapshot=lambda s: self.post_message(SnapshotArrived(s)),
            on_lost=lambda: self.post_message(ConnectionLost()),
        )
        self.client = client  # before connecting: its first snapshot may be drawn meanwhile
        try:
            await client.connect()
        except (ReplayError, RuntimeFailure) as exc:
            self.client = None
            self.ask_who(str(exc))

    @on(ConnectionLost)
    @work(exclusive=True, group="join")
    async def rejoin(self) -> None:
        """Join again with the same code every few seconds until the host is back."""
        client = self.client
        if client is None:
            return
        self.lost = True
        self._redraw()
        await client.close()
        while True:
            try:
                await client.connect()
            except RuntimeFailure:
                await asyncio.sleep(RETRY_SECONDS)
                continue
            except ReplayError as exc:
                if "already joined" in str(exc):
                    # the host has not yet noticed this screen's old connection is dead
                    await asyncio.sleep(RETRY_SECONDS)
                    continue
                self.client = None  # e.g. the host came back with other codes
                self.ask_who(str(exc))
                return
            self.lost = False
            self._redraw()
            self.notify("joined the game again")
            self.ask_if_asked()
            return

    # -- what the host says ------------------------------------------------------------------

    @on(SnapshotArrived)
    def snapshot_arrived(self, message: SnapshotArrived) -> None:
        client = self.client
        latest = client.snapshot if client is not None else None
        if client is None or latest is None or latest is self.shown:
            return  # drawn already (messages can outrun their snapshots)
        try:
            game = client.game()
        except WargameError as exc:
            self.notify(f"cannot show the host's game: {exc}", severity="error", markup=False)
            return
        first = self.game is None
        self.game = game
        self.shown = latest
        if first:
            self.start_game(game, briefs=self.role == "team")
        for screen in self.screen_stack:
            if isinstance(screen, BoardScreen | DebriefScreen | FacilitatorScreen):
                screen.game = game
        self._redraw()
        screen = self.screen
        if isinstance(screen, DecisionScreen) and screen.request != request_of(latest):
            screen.dismiss(None)  # asked in a world the facilitator has changed
            self.asking = None
            self.notify("the facilitator changed the game")
        if isinstance(self.screen, DebriefScreen) and not game.done:
            self.pop_screen()  # rolled back from the debrief: play on
        self.ask_if_asked()
        if game.done:
            self.show_debrief()

    def start_game(self, game: Game, briefs: bool = False) -> None:
        self.play_baseline(game)
        self.push_screen(HostedBoardScreen(game))
        if briefs and self.hello is not None and self.hello.team:
            self.show_brief(self.hello.team)

    def _redraw(self) -> None:
        for screen in self.screen_stack:
            if not screen.is_mounted:
                continue  # it draws itself when mounted
            if isinstance(screen, BoardScreen | DebriefScreen):
                screen.changed()
            elif isinstance(screen, FacilitatorScreen):
                screen.redraw()

    @property
    def role(self) -> str:
        welcome = self.client.welcome if self.client else None
        return welcome.role if welcome else "team"

    def status(self) -> str:
        """Who the game waits for, as the board's status line says it (short: at 80 columns
        it follows the title, turn and date)."""
        game, snapshot = self.game, self.client.snapshot if self.client else None
        if self.lost:
            return "[b]connection lost: joining again…[/b]"
        if game is None or snapshot is None:
            return "joining…"
        chair = self.role == "facilitator"
        if snapshot.done:
            return "game over"
        if snapshot.request is not None:
            return "[b]your decision[/b]"
        if snapshot.waiting_for:
            names = ", ".join(game.scenario.actor(a).name for a in snapshot.waiting_for)
            return f"waiting for {names}"
        return "n plays on" if chair else "the facilitator plays on"

    # -- what this screen sends --------------------------------------------------------------

    def ask_if_asked(self) -> None:
        """Open this team's decision when the host asks for one and none is open."""
        request = request_of(self.client.snapshot if self.client else None)
        if request is not None and self.asking is None:
            self.answer(request)

    @work(group="answer")
    async def answer(self, request: DecisionRequest) -> None:
        """This team's decision, asked on its own screen and sent to the host."""
        game, client = self.game, self.client
        if game is None or client is None:
            return
        self.asking = request
        answer: Ack | Refused | None = None
        before = client.snapshot
        try:
            decision = await self.push_screen_wait(DecisionScreen(game, request))
            if decision is not None:
                before = client.snapshot
                answer = await client.send(Decide(choice=_choice(decision)))
        except (RuntimeFailure, TimeoutError):
            answer = Refused(reason="not connected to the host: your decision was not sent")
        finally:
            if self.asking == request:
                self.asking = None
        if isinstance(answer, Refused):
            self.notify(answer.reason, severity="error", markup=False)
        # refused: ask again; answered: the host's next view asks the next question, unless
        # it arrived while this one was still open
        if not self.lost and (isinstance(answer, Refused) or client.snapshot is not before):
            self.ask_if_asked()

    @work(exclusive=True, group="advance")
    async def play_on(self) -> None:
        client, game = self.client, self.game
        if client is None or game is None:
            return
        if request_of(client.snapshot) is not None:
            self.ask_if_asked()  # a decision put aside (Escape) comes back
            return
        if self.role != "facilitator":
            if game.done:
                self.show_debrief()
            else:
                self.notify("the facilitator plays on; your decisions come to this screen")
            return
        if game.done:
            self.show_debrief()
            return
        answer = await client.send(Advance())
        if isinstance(answer, Refused):
            self.notify(answer.reason, severity="warning", markup=False)

    @work(exclusive=True, group="facilitator")
    async def action_facilitator(self) -> None:
        game, client = self.game, self.client
        if game is None or client is None or isinstance(self.screen, FacilitatorScreen):
            return
        if self.role != "facilitator":
            self.notify("the facilitator's controls are on the facilitator's screen")
            return
        await self.push_screen_wait(HostedFacilitatorScreen(game, client))

    def action_request_quit(self) -> None:
        """Leaving this screen leaves the game running at the host."""
        if self.web:
            self.notify("close the browser tab to leave; the game goes on at the host")
            return
        super().action_request_quit()

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.close()


def _choice(decision: Decision) -> Choice:
    return Choice(
        turn=decision.turn,
        event=decision.event,
        actor=decision.actor or "",
        role=decision.role,  # type: ignore[arg-type]
        option=decision.option,
        accepts=list(decision.accepts) if decision.accepts is not None else None,
    )
