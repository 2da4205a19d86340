"""The debrief: how the game ended and how typical it was among AI-played games of the same
scenario (each score and indicator's percentile, with a strip of the AI games and this game's
place in it, overall and for each key branch the game took), the timeline, and where the game
and its report are saved.

`w` browses the whole history with every reason, `r` writes the after-action report, `q`
quits. The comparison arrives when the app's Monte Carlo has finished (it starts with the
game); until then the debrief says it is on its way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from wargame.engine.afteraction import after_action, facilitator_actions
from wargame.engine.errors import WargameError
from wargame.engine.game import Game
from wargame.engine.indicators import indicator_names, label
from wargame.engine.typicality import AIGames, Standing, Typicality, typicality
from wargame.tui.app.board import BREAKPOINTS
from wargame.tui.app.messages import BriefRequested
from wargame.tui.app.palette import PALETTE_CLASSES, palette_of
from wargame.tui.app.render import percentile_text, strip
from wargame.tui.report import write_report
from wargame.tui.story import Palette
from wargame.tui.terminal import terminal_safe

__all__ = ["DebriefScreen", "team_sentences"]


def _table(*columns: tuple[str, str]) -> Table:
    table = Table(box=None, padding=(0, 1, 0, 0), show_edge=False, expand=False)
    for header, justify in columns:
        if header == "indicator":
            table.add_column(header, max_width=26, no_wrap=True, overflow="ellipsis")
        else:
            table.add_column(header, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    return table


def team_sentences(game: Game, typical: Typicality) -> list[str]:
    """`Your Turkey scored 57.5; AI Turkey averages 59.7 (34th percentile).`, per team."""
    by_name = {s.name: s for s in typical.overall}
    lines = []
    for actor_id in game.setup.humans:
        standing = by_name.get(f"score_{actor_id}")
        if standing is None or standing.runs == 0:
            continue
        name = game.scenario.actor(actor_id).name
        lines.append(
            f"Your {name} scored {standing.value:.1f}; AI {name} averages {standing.mean:.1f} "
            f"({percentile_text(standing)} percentile)."
        )
    return lines


class DebriefScreen(Screen[None]):
    COMPONENT_CLASSES = PALETTE_CLASSES
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [
        Binding("r", "report", "Report"),
        Binding("b", "brief", "Brief", show=False),
    ]

    games: reactive[AIGames | None] = reactive(None, init=False)
    note: reactive[str] = reactive("comparing with AI-played games…", init=False)
    revision: reactive[int] = reactive(0, init=False)

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief"):
            yield Static(id="heading")
            yield Static(id="scores")
            yield Static(id="indicators")
            yield Static(id="branches")
            yield Static(id="timeline")
            yield Static(id="saved")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "baseline_note", self._note, init=True)
        self.watch(self.app, "baseline", self._baseline, init=True)
        self.redraw()

    def _baseline(self, games: AIGames | None) -> None:
        self.games = games

    def _note(self, note: str) -> None:
        self.note = note

    def watch_note(self) -> None:
        self.redraw()

    def changed(self) -> None:
        self.revision += 1

    def watch_games(self) -> None:
        self.redraw()

    def watch_revision(self) -> None:
        self.redraw()

    def typical(self) -> Typicality | None:
        if self.games is None:
            return None
        try:
            return typicality(self.game, self.games)
        except WargameError:
            return None

    def redraw(self) -> None:
        game, scenario = self.game, self.game.scenario
        palette = palette_of(self)
        typical = self.typical()
        title = terminal_safe(scenario.spec.title, markup=True)
        against = f"against {typical.source}" if typical is not None else self.note
        heading = [f"[b]Debrief: {title}[/b] · seed {game.setup.seed}"]
        if not game.done:
            heading.append(f"[b]Not finished[/b]: turn {game.turn} of {scenario.turns}.")
        heading.append(f"How typical was this game: {terminal_safe(against, markup=True)}")
        if typical is not None:
            heading += [terminal_safe(s, markup=True) for s in team_sentences(game, typical)]
        self.query_one("#heading", Static).update("\n".join(heading))
        self.query_one("#scores", Static).update(self._scores(typical, palette))
        self.query_one("#indicators", Static).update(self._indicators(typical, palette))
        self.query_one("#branches", Static).update(self._branches(typical, palette))
        self.query_one("#timeline", Static).update(self._timeline(palette))
        self.query_one("#saved", Static).update(self._saved())

    def _comparison(
        self, standing: Standing | None, palette: Palette
    ) -> tuple[str, str, Text | str]:
        if standing is None or standing.runs == 0:
            return "", "", ""
        return f"{standing.mean:.1f}", percentile_text(standing), strip(standing, palette)

    def _scores(self, typical: Typicality | None, palette: Palette) -> RenderableType:
        game, scenario = self.game, self.game.scenario
        by_name = {s.name: s for s in typical.overall} if typical else {}
        table = _table(
            ("#", "right"),
            ("actor", "left"),
            ("plays", "left"),
            ("score", "right"),
            ("AI avg", "right"),
            ("pct", "right"),
            ("AI games", "left"),
        )
        scores = sorted(
            ((float(game.value(f"score_{a.id}")), a) for a in scenario.actors), key=lambda s: -s[0]
        )
        for rank, (score, actor) in enumerate(scores, start=1):
            plays = "team" if actor.id in game.setup.humans else "AI"
            mean, pct, cells = self._comparison(by_name.get(f"score_{actor.id}"), palette)
            table.add_row(str(rank), Text(actor.name), plays, f"{score:.1f}", mean, pct, cells)
        caption = Text(
            "Scores: how close the world ended to each actor's goals (pct: the share of AI games"
            " that ended lower; the strip: the AI games over 0-100, this game's cell marked)",
            style=palette.title,
        )
        return Group(caption, table)

    def _indicators(self, typical: Typicality | None, palette: Palette) -> RenderableType:
        game, scenario = self.game, self.game.scenario
        by_name = {s.name: s for s in typical.overall} if typical else {}
        table = _table(
            ("indicator", "left"),
            ("start", "right"),
            ("end", "right"),
            ("AI avg", "right"),
            ("pct", "right"),
            ("AI games", "left"),
        )
        for name in indicator_names(scenario, scores=False):
            history = game.history(name) or [float(game.value(name))]
            mean, pct, cells = self._comparison(by_name.get(name), palette)
            table.add_row(
                Text(label(scenario, name)),
                f"{history[0]:.1f}",
                f"{float(game.value(name)):.1f}",
                mean,
                pct,
                cells,
            )
        return Group(Text("\nIndicators, start to end:", style=palette.title), table)

    def _branches(self, typical: Typicality | None, palette: Palette) -> RenderableType:
        if typical is None or not typical.branches:
            return ""
        scenario = self.game.scenario
        parts: list[RenderableType] = [Text("\nKey branches:", style=palette.title)]
        shown = {n for n, _ in scenario.outcomes} | {f"score_{a}" for a in self.game.setup.humans}
        for branch in typical.branches:
            parts.append(
                Text(
                    f"{branch.title}: {branch.label} (as in {branch.share:.0%} of the AI games);"
                    " among those games:"
                )
            )
            table = _table(
                ("indicator", "left"), ("here", "right"), ("AI avg", "right"), ("pct", "right")
            )
            rows: Sequence[Standing] = [s for s in branch.standings if s.name in shown]
            for s in rows:
                mean, pct, _ = self._comparison(s, palette)
                table.add_row(Text(label(scenario, s.name)), f"{s.value:.1f}", mean, pct)
            parts.append(table)
        return Group(*parts)

    def _timeline(self, palette: Palette) -> RenderableType:
        return timeline(self.game, palette)

    def _saved(self) -> Text:
        path = self.game.save_path
        if path is None:
            return Text("\nThis game is not saved (no save path).")
        return Text(
            f"\nThe game (scenario, seed, every decision and reason) is saved in:\n{path}\n"
            f"Watch it again: wargame play --replay {path}\n"
            f"Report: r here, or wargame report {path} --format html -o report.html"
        )

    def action_report(self) -> None:
        """Write the after-action report beside the save (HTML and Markdown)."""
        base = self.game.save_path or Path("wargame-game.json")
        try:
            report = after_action(self.game, self.games)
            written = [
                write_report(report, base.with_suffix(f".report.{kind}"), kind)
                for kind in ("html", "md")
            ]
        except (OSError, WargameError) as exc:
            self.notify(f"could not write the report: {exc}", severity="error", markup=False)
            return
        self.notify("report written: " + ", ".join(str(p) for p in written), timeout=15)

    def action_brief(self) -> None:
        self.post_message(BriefRequested())


def timeline(game: Game, palette: Palette) -> Text:
    """What happened, event by event (who decided it, and what the facilitator made happen),
    then every facilitator action with its reason, those a roll-back undid and the
    roll-backs too: the after-action report's account, on the screen."""
    scenario = game.scenario
    injected = {(d.turn, d.event) for d in game.decisions if d.kind == "inject"}
    text = Text("\nTimeline (w: every reason, event by event):\n", style=palette.title)
    for r in game.resolutions:
        event = scenario.event(r.event)
        who = {"human": " (a team)", "override": " (override)"}.get(r.source, "")
        if (r.turn, r.event) in injected:
            who += " (injected)"
        text.append(f"{scenario.date(r.turn)}  ", style=palette.muted)
        text.append(f"{event.spec.title}: ", style=palette.title)
        text.append(f"{event.outcome_label(r.option)}{who}\n")
    actions = facilitator_actions(game)
    if actions:
        text.append("\nThe facilitator's actions:\n", style=palette.title)
    for action in actions:
        text.append(f"{action.date}  ", style=palette.muted)
        what = f"{action.kind} {action.event}" if action.event else action.kind
        text.append(f"{what}: {action.detail}; reason: {terminal_safe(action.reason)}\n")
    return text
