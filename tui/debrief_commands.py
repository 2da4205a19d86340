"""`wargame report SAVE` and `wargame debrief SAVE...`: a saved game's after-action report,
and several tables' games side by side against the same Monte Carlo.

Every save is checked by replaying it (a damaged one is a message, not a traceback); the AI
games come from `--baseline r.parquet` (made from the same scenario as it is now) or are
played here, 10,000 by default.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from wargame.engine.afteraction import after_action
from wargame.engine.errors import UsageError
from wargame.engine.game import Game
from wargame.engine.indicators import indicator_names, label
from wargame.engine.typicality import (
    BINS,
    AIGames,
    Standing,
    Typicality,
    ai_games,
    read_ai_games,
    typicality,
)
from wargame.tui.paths import input_file, output_file
from wargame.tui.report import render_html, render_markdown, write_report

__all__ = ["debrief_command", "report_command"]

_BARS = "▁▂▃▄▅▆▇█"


def _load(paths: Sequence[str]) -> list[Game]:
    games = [Game.load(input_file(Path(p), "SAVE")) for p in paths]
    first = games[0].scenario
    for path, game in zip(paths[1:], games[1:]):
        if game.scenario.digest != first.digest:
            raise UsageError(
                f"{path} was played on {game.scenario.id!r} ({game.setup.scenario}), "
                f"{paths[0]} on {first.id!r}: compare games of one scenario"
            )
    return games


def _baseline(games: Sequence[Game], args: argparse.Namespace) -> AIGames:
    scenario = games[0].scenario
    if args.baseline is not None:
        return read_ai_games(scenario, input_file(args.baseline, "--baseline"))
    temperatures = [dict(g.setup.temperatures) for g in games]
    same = all(t == temperatures[0] for t in temperatures)
    return ai_games(scenario, args.runs, temperatures=temperatures[0] if same else None)


def report_command(args: argparse.Namespace) -> int:
    (game,) = _load([args.save])
    if args.output is not None:
        output_file(args.output, "-o")
    report = after_action(game, _baseline([game], args))
    if args.output is None:
        text = render_html(report) if args.format == "html" else render_markdown(report)
        sys.stdout.write(text)
        return 0
    write_report(report, args.output, args.format)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _marks(standings: Sequence[Standing], finished: Sequence[bool]) -> Text:
    """The AI games' strip with each finished table's cell marked by its number (1, 2, ...)."""
    first = standings[0]
    top = max(first.bins) or 1
    cells = [_BARS[min(7, int(n / top * 7.999))] if n else " " for n in first.bins]
    text = Text()
    marked = {
        s.marker: str(i) for i, (s, done) in enumerate(zip(standings, finished), start=1) if done
    }
    for cell, bar in enumerate(cells):
        if cell in marked:
            text.append(marked[cell], style="bold reverse")
        else:
            text.append(bar)
    return text


def _table(
    names: Sequence[str],
    typical: Sequence[Typicality],
    labels: dict[str, str],
    finished: Sequence[bool],
) -> Table:
    """One row per indicator: each table's value and percentile, the AI average, and the AI
    games' strip with the tables marked. A table not played to its end has no percentile:
    its values are mid-game, the AI games' are at their end."""
    table = Table(box=None, padding=(0, 1, 0, 0), show_edge=False, expand=True)
    table.add_column("indicator", ratio=1, min_width=12, no_wrap=True, overflow="ellipsis")
    for i in range(len(typical)):
        table.add_column(f"table {i + 1}", justify="right", width=10, no_wrap=True)
    table.add_column("AI avg", justify="right", width=6, no_wrap=True)
    table.add_column("AI games", width=BINS, no_wrap=True)
    for name in names:
        rows = [next(s for s in t.overall if s.name == name) for t in typical]
        cells = [
            f"{s.value:.1f} {s.percentile:3.0f}%" if done else f"{s.value:.1f}    -"
            for s, done in zip(rows, finished)
        ]
        table.add_row(labels[name], *cells, f"{rows[0].mean:.1f}", _marks(rows, finished))
    return table


def debrief_command(args: argparse.Namespace) -> int:
    games = _load(args.saves)
    baseline = _baseline(games, args)
    scenario = games[0].scenario
    typical = [typicality(g, baseline) for g in games]
    labels = {n: label(scenario, n) for n in indicator_names(scenario)}
    console = Console(highlight=False, soft_wrap=False)
    finished = [g.done for g in games]
    counted = f"{len(games)} game{'s' if len(games) != 1 else ''}"
    console.print(f"[b]{scenario.spec.title}[/b]: {counted} against {baseline.source}")
    console.print(
        "Each table's value, then its percentile: the share of AI games that ended lower. "
        "The strip: the AI games over 0-100, each table's place marked by its number."
    )
    for i, (path, game) in enumerate(zip(args.saves, games), start=1):
        teams = ", ".join(scenario.actor(a).name for a in game.setup.humans) or "all AI"
        state = "" if game.done else f", not finished (turn {game.turn}): no percentiles"
        console.print(f"  table {i}: {path} (seed {game.setup.seed}; teams: {teams}{state})")
    scores = [f"score_{a.id}" for a in scenario.actors]
    others = [n for n in indicator_names(scenario) if n not in scores]
    console.print("\n[b]Scores[/b]")
    console.print(_table(scores, typical, labels, finished))
    console.print("\n[b]Indicators[/b]")
    console.print(_table(others, typical, labels, finished))
    console.print("\n[b]Key branches[/b]: each table among the AI games that took its branch")
    outcomes = [n for n, _ in scenario.outcomes]
    for i, (t, done) in enumerate(zip(typical, finished), start=1):
        if not done:
            console.print(f"  table {i}: not finished")
            continue
        for branch in t.branches:
            among = "; ".join(
                f"{labels[s.name]} {s.percentile:.0f}%"
                for s in branch.standings
                if s.name in outcomes and s.runs
            )
            console.print(f"  table {i}: {branch.title}: {branch.label}")
            console.print(f"    {branch.share:.0%} of the AI games took it; among them: {among}")
    return 0
