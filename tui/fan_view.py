"""Indicators over the turns: spread tables, fan charts in the terminal (plotext) and as PNG.

A fan chart draws, turn by turn, the median and the bands holding the middle half (25-75 %)
and nine runs in ten (5-95 %): how far the game's futures drift apart as it goes on. Split
by a branch (`--by election_2024`), one panel per branch on a shared scale, with the median
of all runs dashed behind each, shows what that branch does to the spread.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from wargame.engine.compiled import Scenario
from wargame.engine.per_turn import Fan
from wargame.tui.plotting import pyplot
from wargame.tui.terminal import terminal_safe

__all__ = ["png_fans", "print_fans", "spread_table", "turn_label"]


def turn_label(scenario: Scenario | None, turn: int) -> str:
    """'start' for turn 0; else the half-year the turn covers (e.g. 'H2 2022')."""
    if turn == 0:
        return "start"
    return scenario.date(turn) if scenario is not None else f"turn {turn}"


def _safe(text: object) -> str:
    return terminal_safe(text, markup=True)


def spread_table(fan: Fan, scenario: Scenario | None) -> Table:
    """Turn, half-year, mean, SD and quantiles, and the width of the 5-95 % range."""
    table = Table(
        title=f"{_safe(fan.indicator)} over the turns: how far runs spread "
        f"({fan.turns[0].n:,} runs)",
        title_justify="left",
    )
    table.add_column("turn", justify="right")
    table.add_column("end of")
    for column in ("mean", "SD", "5%", "25%", "50%", "75%", "95%", "5-95% width"):
        table.add_column(column, justify="right")
    for t in fan.turns:
        table.add_row(
            str(t.turn),
            turn_label(scenario, t.turn),
            f"{t.mean:.1f}",
            f"{t.sd:.1f}",
            *(f"{q:.1f}" for q in (t.p5, t.p25, t.p50, t.p75, t.p95)),
            f"{t.width:.1f}",
        )
    return table


def _limits(fans: Sequence[Fan]) -> tuple[float, float]:
    """One vertical scale for panels that are compared (padded a little)."""
    low = min(t.p5 for f in fans for t in f.turns if t.n)
    high = max(t.p95 for f in fans for t in f.turns if t.n)
    pad = max(1.0, (high - low) * 0.05)
    return low - pad, high + pad


def _terminal_fan(
    fan: Fan, title: str, scenario: Scenario | None, limits: tuple[float, float]
) -> str:
    import plotext  # 6.x: every method hangs off the master figure

    figure = plotext.figure
    figure.clear()
    turns = [t.turn for t in fan.turns if t.n]
    if not turns:
        return f"{title}: no runs"

    def band(high: list[float], low: list[float], symbol: str) -> None:
        top = figure.signal(turns, high, marker=plotext.marker(symbol)).lines()
        bottom = figure.signal(turns, low, marker=plotext.marker(symbol)).lines()
        top.fill(bottom)
        figure.draw(top)
        figure.draw(bottom)

    shown = [t for t in fan.turns if t.n]
    band([t.p95 for t in shown], [t.p5 for t in shown], "·")
    band([t.p75 for t in shown], [t.p25 for t in shown], "░")
    figure.draw(figure.signal(turns, [t.p50 for t in shown], marker=plotext.marker("█")).lines())
    figure.title(terminal_safe(title))
    figure.ruler("x").ticks(turns, [turn_label(scenario, t) for t in turns])
    figure.ruler("x").lim(turns[0] - 0.4, turns[-1] + 0.4)  # room for the end labels
    figure.ruler("y").lim(*limits)
    figure.plot_size(min(Console().width, 100), 14)
    return str(figure.build().string(colorless=not sys.stdout.isatty()))


def print_fans(fans: dict[str, list[Fan]], scenario: Scenario | None, split: Sequence[str]) -> None:
    """For each indicator: its spread table and fan chart, then one chart per branch of each
    event in `split`."""
    console = Console()
    for indicator, fan_list in fans.items():
        overall = fan_list[0]
        console.print(spread_table(overall, scenario))
        console.print(
            f"{_safe(indicator)} below: median █, middle half of runs ░, nine in ten ·",
            highlight=False,
        )
        limits = _limits(fan_list)
        print(
            _terminal_fan(
                overall, f"{indicator}, all {overall.turns[0].n:,} runs", scenario, limits
            )
        )
        for event in split:
            for fan in (f for f in fan_list if f.event == event):
                title = f"{indicator} | {event} = {fan.branch} ({fan.turns[0].n:,} runs)"
                print(_terminal_fan(fan, title, scenario, limits))


def png_fans(
    fans: dict[str, list[Fan]], folder: Path, scenario: Scenario | None, split: Sequence[str]
) -> list[Path]:
    """`fan_<indicator>.png` for all runs and `fan_<indicator>_by_<event>.png` with a panel
    per branch; the paths written."""
    plt = pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for indicator, fan_list in fans.items():
        overall = fan_list[0]
        groups = [("", [overall])]
        groups += [(event, [f for f in fan_list if f.event == event]) for event in split]
        for event, panels in groups:
            panels = [p for p in panels if p.turns[0].n]
            if not panels:
                continue
            figure, axes = plt.subplots(
                1,
                len(panels),
                figsize=(3.4 + 3.6 * len(panels), 4.4),
                sharey=True,
                squeeze=False,
            )
            for ax, fan in zip(axes[0], panels):
                _draw_fan(ax, fan, overall if event else None, scenario)
            if event:
                figure.suptitle(
                    f"{indicator} by {event}: median, 25-75 % and 5-95 % of runs "
                    "at the end of each turn"
                )
            figure.tight_layout()
            target = folder / (
                f"fan_{indicator}_by_{event}.png" if event else f"fan_{indicator}.png"
            )
            figure.savefig(target, dpi=110)
            plt.close(figure)
            written.append(target)
    return written


def _draw_fan(ax: Any, fan: Fan, reference: Fan | None, scenario: Scenario | None) -> None:
    """One panel: the bands, the median and, for a branch, all runs' median dashed."""
    turns = [t.turn for t in fan.turns]
    colour = "#3b6ea5"
    ax.fill_between(
        turns,
        [t.p5 for t in fan.turns],
        [t.p95 for t in fan.turns],
        color=colour,
        alpha=0.18,
        linewidth=0,
        label="5-95 %",
    )
    ax.fill_between(
        turns,
        [t.p25 for t in fan.turns],
        [t.p75 for t in fan.turns],
        color=colour,
        alpha=0.38,
        linewidth=0,
        label="25-75 %",
    )
    ax.plot(turns, [t.p50 for t in fan.turns], color=colour, linewidth=2, label="median")
    if reference is not None:
        ax.plot(
            turns,
            [t.p50 for t in reference.turns],
            color="#555555",
            linestyle="--",
            linewidth=1,
            label="median, all runs",
        )
        ax.set_title(f"{fan.branch} ({fan.turns[0].n:,} runs)")
    else:
        ax.set_title(
            f"{fan.indicator}, all {fan.turns[0].n:,} runs: median, 25-75 % and 5-95 %\n"
            "of runs at the end of each turn"
        )
    ax.set_xticks(turns)
    ax.set_xticklabels([turn_label(scenario, t) for t in turns], rotation=45, ha="right")
    ax.set_ylabel(f"{fan.indicator} (0..100)")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")
