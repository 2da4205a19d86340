"""Printing a batch's answers: summary tables, branch breakdowns, histograms, fan charts
(tui.fan_view), Sobol indices.

Names, labels and titles come from a scenario or from a results file, which anyone may
have written: each goes through `terminal_safe` (Rich reads `[...]` as markup).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from wargame.engine.batch_summary import BatchSummary
from wargame.engine.compiled import Scenario
from wargame.engine.summary import Breakdown, LabelSummary, NumberSummary
from wargame.tui.answers import Answers
from wargame.tui.fan_view import png_fans, print_fans
from wargame.tui.plotting import pyplot
from wargame.tui.terminal import terminal_safe

__all__ = [
    "outcome_names",
    "print_plots",
    "print_sensitivity",
    "print_summary",
    "summary_tables",
]


def summary_tables(title: str, summaries: Iterable[NumberSummary | LabelSummary]) -> list[Table]:
    """Numbers with mean, 95 % CI and quantiles; then facts and events with the share of runs
    ending on each label and its 95 % interval."""
    numbers = Table(title=_safe(title), title_justify="left")
    numbers.add_column("outcome")
    for column in ("mean", "95% CI", "5%", "50%", "95%"):
        numbers.add_column(column, justify="right")
    labels = Table(title="How runs ended: share of runs (95% interval)", title_justify="left")
    labels.add_column("fact or event")
    labels.add_column("shares")
    for s in summaries:
        if isinstance(s, NumberSummary):
            numbers.add_row(
                _safe(s.name),
                f"{s.mean:.2f}",
                f"{s.ci_low:.2f}..{s.ci_high:.2f}",
                f"{s.p5:.1f}",
                f"{s.p50:.1f}",
                f"{s.p95:.1f}",
            )
        else:
            shares = []
            for label, share in s.shares.items():
                low, high = s.interval(label)
                shares.append(f"{_safe(label)} {share:.1%} ({low:.1%}-{high:.1%})")
            labels.add_row(_safe(s.name), ", ".join(shares))
    return [numbers, labels]


def outcome_names(scenario: Scenario | None, columns: Sequence[str]) -> list[str]:
    """The derived outcomes (unity, deterrence...) among the columns: what breakdowns show."""
    if scenario is not None:
        return [n for n, _ in scenario.outcomes if n in columns]
    return [c for c in ("unity", "deterrence", "burden_sharing") if c in columns]


def print_summary(
    report: BatchSummary, scenario: Scenario | None, answers: Answers, plot: Path | None
) -> None:
    """The summary in the terminal; with `plot`, its histograms and fan charts as PNG."""
    console = Console()
    for table in summary_tables(report.title, report.summaries):
        console.print(table)
    for result in report.breakdowns:
        console.print(_breakdown_table(result))
    for name in answers.hist:
        _terminal_histogram(report.results, name)
    if report.fans:
        print_fans(report.fans, scenario, answers.split)
    if plot is not None:
        print_plots(report, scenario, answers, plot)


def print_plots(
    report: BatchSummary, scenario: Scenario | None, answers: Answers, plot: Path
) -> None:
    """The outcomes' histograms and the fan charts as PNG files in `plot`; said on stderr."""
    columns = pq.read_schema(report.results).names
    written = _png_histograms(report.results, plot, outcome_names(scenario, columns))
    fans = png_fans(report.fans, plot, scenario, answers.split)
    what = f"{len(written)} histograms" + (f" and {len(fans)} fan charts" if fans else "")
    Console(stderr=True).print(terminal_safe(f"wrote {what} to {plot}"), markup=False)


def _breakdown_table(result: Breakdown) -> Table:
    outcomes = list(next(iter(result.rows.values()))[1]) if result.rows else []
    title = f"Outcomes by {_safe(result.event)} (mean)"
    # a table of one outcome is narrower than its title: Rich would wrap the title
    table = Table(title=title, title_justify="left", min_width=len(title))
    table.add_column("branch")
    table.add_column("runs", justify="right")
    for outcome in outcomes:
        table.add_column(_safe(outcome), justify="right")
    for label, (runs, means) in result.rows.items():
        table.add_row(_safe(label), f"{runs:,}", *(f"{means[o]:.1f}" for o in outcomes))
    return table


def _safe(text: object) -> str:
    return terminal_safe(text, markup=True)


def _column(path: Path, name: str) -> np.ndarray:
    """A numeric column (its name checked by tui.answers) as float64."""
    return np.asarray(pq.read_table(path, columns=[name]).column(name), dtype=np.float64)


def _terminal_histogram(path: Path, name: str) -> None:
    import plotext  # 6.x: every method hangs off the master figure

    values = _column(path, name)
    figure = plotext.figure
    figure.clear()
    figure.draw(figure.hist(values.tolist(), bins=40))
    figure.title(terminal_safe(f"{name}: {len(values):,} runs"))
    figure.plot_size(min(Console().width, 100), 15)
    print(figure.build().string(colorless=not sys.stdout.isatty()))


def _png_histograms(path: Path, folder: Path, outcomes: Sequence[str]) -> list[Path]:
    plt = pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in outcomes:
        values = _column(path, name)
        figure, axes = plt.subplots(figsize=(7, 4))
        axes.hist(values, bins=50, range=(0, 100), color="#3b6ea5")
        axes.set_xlabel(f"{name} at the end of the game (0..100)")
        axes.set_ylabel("runs")
        axes.set_title(f"{name}: {len(values):,} runs, mean {values.mean():.1f}")
        figure.tight_layout()
        target = folder / f"{name}.png"
        figure.savefig(target, dpi=110)
        plt.close(figure)
        written.append(target)
    return written


def print_sensitivity(
    scenario: Scenario,
    args: argparse.Namespace,
    runs: int,
    results: Mapping[str, list[dict[str, Any]]],
) -> None:
    from wargame.engine.catalogue import catalogue

    numbers = {n.name: n for n in catalogue(scenario)}
    console = Console()
    console.print(
        f"Sobol indices for {scenario.id}: {args.samples} base samples, {runs:,} runs, "
        f"seed {args.seed} (95% confidence intervals). The points of each base sample share "
        "their random draws; what the inputs leave unexplained is chance. 'assumed' inputs are "
        "the modeller's (`wargame assumptions`); 'cited' ones rest on the paper.",
        highlight=False,
        markup=False,
    )
    for outcome, rows in results.items():
        if not rows:
            console.print(
                f"{_safe(outcome)}: the same in every run: no variance for the inputs to explain",
                highlight=False,
                markup=False,
            )
            continue
        table = Table(title=f"{_safe(outcome)}: inputs ranked by total index", title_justify="left")
        for column, justify in [
            ("input", "left"),
            ("kind", "left"),
            ("basis", "left"),
            ("total (ST)", "right"),
            ("first order (S1)", "right"),
        ]:
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for row in rows[: args.top]:
            number = numbers.get(row["input"])
            table.add_row(
                _safe(row["input"]),
                number.kind if number else "",
                number.basis if number else "",
                f"{row['ST']:.3f} ± {row['ST_conf']:.3f}",
                f"{row['S1']:.3f} ± {row['S1_conf']:.3f}",
            )
        console.print(table)
