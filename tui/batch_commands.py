"""`wargame run`, `wargame summary` and `wargame sensitivity`: the analyst's commands."""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from wargame.engine.chunks import result_schema
from wargame.engine.compiled import Scenario
from wargame.engine.errors import ResultsError, WargameError
from wargame.engine.executors import BatchSpec, make_executor, run_chunks
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario
from wargame.engine.schema import is_path_like
from wargame.engine.store import ResultStore, read_manifest
from wargame.engine.summary import summarise_file
from wargame.tui.paths import input_file, output_file, output_folder
from wargame.tui.summary_view import print_summary
from wargame.tui.terminal import terminal_safe

__all__ = ["run_command", "sensitivity_command", "summary_command"]


@contextmanager
def progress_bar(title: str, total: int, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A rich progress bar with games/s and ETA on stderr; yields `advance(n)`."""
    err = Console(stderr=True)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} games/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, disable=quiet or not err.is_terminal) as progress:
        task = progress.add_task(title, total=total, rate="-")
        started = time.perf_counter()
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            rate = done / max(time.perf_counter() - started, 1e-9)
            progress.update(task, advance=n, rate=f"{rate:,.0f}")

        yield advance


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """`kill PID` (SIGTERM) stops a batch as Ctrl-C does: what finished is kept, the workers
    are stopped, the results folder is released."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def default_workers(runs: int, chunk_size: int) -> int:
    """All cores, but no more processes than there are chunks."""
    chunks = -(-runs // chunk_size)
    return max(1, min(os.cpu_count() or 1, chunks))


def design_from_args(
    scenario: Scenario, args: argparse.Namespace, runs: int, kind: str | None = None
) -> Design:
    """The design `--sample/--set/--vary/--levels` ask for (`kind` overrides `--sample`)."""
    return Design(
        scenario,
        kind or args.sample,
        seed=args.seed,
        runs=runs,
        fixed=dict(args.set or []),
        vary=tuple(args.vary.split(",")) if args.vary else None,
        levels=getattr(args, "levels", 3),
        temperature=getattr(args, "temperature", None),
    )


def batch_spec(
    scenario: Scenario, ref: str, args: argparse.Namespace, runs: int, chunk: int, design: Design
) -> BatchSpec:
    path = Path(ref)
    # a bundled name is loaded by name on every worker; a file by its absolute path
    where = str(path.resolve()) if path.exists() or is_path_like(ref) else ref
    return BatchSpec(
        scenario=where,
        scenario_sha256=scenario.digest,
        seed=args.seed,
        runs=runs,
        chunk_size=chunk,
        design=design.describe(),
    )


def run_command(args: argparse.Namespace, chunk_default: int) -> int:
    if args.out is not None:
        output_file(args.out, "--out")
    if args.plot is not None:
        output_folder(args.plot, "--plot")
    scenario = load_scenario(args.scenario)
    chunk = args.chunk_size or chunk_default
    design = design_from_args(scenario, args, args.runs)
    err = Console(stderr=True)
    if design.kind == "grid" and args.levels ** len(design.varied) > args.runs:
        err.print(
            f"note: a grid of {args.levels} levels over {len(design.varied)} inputs has "
            f"{args.levels ** len(design.varied):,} points; {args.runs:,} runs cover part of it "
            "(choose inputs with --vary)"
        )
    spec = batch_spec(scenario, args.scenario, args, args.runs, chunk, design)
    scratch = None
    out = args.out
    if out is None:
        scratch = tempfile.TemporaryDirectory(prefix="wargame-")
        out = Path(scratch.name) / "results.parquet"
    store = ResultStore(
        out,
        spec,
        {
            "scenario_file": scenario.file,
            "scenario_id": scenario.id,
            "parameters": scenario.parameters,
        },
        result_schema(scenario, [u.name for u in design.varied]),
    )
    try:
        store.start(resume=args.resume, force=args.force)
        workers = args.workers or default_workers(args.runs, chunk)
        executor = make_executor(workers, args.scheduler)
        started = time.perf_counter()
        before = store.runs_done()
        try:
            with (
                terminate_as_interrupt(),
                progress_bar(scenario.id, args.runs, args.quiet) as advance,
            ):
                advance(before)

                def keep(index: int, table: pa.Table) -> None:
                    store.add(index, table)
                    advance(table.num_rows)

                run_chunks(spec, store.missing(), executor, keep)
        except KeyboardInterrupt:
            done, total = len(store.done), len(spec.chunks())
            message = f"interrupted: {done} of {total} chunks ({store.runs_done():,} runs) are kept"
            if args.out is not None:
                command = " ".join(shlex.quote(a) for a in ["wargame", *sys.argv[1:]])
                resume = "" if args.resume else " --resume"
                message += f" in {store.parts}; finish with: {command}{resume}"
            err.print(terminal_safe(message), highlight=False, markup=False)
            raise
        store.finish()
        elapsed = time.perf_counter() - started
        played = args.runs - before
        title = f"{scenario.spec.title}: {args.runs:,} runs, seed {args.seed}"
        print_summary(title, summarise_file(out), out, scenario, args)
        where = f"; results in {args.out}" if args.out is not None else ""
        err.print(
            terminal_safe(
                f"{played:,} games in {elapsed:.1f} s ({played / max(elapsed, 1e-9):,.0f} "
                f"games/s, {executor.workers} {'Dask ' if args.scheduler else ''}"
                f"worker{'s' if executor.workers != 1 else ''}){where}"
            ),
            highlight=False,
            markup=False,
        )
    finally:
        store.close()
        if scratch is not None:
            scratch.cleanup()
    return 0


def summary_command(args: argparse.Namespace) -> int:
    path = input_file(Path(args.results), "summary")
    if args.plot is not None:
        output_folder(args.plot, "--plot")
    scenario = None
    title = str(path)
    try:
        spec = read_manifest(path)["spec"]
        scenario = load_scenario(spec["scenario"])
        title = f"{scenario.spec.title}: {spec['runs']:,} runs, seed {spec['seed']}"
    except (KeyError, TypeError, WargameError) as exc:
        Console(stderr=True).print(
            terminal_safe(f"note: {exc}; summarising the table alone (no branch breakdowns)"),
            highlight=False,
            markup=False,
        )
    try:
        summaries = summarise_file(path)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise ResultsError(f"{path} is not a readable Parquet results file: {exc}") from None
    print_summary(title, summaries, path, scenario, args)
    return 0


def sensitivity_command(args: argparse.Namespace, chunk_default: int) -> int:
    from wargame.engine.sensitivity import numeric_outcomes, plan_sobol, sobol_indices
    from wargame.tui.summary_view import print_sensitivity

    scenario = load_scenario(args.scenario)
    # the design names the varied inputs and holds the --set ones; SALib draws the points
    design = design_from_args(scenario, args, 1, kind="uniform")
    plan = plan_sobol(design, args.samples, args.seed)
    outcomes = numeric_outcomes(scenario, args.outcomes.split(",") if args.outcomes else None)
    chunk = args.chunk_size or chunk_default
    spec = batch_spec(
        scenario,
        args.scenario,
        args,
        plan.runs,
        chunk,
        Design(scenario, "none", seed=args.seed, runs=plan.runs, fixed=design.fixed),
    )
    executor = make_executor(args.workers or default_workers(plan.runs, chunk), args.scheduler)
    with (
        terminate_as_interrupt(),
        progress_bar(f"{scenario.id} sensitivity", plan.runs, args.quiet) as advance,
    ):
        results = sobol_indices(plan, spec, outcomes, executor, args.seed, advance)
    print_sensitivity(scenario, args, plan.runs, results)
    return 0
