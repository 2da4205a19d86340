"""`wargame run`: a Monte Carlo in this process, with a progress bar and a summary table."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable

import pyarrow as pa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from engine.batch import DEFAULT_CHUNK, result_schema, run_batch
from engine.results import manifest, manifest_path, write_atomic_json, write_parquet
from engine.scenario import load_scenario
from engine.summary import LabelSummary, NumberSummary, summarise_file, summarise_table

__all__ = ["run_command", "summary_tables"]


def _progress(console: Console, quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} games/s"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )


def run_command(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    chunk = args.chunk_size or DEFAULT_CHUNK
    err = Console(stderr=True)
    started = time.perf_counter()
    done = 0
    with _progress(err, args.quiet or not err.is_terminal) as progress:
        task = progress.add_task(scenario.id, total=args.runs, rate="-")

        def advance(n: int) -> None:
            nonlocal done
            done += n
            rate = done / max(time.perf_counter() - started, 1e-9)
            progress.update(task, advance=n, rate=f"{rate:,.0f}")

        chunks = run_batch(scenario, args.runs, args.seed, chunk_size=chunk, on_chunk=advance)
        try:
            if args.out is not None:
                write_parquet(args.out, result_schema(scenario), chunks)
                summaries = summarise_file(args.out)
            else:
                summaries = summarise_table(pa.concat_tables(list(chunks)))
        except KeyboardInterrupt:
            if args.out is not None:
                err.print(f"interrupted: the {done} finished runs are in {args.out}.partial")
            raise
        finally:
            if args.out is not None:
                write_atomic_json(
                    manifest_path(args.out),
                    manifest(scenario, seed=args.seed, runs=args.runs, chunk_size=chunk, done=done),
                )
    elapsed = time.perf_counter() - started
    console = Console()
    title = f"{scenario.spec.title}: {args.runs:,} runs, seed {args.seed}"
    for table in summary_tables(title, summaries):
        console.print(table)
    where = f"; results in {args.out}" if args.out is not None else ""
    print(
        f"{args.runs:,} games in {elapsed:.1f} s ({args.runs / elapsed:,.0f} games/s){where}",
        file=sys.stderr,
    )
    return 0


def summary_tables(title: str, summaries: Iterable[NumberSummary | LabelSummary]) -> list[Table]:
    """Numbers with mean, 95 % CI and quantiles; then facts and events with the share of runs
    ending on each label."""
    numbers = Table(title=title, title_justify="left")
    numbers.add_column("outcome")
    for column in ("mean", "95% CI", "5%", "50%", "95%"):
        numbers.add_column(column, justify="right")
    labels = Table(title="How runs ended (share of runs)", title_justify="left")
    labels.add_column("fact or event")
    labels.add_column("shares")
    for s in summaries:
        if isinstance(s, NumberSummary):
            numbers.add_row(
                s.name,
                f"{s.mean:.2f}",
                f"{s.ci_low:.2f}..{s.ci_high:.2f}",
                f"{s.p5:.1f}",
                f"{s.p50:.1f}",
                f"{s.p95:.1f}",
            )
        else:
            labels.add_row(
                s.name, ", ".join(f"{label} {share:.1%}" for label, share in s.shares.items())
            )
    return [numbers, labels]
