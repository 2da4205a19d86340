"""The live board: turn and date, indicators with their history, the latest event's card, the
actors, and a log. `n` plays on; every human decision opens its own screen, behind a pass
screen when the laptop goes from one team to another.

The screen holds no game state: `revision` counts the game's changes and one `redraw()`
draws the engine's board view whenever it moves. Playing is one worker that advances the
game and asks the teams in turn, waiting on each question's screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from wargame.engine.decisions import Decision, DecisionRequest
from wargame.engine.errors import WargameError
from wargame.engine.game import Game
from wargame.tui.app.board_panel import BoardPanel
from wargame.tui.app.decision import DecisionScreen
from wargame.tui.app.dialogs import PassScreen
from wargame.tui.app.messages import BriefRequested, GameOver
from wargame.tui.app.palette import PALETTE_CLASSES, palette_of
from wargame.tui.app.render import log_line
from wargame.tui.story import Palette, card
from wargame.tui.terminal import terminal_safe

__all__ = ["BREAKPOINTS", "BoardScreen", "intro_card", "status_line"]

BREAKPOINTS = [(0, "-narrow"), (80, "-normal"), (110, "-wide")]


def intro_card(game_title: str, description: str, hint: str, palette: Palette) -> Text:
    return (
        Text(f"{game_title}\n\n", style=palette.title)
        + Text(description)
        + Text(f"\n\n{hint}", style=palette.muted)
    )


def status_line(title: str, turn: int, turns: int, date: str, tail: str) -> str:
    return f"[b]{terminal_safe(title, markup=True)}[/b] · turn {turn}/{turns} · {date} · {tail}"


class BoardScreen(Screen[None]):
    COMPONENT_CLASSES = PALETTE_CLASSES
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [
        Binding("n", "next", "Next"),
        Binding("space", "next", "Next", show=False),
        Binding("b", "brief", "Brief"),
    ]

    revision: reactive[int] = reactive(0, init=False)

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.last_decider: str | None = None
        self.save_warned: str | None = None  # the autosave failure already shown

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield BoardPanel(id="board")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()
        if self.game.pending is not None:
            self.call_after_refresh(self.play_on)
        elif self.game.done:
            self.post_message(GameOver())

    def changed(self) -> None:
        """The game moved: draw it again."""
        self.revision += 1

    def watch_revision(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        game = self.game
        scenario = game.scenario
        palette = palette_of(self)
        view = game.board()
        flags = "  [b]PAUSED[/b]" if game.paused else ""
        if game.save_problem:
            flags += "  [b]NOT SAVED[/b]"
            if game.save_problem != self.save_warned:
                self.notify(game.save_problem, severity="error", timeout=30, markup=False)
        self.save_warned = game.save_problem
        status = self.query_one("#status", Static)
        status.update(  # one line, whatever it says: no layout
            status_line(view.title, view.turn, view.turns, view.date, self.status_tail()) + flags,
            layout=False,
        )
        status.set_class(bool(flags), "alert")
        if game.resolutions:
            latest = game.resolutions[-1]
            shown = card(scenario, latest, game.closed(latest), palette=palette)
        else:
            hint = self.intro_hint()
            shown = intro_card(scenario.spec.title, scenario.spec.description, hint, palette)
        log = [log_line(scenario, r, palette) for r in game.resolutions]
        self.query_one(BoardPanel).show(view, shown, log)

    def status_tail(self) -> str:
        """The end of the status line (a hosted game's board says whom it waits for)."""
        return f"seed {self.game.setup.seed}"

    def intro_hint(self) -> str:
        """What to do before the first event (on a hosted game's team screen: wait)."""
        return "Press n to play the first turn; ? for help."

    # -- playing --------------------------------------------------------------------------

    def action_next(self) -> None:
        self.play_on()

    @work(exclusive=True, group="play")
    async def play_on(self) -> None:
        """Play up to the end of the turn, asking each team whose decision comes up."""
        game = self.game
        if game.pending is None:
            if game.done:
                self.post_message(GameOver())
                return
            if game.paused:
                self.notify("paused by the facilitator (f, then p)", severity="warning")
                return
            if not self._advance():
                return
        while game.pending is not None:
            request = game.pending
            decision = await self._ask(request)
            if decision is None or game.pending != request:
                return  # the facilitator changed the game: the board shows where it stands
            try:
                game.decide(decision)
            except WargameError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.last_decider = decision.actor
            if game.paused or not self._advance():
                self.changed()
                return
        if game.done:
            self.post_message(GameOver())

    def _advance(self) -> bool:
        """One step of the engine (a few milliseconds): on to the next decision or the turn's
        end; a refusal becomes a notice."""
        try:
            self.game.advance()
        except WargameError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        finally:
            self.changed()
        return True

    async def _ask(self, request: DecisionRequest) -> Decision | None:
        """The team's decision; between two teams, the board is hidden first."""
        scenario = self.game.scenario
        hot_seat = len(self.game.setup.humans) > 1 and self.last_decider != request.actor
        if hot_seat:
            actor = scenario.actor(request.actor)
            title = scenario.event(request.event).spec.title
            ready = await self.app.push_screen_wait(PassScreen(actor.name, title, request))
            if not ready:
                return None
        return await self.app.push_screen_wait(DecisionScreen(self.game, request))

    def action_brief(self) -> None:
        self.post_message(BriefRequested())
