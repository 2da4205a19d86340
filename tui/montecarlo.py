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

__all__ = ["run_command", "summary_table"]


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
    console.print(
        summary_table(f"{scenario.spec.title}: {args.runs:,} runs, seed {args.seed}", summaries)
    )
    where = f"; results in {args.out}" if args.out is not None else ""
    print(
        f"{args.runs:,} games in {elapsed:.1f} s ({args.runs / elapsed:,.0f} games/s){where}",
        file=sys.stderr,
    )
    return 0


def summary_table(title: str, summaries: Iterable[NumberSummary | LabelSummary]) -> Table:
    """Numbers with mean, 95 % CI and quantiles; labels with the share of runs ending on each."""
    table = Table(title=title, title_justify="left")
    for column, justify in [
        ("outcome", "left"),
        ("mean", "right"),
        ("95% CI", "right"),
        ("5%", "right"),
        ("50%", "right"),
        ("95%", "right"),
    ]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    labels = []
    for s in summaries:
        if isinstance(s, NumberSummary):
            table.add_row(
                s.name,
                f"{s.mean:.2f}",
                f"{s.ci_low:.2f}..{s.ci_high:.2f}",
                f"{s.p5:.1f}",
                f"{s.p50:.1f}",
                f"{s.p95:.1f}",
            )
        else:
            labels.append(s)
    for s in labels:
        shares = ", ".join(f"{label} {share:.1%}" for label, share in list(s.shares.items())[:4])
        table.add_row(s.name, shares, "", "", "", "")
    return table
