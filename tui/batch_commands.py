"""`wargame run`, `wargame summary` and `wargame sensitivity`: the analyst's commands."""

from __future__ import annotations

import argparse
import math
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
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from wargame.engine import TRAJECTORY_CHUNK
from wargame.engine.batch_summary import summarise_batch
from wargame.engine.chunks import result_schema, trajectory_schema
from wargame.engine.compiled import Scenario
from wargame.engine.errors import ResultsError, RuntimeFailure, UsageError, WargameError
from wargame.engine.executors import (
    BatchSpec,
    Executor,
    PlayedChunk,
    make_executor,
    run_chunks,
)
from wargame.engine.files import os_reason
from wargame.engine.provenance import provenance
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario
from wargame.engine.schema import is_path_like
from wargame.engine.store import (
    BATCH_KEY,
    ResultStore,
    read_manifest,
    results_manifest,
    trajectories_path,
)
from wargame.tui.answers import check_answers
from wargame.tui.exports import summary_export
from wargame.tui.paths import input_file, output_file, output_folder
from wargame.tui.summary_view import outcome_names, print_plots, print_summary
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


_OTHER_FORMATS = (".csv", ".tsv", ".json", ".txt", ".xlsx", ".arrow", ".feather")


def check_execution(args: argparse.Namespace) -> None:
    """Refuse, before any work, an execution option that would be ignored."""
    if args.scheduler and args.workers:
        raise UsageError(
            "--workers counts local processes: a Dask cluster (--scheduler) has its own workers"
        )


def executor_for(args: argparse.Namespace, runs: int, chunk_size: int) -> Executor:
    """Local processes (`--workers`, default all cores) or a Dask cluster (`--scheduler`);
    `check_execution` has checked the options before any work."""
    return make_executor(args.workers or default_workers(runs, chunk_size), args.scheduler)


def check_export(args: argparse.Namespace) -> None:
    """`-o` takes the numbers (`--format csv` or `json`); the text summary is printed."""
    output = getattr(args, "output", None)
    if output is None:
        return
    if getattr(args, "format", "text") == "text":
        raise UsageError(
            "-o writes the numbers: add --format csv or json (the text summary is printed; "
            "redirect it with > FILE)"
        )
    output_file(output, "-o")


def default_workers(runs: int, chunk_size: int) -> int:
    """All cores, but no more processes than there are chunks."""
    chunks = -(-runs // chunk_size)
    return max(1, min(os.cpu_count() or 1, chunks))


def design_from_args(
    scenario: Scenario, args: argparse.Namespace, runs: int, kind: str | None = None
) -> Design:
    """The design `--sample/--set/--vary/--levels` ask for (`kind` overrides `--sample`).

    An option the design would not use is refused, never ignored: `--vary` without a
    sampling design, `--levels` without a grid, one input `--set` to two values.
    """
    kind = kind or args.sample
    vary = None
    if args.vary is not None:
        vary = tuple(name.strip() for name in args.vary.split(","))
        if not all(vary):
            raise UsageError(f"--vary names inputs, separated by commas (got {args.vary!r})")
        if kind == "none":
            raise UsageError(
                "--vary chooses the inputs a design draws: add --sample uniform, lhs, sobol or grid"
            )
    levels = getattr(args, "levels", None)
    if levels is not None and kind != "grid":
        raise UsageError("--levels is the number of levels per input of --sample grid")
    fixed: dict[str, float] = {}
    for name, value in args.set or []:
        if name in fixed and fixed[name] != value:
            raise UsageError(f"--set {name} is given twice ({fixed[name]:g} and {value:g})")
        fixed[name] = value
    return Design(
        scenario,
        kind,
        seed=args.seed,
        runs=runs,
        fixed=fixed,
        vary=vary,
        levels=levels or 3,
        temperature=getattr(args, "temperature", None),
    )


def check_grid(design: Design, runs: int) -> str | None:
    """A grid a batch covers whole, else UsageError: its point k is run k written in mixed
    radix, so runs short of every point would hold all but the last inputs at their lowest
    level. A note when the points do not get equally many runs."""
    if design.kind != "grid":
        return None
    levels, inputs = design.levels, len(design.varied)
    points = levels**inputs
    if points > runs:
        whole = 0
        while levels ** (whole + 1) <= runs:
            whole += 1
        size = f"{points:,}" if inputs * math.log10(levels) < 16 else f"{levels}^{inputs}"
        raise UsageError(
            f"a grid of {levels} levels over {inputs} inputs has {size} points, more than "
            f"--runs {runs:,}: fewer runs than points would hold most inputs at their lowest "
            f"level. Choose at most {whole} inputs with --vary, fewer --levels or more "
            "--runs, or use --sample lhs"
        )
    if runs % points:
        return (
            f"note: {runs:,} runs over the grid's {points:,} points: the first "
            f"{runs % points:,} points get one run more than the others"
        )
    return None


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
        trajectories=bool(getattr(args, "trajectories", False)),
    )


def command_line(args: argparse.Namespace) -> str:
    """The command as typed (tui.cli keeps its arguments), quoted to be run again."""
    return shlex.join(["wargame", *getattr(args, "argv", sys.argv[1:])])


def run_command(args: argparse.Namespace, chunk_default: int) -> int:
    if args.out is not None:
        output_file(args.out, "--out")
        if args.out.suffix.lower() in _OTHER_FORMATS:
            raise UsageError(
                f"--out {args.out}: results are Parquet, not {args.out.suffix[1:]}: name it "
                f"{args.out.with_suffix('.parquet').name} (`wargame summary --format csv` or "
                "json gives the numbers in other formats)"
            )
    check_export(args)
    check_execution(args)
    if args.plot is not None:
        output_folder(args.plot, "--plot")
    scenario = load_scenario(args.scenario)
    chunk = args.chunk_size or (TRAJECTORY_CHUNK if args.trajectories else chunk_default)
    design = design_from_args(scenario, args, args.runs)
    schema = result_schema(scenario, [u.name for u in design.varied])
    steps = trajectory_schema(scenario) if args.trajectories else None
    # the summary's names, checked against the columns the batch will write, before it runs
    check_answers(args, schema, steps, scenario)
    err = Console(stderr=True)
    note = check_grid(design, args.runs)
    if note is not None:
        err.print(note, highlight=False, markup=False, soft_wrap=True)
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
        schema,
        steps,
        provenance(scenario, command_line(args)),
    )
    title = f"{scenario.spec.title}: {args.runs:,} runs, seed {args.seed}"
    try:
        store.start(resume=args.resume, force=args.force)
        if store.rebuilt is not None:
            err.print(
                terminal_safe(
                    f"note: {store.rebuilt}; rebuilt from the {len(store.done)} chunks kept in "
                    f"{store.parts}"
                ),
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
        if store.complete:
            err.print(
                terminal_safe(f"{args.out} is already complete: nothing to play"),
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
            show_summary(args, title, out, scenario, store.trajectories if steps else None)
            return 0
        executor = executor_for(args, args.runs, chunk)
        started = time.perf_counter()
        before = store.runs_done()
        try:
            with (
                terminate_as_interrupt(),
                progress_bar(scenario.id, args.runs, args.quiet) as advance,
            ):
                advance(before)

                def keep(index: int, chunk: PlayedChunk) -> None:
                    store.add(index, chunk)
                    advance(chunk.results.num_rows)

                run_chunks(spec, store.missing(), executor, keep)
                store.finish()
        except KeyboardInterrupt:
            # on one line however long: the command is copied from logs
            message = terminal_safe(f"interrupted: {_kept(args, store)}")
            err.print(message, highlight=False, markup=False, soft_wrap=True)
            raise
        except RuntimeFailure as exc:  # a full disk, a chunk that kept failing
            if not store.done:
                raise
            raise RuntimeFailure(f"{exc}; {_kept(args, store)}") from None
        elapsed = time.perf_counter() - started
        played = args.runs - before
        show_summary(args, title, out, scenario, store.trajectories if steps else None)
        where = f"; results in {args.out}" if args.out is not None else ""
        if args.out is not None and steps is not None:
            where += f", trajectories in {store.trajectories}"
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


def _kept(args: argparse.Namespace, store: ResultStore) -> str:
    """What a stopped batch keeps and, with --out, the command that finishes it."""
    done, total = len(store.done), len(store.spec.chunks())
    message = f"{done} of {total} chunks ({store.runs_done():,} runs) are kept"
    if args.out is not None:
        finish = _resume_command(command_line(args), args.out)
        message += f" in {store.parts}; finish with: {finish}"
    return message


def _resume_command(command: str, out: Path) -> str:
    """The command that finishes an interrupted batch: the same, with --resume, and its
    --out made absolute (it is run again from wherever the user is then)."""
    words = shlex.split(command)
    for i, word in enumerate(words):
        if word == "--out" and i + 1 < len(words):
            words[i + 1] = str(out.resolve())
        elif word.startswith("--out="):
            words[i] = f"--out={out.resolve()}"
    if "--resume" not in words:
        words.append("--resume")
    return shlex.join(words)


def show_summary(
    args: argparse.Namespace,
    title: str,
    results: Path,
    scenario: Scenario | None,
    trajectories: Path | None,
) -> None:
    """Check what the summary is asked to show, compute it, then print or export it."""
    steps = pq.read_schema(trajectories) if trajectories is not None else None
    answers = check_answers(args, pq.read_schema(results), steps, scenario)
    fmt = getattr(args, "format", "text")
    if fmt != "text" and answers.hist:
        raise UsageError(
            f"--hist draws in the terminal: leave it out with --format {fmt} (--plot writes "
            "PNG histograms)"
        )
    columns = pq.read_schema(results).names
    report = summarise_batch(
        title,
        results,
        outcomes=outcome_names(scenario, columns),
        branches=answers.branches,
        trajectories=trajectories,
        indicators=answers.fan,
        split=answers.split,
    )
    if fmt == "text":
        print_summary(report, scenario, answers, args.plot)
        return
    write_export(summary_export(report, scenario, fmt), getattr(args, "output", None))
    if args.plot is not None:
        print_plots(report, scenario, answers, args.plot)


def write_export(text: str, output: Path | None) -> None:
    """CSV or JSON to `output` (said on stderr), or to stdout."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise RuntimeFailure(f"cannot write {output}: {os_reason(exc)}") from None
    print(terminal_safe(f"wrote {output}"), file=sys.stderr)


def summary_command(args: argparse.Namespace) -> int:
    results = Path(args.results)
    check_export(args)
    if not results.exists() and not results.is_symlink():
        _unfinished(results)
    path = input_file(results, "summary")
    if args.plot is not None:
        output_folder(args.plot, "--plot")
    scenario = None
    title = str(path)
    manifest: dict[str, Any] = {}
    try:
        manifest = results_manifest(path)
        spec = manifest["spec"]
        scenario = load_scenario(spec["scenario"])
        title = f"{scenario.spec.title}: {spec['runs']:,} runs, seed {spec['seed']}"
    except (KeyError, TypeError, WargameError) as exc:
        Console(stderr=True).print(
            terminal_safe(f"note: {exc}; summarising the table alone (no branch breakdowns)"),
            highlight=False,
            markup=False,
        )
    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise ResultsError(f"{path} is not a readable Parquet results file: {exc}") from None
    trajectories = _trajectories_of(path, schema) if manifest.get("trajectories") else None
    show_summary(args, title, path, scenario, trajectories)
    return 0


def _trajectories_of(results: Path, schema: pa.Schema) -> Path | None:
    """The trajectories file beside a results file, if it is there and of the same batch."""
    path = trajectories_path(results)
    if not path.is_file():
        Console(stderr=True).print(
            terminal_safe(f"note: {path.name} is missing: the summary has no per-turn spread"),
            highlight=False,
            markup=False,
        )
        return None
    try:
        theirs = (pq.read_schema(path).metadata or {}).get(BATCH_KEY)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise ResultsError(f"{path} is not a readable Parquet file: {exc}") from None
    if theirs != (schema.metadata or {}).get(BATCH_KEY):
        raise ResultsError(
            f"{path} is not from the batch that made {results.name}: run the batch again with "
            "--trajectories --force, or move the file away"
        )
    return path


def _unfinished(results: Path) -> None:
    """No results file: if a batch was interrupted there, say how to finish it."""
    try:
        manifest = read_manifest(results)
    except ResultsError:
        input_file(results, "summary")  # no such file: the usual message
        raise
    spec = manifest["spec"]
    if manifest["complete"]:
        raise ResultsError(
            f"{results} is missing, though its manifest says the batch finished: run the "
            "batch again with --force"
        )
    command = (manifest.get("provenance") or {}).get("command")
    total = -(-spec["runs"] // spec["chunk_size"])
    how = (
        f"finish it with: {_resume_command(command, results)}"
        if command
        else "finish it with the `wargame run` command that started it, adding --resume"
    )
    raise ResultsError(
        f"{results} is not finished: the batch was interrupted after {len(manifest['done'])} "
        f"of {total} chunks ({manifest['runs_done']:,} of {spec['runs']:,} runs); {how}"
    )


def sensitivity_command(args: argparse.Namespace, chunk_default: int) -> int:
    from wargame.engine.sensitivity import numeric_outcomes, plan_sobol, sobol_indices
    from wargame.tui.exports import sensitivity_export
    from wargame.tui.summary_view import print_sensitivity

    check_export(args)
    check_execution(args)
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
    executor = executor_for(args, plan.runs, chunk)
    with (
        terminate_as_interrupt(),
        progress_bar(f"{scenario.id} sensitivity", plan.runs, args.quiet) as advance,
    ):
        results = sobol_indices(plan, spec, outcomes, executor, args.seed, advance)
    if args.format == "text":
        print_sensitivity(scenario, args, plan.runs, results)
    else:
        about = {"samples": args.samples, "runs": plan.runs, "seed": args.seed}
        write_export(sensitivity_export(scenario, results, about, args.format), args.output)
    return 0
