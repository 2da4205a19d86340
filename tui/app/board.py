"""The board: turn and date, indicators with their history, the latest event, the actors,
and a log; `n` plays on, and every human decision opens its own screen."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, RichLog, Static

from wargame.actors.profiles import Profile
from wargame.engine.decisions import Decision, Resolution
from wargame.engine.errors import WargameError
from wargame.engine.game import Game
from wargame.tui.app.decision import DecisionScreen
from wargame.tui.app.dialogs import PassScreen, TextScreen
from wargame.tui.app.facilitator import FacilitatorScreen
from wargame.tui.app.render import resolution_text, sparkline
from wargame.tui.terminal import terminal_safe

__all__ = ["BoardScreen"]


class BoardScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "next", "Next"),
        Binding("space", "next", "Next", show=False),
        Binding("w", "why", "Why"),
        Binding("b", "brief", "Brief"),
        Binding("f", "facilitator", "Facilitator"),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.busy = False
        self.last_decider: str | None = None
        self.save_warned: str | None = None  # the autosave failure already shown

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(id="board"):
            with Vertical(id="left"):
                yield DataTable(id="indicators", cursor_type="none", zebra_stripes=True)
                yield DataTable(id="actors", cursor_type="none")
            with Vertical(id="right"):
                with VerticalScroll(id="card-box"):
                    yield Static(id="card")
                yield RichLog(id="log", wrap=True, markup=False, min_width=20)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#indicators", DataTable)
        table.add_columns("indicator", "now", "Δ", "history")
        actors = self.query_one("#actors", DataTable)
        actors.add_columns("actor (▸ team)", "score", "pushes")
        log = self.query_one("#log", RichLog)
        for resolution in self.game.resolutions:
            log.write(self._log_line(resolution))
        self.refresh_board()
        if self.game.resolutions:
            self.show_card(self.game.resolutions[-1])
        else:
            self.query_one("#card", Static).update(
                Text(f"{self.game.scenario.spec.title}\n\n", style="bold")
                + Text(self.game.scenario.spec.description)
                + Text("\n\nPress n to play the first turn; ? for help.", style="dim")
            )
        if self.game.pending is not None:
            self.call_after_refresh(self.ask)
        elif self.game.done:
            self.call_after_refresh(self.app.show_debrief)  # type: ignore[attr-defined]

    # -- drawing --------------------------------------------------------------------------

    def refresh_board(self) -> None:
        game = self.game
        scenario = game.scenario
        turn = min(game.turn, scenario.turns)
        state = "game over" if game.done else scenario.date(turn)
        flags = "  [b red]PAUSED[/b red]" if game.paused else ""
        if game.save_problem:
            flags += "  [b red]NOT SAVED[/b red]"
            if game.save_problem != self.save_warned:
                self.notify(game.save_problem, severity="error", timeout=30, markup=False)
        self.save_warned = game.save_problem
        self.query_one("#status", Static).update(
            f"[b]{terminal_safe(scenario.spec.title, markup=True)}[/b] · turn {turn}/"
            f"{scenario.turns} · {state} · "
            f"seed {game.setup.seed}{flags}"
        )
        table = self.query_one("#indicators", DataTable)
        table.clear()
        names = [*(n for n, _ in scenario.outcomes), *scenario.dimensions]
        for name in names:
            history = game.history(name)
            now = float(game.value(name))
            change = now - history[-2] if len(history) > 1 else 0.0
            delta = Text(
                f"{change:+.1f}", style="green" if change > 0 else "red" if change < 0 else "dim"
            )
            label = Text(name, style="bold") if name in dict(scenario.outcomes) else Text(name)
            table.add_row(label, f"{now:.1f}", delta, sparkline([*history[-7:-1], now]))
        actors = self.query_one("#actors", DataTable)
        actors.clear()
        for actor in scenario.actors:
            name = f"▸ {actor.name}" if actor.id in game.setup.humans else f"  {actor.name}"
            score = f"{float(game.value(f'score_{actor.id}')):.1f}"
            actors.add_row(Text(name), score, self._stance(actor))

    def _stance(self, actor: Profile) -> str:
        """Where the actor pushes on the issue it cares most about now: `posture ↑`."""
        agent = self.game.model.actors[actor.id]
        weights = [float(np.ravel(w)[0]) for w in agent.seat_weights(self.game.model.state.fields)]
        member = actor.members[max(range(len(weights)), key=weights.__getitem__)]
        dim = max(member.salience, key=member.salience.__getitem__)
        gap = member.ideal[dim] - float(self.game.value(dim))
        arrow = "↑" if gap > 2 else "↓" if gap < -2 else "="
        return f"{dim[:10]} {arrow}"

    def show_card(self, resolution: Resolution) -> None:
        self.query_one("#card", Static).update(resolution_text(self.game, resolution))

    def _log_line(self, resolution: Resolution) -> Text:
        scenario = self.game.scenario
        event = scenario.event(resolution.event)
        option = next((o.label for o in event.options if o.id == resolution.option), "-")
        return Text.assemble(
            (f"T{resolution.turn} ", "dim"), (f"{event.spec.title}: ", "bold"), option
        )

    # -- playing --------------------------------------------------------------------------

    def action_next(self) -> None:
        if self.busy:
            return
        if self.game.pending is not None:
            self.ask()
        elif self.game.done:
            self.app.show_debrief()  # type: ignore[attr-defined]
        elif self.game.paused:
            self.notify("paused by the facilitator (f, then p)", severity="warning")
        else:
            self.busy = True
            self.advance()

    @work(thread=True, exclusive=True)
    def advance(self) -> None:
        """Engine work off the UI thread: the screen never freezes."""
        try:
            happened = self.game.advance()
        except WargameError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            happened = []
        self.app.call_from_thread(self.after_advance, happened)

    def after_advance(self, happened: list[Resolution]) -> None:
        self.busy = False
        log = self.query_one("#log", RichLog)
        for resolution in happened:
            log.write(self._log_line(resolution))
        if happened:
            self.show_card(happened[-1])
        self.refresh_board()
        if self.game.pending is not None:
            self.ask()
        elif self.game.done:
            self.app.show_debrief()  # type: ignore[attr-defined]

    def ask(self) -> None:
        """Open the pending decision; between two teams, hide the board first."""
        request = self.game.pending
        if request is None:
            return
        actor = self.game.scenario.actor(request.actor)
        event = self.game.scenario.event(request.event)
        hot_seat = len(self.game.setup.humans) > 1 and self.last_decider != request.actor

        def decided(decision: Decision | None) -> None:
            if decision is None:
                return
            try:
                self.game.decide(decision)
            except WargameError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.last_decider = decision.actor
            self.action_next()

        def open_decision(_: object = None) -> None:
            self.app.push_screen(DecisionScreen(self.game, request), decided)

        if hot_seat:
            self.app.push_screen(PassScreen(actor.name, event.spec.title), open_decision)
        else:
            open_decision()

    # -- looking closer -------------------------------------------------------------------

    def action_why(self) -> None:
        turn = self.game.turn
        recent = [r for r in self.game.resolutions if r.turn in (turn, turn - 1)]
        if not recent:
            self.notify("nothing has happened yet")
            return
        body = Text()
        for resolution in recent:
            body.append_text(resolution_text(self.game, resolution, all_values=True))
            body.append("\n")
        self.app.push_screen(
            TextScreen("Why: this turn and the last, with every actor's values", body)
        )

    def action_brief(self) -> None:
        self.app.action_brief()  # type: ignore[attr-defined]

    def action_facilitator(self) -> None:
        def closed(changed: bool | None) -> None:
            if changed:
                log = self.query_one("#log", RichLog)
                log.clear()
                for resolution in self.game.resolutions:
                    log.write(self._log_line(resolution))
                self.refresh_board()
                if self.game.resolutions:
                    self.show_card(self.game.resolutions[-1])

        self.app.push_screen(FacilitatorScreen(self.game), closed)
