"""The debrief: final indicators, each actor's score and rank, the timeline, the saved log."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from wargame.engine.game import Game
from wargame.tui.terminal import terminal_safe

__all__ = ["DebriefScreen"]


class DebriefScreen(Screen[None]):
    BINDINGS = [Binding("q", "app.request_quit", "Quit"), Binding("w", "why", "Why", show=False)]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        scenario = self.game.scenario
        with VerticalScroll():
            title = terminal_safe(scenario.spec.title, markup=True)
            yield Static(f"[b]Debrief: {title}[/b] · seed {self.game.setup.seed}")
            yield Static("Scores (how close the world ended to each actor's goals):")
            yield DataTable(id="ranking", cursor_type="none")
            yield Static("Indicators, start to end:")
            yield DataTable(id="final", cursor_type="none")
            yield Static("Timeline:")
            yield Static(id="timeline")
            yield Static(id="saved")
        yield Footer()

    def on_mount(self) -> None:
        game, scenario = self.game, self.game.scenario
        ranking = self.query_one("#ranking", DataTable)
        ranking.add_columns("rank", "actor", "plays", "score")
        scores = sorted(
            ((float(game.value(f"score_{a.id}")), a) for a in scenario.actors), key=lambda s: -s[0]
        )
        for rank, (score, actor) in enumerate(scores, start=1):
            plays = "human" if actor.id in game.setup.humans else "AI"
            ranking.add_row(str(rank), Text(actor.name), plays, f"{score:.1f}")
        final = self.query_one("#final", DataTable)
        final.add_columns("indicator", "start", "end", "change")
        for name in [*(n for n, _ in scenario.outcomes), *scenario.dimensions]:
            history = game.history(name)
            change = history[-1] - history[0]
            style = "green" if change > 0 else "red" if change < 0 else "dim"
            final.add_row(
                name, f"{history[0]:.1f}", f"{history[-1]:.1f}", Text(f"{change:+.1f}", style=style)
            )
        timeline = Text()
        for r in game.resolutions:
            event = scenario.event(r.event)
            option = next((o.label for o in event.options if o.id == r.option), "-")
            who = {"human": " (human)", "override": " (override)"}.get(r.source, "")
            timeline.append(f"{scenario.date(r.turn)}  ", style="dim")
            timeline.append(f"{event.spec.title}: ", style="bold")
            timeline.append(f"{option}{who}\n")
        self.query_one("#timeline", Static).update(timeline)
        where = game.save_path or "(not saved: no save path)"
        self.query_one("#saved", Static).update(
            Text(
                f"The game's log (scenario, seed, every decision) is saved in:\n{where}\n"
                "Replay it with: wargame play --resume "
                + (str(game.save_path) if game.save_path else "")
            )
        )
