"""Rich renderables for what the engine reports: the board's tables, an option list, a
distribution strip, a log line.

Pure functions of engine objects and a palette: they lay out and colour, and compute
nothing about the game (the engine's BoardView, OptionPreview and Standing say it all).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.table import Table
from rich.text import Text

from wargame.engine.board import BoardView
from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Resolution
from wargame.engine.preview import OptionPreview
from wargame.engine.typicality import Standing
from wargame.tui.story import Palette

__all__ = [
    "ROLE_HELP",
    "actor_table",
    "indicator_table",
    "log_line",
    "option_list",
    "percentile_text",
    "sparkline",
    "strip",
]

_BARS = "▁▂▃▄▅▆▇█"
_ARROWS = {"up": "↑", "down": "↓", "hold": "="}
ROLE_HELP = {
    "decider": "You decide: pick one option.",
    "setter": "You set the agenda: pick the option to propose.",
    "veto": "You hold a veto: mark every option you can accept (the status quo always stands).",
    "voter": "You vote: for the proposal, or for the status quo.",
    "demander": "You make a demand: pick what you ask for (or hold out).",
    "asked": "You are asked: accept the demand, or refuse it.",
    "member": "You decide with others: back one option. The option with the most capability "
    "behind it wins; a tie keeps the status quo.",
}


def sparkline(values: Sequence[float], low: float = 0.0, high: float = 100.0) -> str:
    """A row of block characters, one per value, scaled to [low, high]."""
    span = max(high - low, 1e-9)
    return "".join(_BARS[min(7, max(0, int((v - low) / span * 7.999)))] for v in values)


def _signed(change: float, palette: Palette) -> Text:
    style = palette.up if change > 0.05 else palette.down if change < -0.05 else palette.muted
    return Text(f"{change:+.1f}", style=style)


def indicator_table(view: BoardView, width: int, palette: Palette) -> Table:
    """Each indicator: its label (cut to fit), value now, change, and history if there is
    room (a narrow terminal drops the history first)."""
    history = width >= 40
    table = Table(box=None, padding=(0, 1, 0, 0), expand=True, show_edge=False)
    table.add_column("indicator", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("now", justify="right", width=5, no_wrap=True)
    table.add_column("Δ", justify="right", width=5, no_wrap=True)
    if history:
        table.add_column("history", width=8, no_wrap=True)
    for row in view.indicators:
        cells: list[Text | str] = [
            Text(row.label, style=palette.title if row.outcome else ""),
            f"{row.value:.1f}",
            _signed(row.change, palette),
        ]
        if history:
            cells.append(sparkline(row.series))
        table.add_row(*cells)
    return table


def actor_table(view: BoardView, width: int, palette: Palette) -> Table:
    """Each actor (▸ played by a team), its score, and where it pushes: the issue it cares
    most about and the way it wants it to go, as long as the width allows."""
    table = Table(box=None, padding=(0, 1, 0, 0), expand=True, show_edge=False)
    name_width = min(18, max(10, width // 3))
    table.add_column("actor (▸ team)", width=name_width, no_wrap=True, overflow="ellipsis")
    table.add_column("score", justify="right", width=5, no_wrap=True)
    table.add_column("pushes", ratio=1, no_wrap=True, overflow="ellipsis")
    for actor in view.actors:
        mark = "▸ " if actor.human else "  "
        stance = actor.stance
        table.add_row(
            Text(mark + actor.name, style=palette.title if actor.human else ""),
            f"{actor.score:.1f}",
            Text(f"{_ARROWS[stance.direction]} {stance.label}"),
        )
    return table


def option_list(
    previews: Sequence[OptionPreview], chosen: Collection[int], multi: bool, palette: Palette
) -> Text:
    """The open options numbered from 1 (chosen ones marked) with what each would change and
    its value to the deciding actor; then the options that exist but are closed, greyed, with
    what closes them."""
    text = Text()
    number = 0
    for preview in previews:
        if not preview.open:
            continue
        number += 1
        picked = number - 1 in chosen
        mark = ("[x]" if picked else "[ ]") if multi else ("▶" if picked else " ")
        text.append(
            f"{mark} {number}. {preview.label}", palette.picked if picked else palette.chosen
        )
        if preview.utility is not None:
            text.append(f"  (your score after: {preview.utility:.1f})", style=palette.muted)
        text.append("\n")
        for change in preview.changes:
            text.append("     ")
            if change.kind == "fact":
                text.append(f"{change.label} → {change.text}\n", style=palette.fact)
            elif change.kind in ("projected", "seats"):
                leads = "leads to " if change.kind == "projected" else ""
                text.append(f"{leads}{change.label} {change.text}\n", style=palette.muted)
            else:
                style = palette.up if change.change > 0 else palette.down
                text.append(f"{change.label} ")
                text.append(f"{change.text}\n", style=style)
    closed = [p for p in previews if p.closed is not None]
    if closed:
        text.append("Not open now:\n", style=palette.closed)
        for preview in closed:
            why = preview.closed.why if preview.closed is not None else ""
            text.append(f"  ✗ {preview.label}: {why}\n", style=palette.closed)
    return text


def strip(standing: Standing, palette: Palette) -> Text:
    """The AI games' values over 0..100 as twenty cells of bars, this game's cell marked."""
    top = max(standing.bins) or 1
    text = Text()
    for cell, count in enumerate(standing.bins):
        bar = _BARS[min(7, int(count / top * 7.999))] if count else " "
        text.append(bar, style=palette.marker if cell == standing.marker else palette.strip)
    return text


def log_line(scenario: Scenario, resolution: Resolution, palette: Palette) -> Text:
    event = scenario.event(resolution.event)
    return Text.assemble(
        (f"T{resolution.turn} ", palette.muted),
        (f"{event.spec.title}: ", palette.title),
        event.outcome_label(resolution.option),
    )


def percentile_text(standing: Standing) -> str:
    """`34th`, or `-` when no AI game is comparable."""
    if standing.runs == 0:
        return "-"
    p = round(standing.percentile)
    suffix = "th" if 10 <= p % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(p % 10, "th")
    return f"{p}{suffix}"
