"""Printing a batch's answers: summary tables, branch breakdowns, histograms, Sobol indices.

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

from wargame.engine.compiled import Scenario
from wargame.engine.errors import UsageError, expected_one_of
from wargame.engine.summary import LabelSummary, NumberSummary, breakdown
from wargame.tui.terminal import terminal_safe

__all__ = ["print_sensitivity", "print_summary", "summary_tables"]


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


def _outcome_names(scenario: Scenario | None, columns: Sequence[str]) -> list[str]:
    if scenario is not None:
        return [n for n, _ in scenario.outcomes if n in columns]
    return [c for c in ("unity", "deterrence", "burden_sharing") if c in columns]


def print_summary(
    title: str,
    summaries: list[NumberSummary | LabelSummary],
    path: Path,
    scenario: Scenario | None,
    args: argparse.Namespace,
) -> None:
    console = Console()
    for table in summary_tables(title, summaries):
        console.print(table)
    columns = pq.read_schema(path).names
    outcomes = _outcome_names(scenario, columns)
    defaults = scenario.spec.branches if scenario else []
    branches = list(dict.fromkeys([*defaults, *(getattr(args, "by", None) or [])]))
    for event in branches:
        if f"event_{event}" not in columns:
            events = [c.removeprefix("event_") for c in columns if c.startswith("event_")]
            raise UsageError(f"--by: the results have no event {expected_one_of(event, events)}")
        result = breakdown(path, event, outcomes)
        table = Table(title=f"Outcomes by {_safe(event)} (mean)", title_justify="left")
        table.add_column("branch")
        table.add_column("runs", justify="right")
        for outcome in outcomes:
            table.add_column(_safe(outcome), justify="right")
        for label, (runs, means) in result.rows.items():
            table.add_row(_safe(label), f"{runs:,}", *(f"{means[o]:.1f}" for o in outcomes))
        console.print(table)
    for name in getattr(args, "hist", None) or []:
        _terminal_histogram(path, name, columns)
    if getattr(args, "plot", None):
        written = _png_histograms(path, Path(args.plot), outcomes)
        Console(stderr=True).print(
            terminal_safe(f"wrote {len(written)} histograms to {args.plot}"), markup=False
        )


def _safe(text: object) -> str:
    return terminal_safe(text, markup=True)


def _column(path: Path, name: str, columns: Sequence[str]) -> np.ndarray:
    if name not in columns:
        numeric = [c for c in columns if not c.startswith("event_")]
        raise UsageError(f"no such column {expected_one_of(name, numeric)}")
    values = pq.read_table(path, columns=[name]).column(name)
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"{name!r} is not numeric: its shares are in the table above") from None


def _terminal_histogram(path: Path, name: str, columns: Sequence[str]) -> None:
    import plotext  # 6.x: every method hangs off the master figure

    values = _column(path, name, columns)
    figure = plotext.figure
    figure.clear()
    figure.draw(figure.hist(values.tolist(), bins=40))
    figure.title(terminal_safe(f"{name}: {len(values):,} runs"))
    figure.plot_size(min(Console().width, 100), 15)
    print(figure.build().string(colorless=not sys.stdout.isatty()))


def _png_histograms(path: Path, folder: Path, outcomes: Sequence[str]) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("--plot needs matplotlib: pip install 'wargame[plot]'") from None
    folder.mkdir(parents=True, exist_ok=True)
    columns = pq.read_schema(path).names
    written = []
    for name in outcomes:
        values = _column(path, name, columns)
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
