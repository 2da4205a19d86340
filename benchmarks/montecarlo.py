"""Speed, printed: the engine against its own earlier code and an honest scalar Mesa baseline.

One run of this script prints, for this code and (with `--before REV`) the code of an
earlier commit side by side, measured in the same run on the same machine:

- the engine's whole games per second and per CPU-second at 10^5 and 10^6 runs with one
  process and with two (`engine.executors.run_chunks`, as `wargame run` plays them: start-up,
  scenario loading and numba's loading of its compiled kernels included), with each
  configuration's peak resident memory (the process and its workers);
- the whole `wargame run` of 10^6 runs on two processes, from the command to its exit,
  with the Parquet file and the summary, and the peak memory of its process tree;
- the start-up of `wargame replay madrid-2022 --seed 1 --run 3` (command to exit), the
  time from starting the game to its first screen (the first frame drawn) and to its
  first idle moment (the AI games its debrief compares with played, in a thread), and
  from a key press in the game to the next screen (the Textual app driven by its Pilot,
  headless, at 80x24);
- the honest baseline: the scalar Mesa implementation (benchmarks/scalar_mesa.py) on one
  process, and the engine's ratio to it per CPU-second.

Each configuration runs in a fresh subprocess, so memory and start-up figures are its own.
Figures, not assertions: the machines are shared, so compare figures of the same run. The
headline figures (the engine once up, the baseline once up, the whole `wargame run`) are the
best of `--repeat` measurements (3 by default), the codes taking turns: on a shared machine
the best is the one other work disturbed least, and each code gets as many tries.

    python -m benchmarks.montecarlo --before 1b25cc5   # the full table, before and after
    python -m benchmarks.montecarlo --quick            # 10^4 and 10^5 runs, this code only

`--before REV` checks REV out into a temporary git worktree and runs its engine from there
(the benchmark's own code, and the baseline, are this checkout's).

The baseline (benchmarks/scalar_mesa.py) is the scenario language implemented the way a
competent Mesa user would write it: one `mesa.Model` per game holding plain Python floats
(and labels for facts), the actors as `mesa.Agent`s whose methods score, choose and accept,
one turn per `step()`, a DataCollector that holds each game's results, and games played by
`mesa.batch_run`. It is not made slow: each scenario is compiled once per process into
closures, the draws' per-site hashing is cached, scores are recomputed mid-turn only when
an expression reads them, and data is collected once per game. `tests/test_scalar_baseline.py`
proves it plays the same game as the engine, run by run. The old baseline (the vectorised
engine on arrays of length one through `batch_run`) is kept only as a footnote.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCENARIO = "madrid-2022"
ROOT = Path(__file__).resolve().parent.parent
HEADLINE_RUNS = 100_000  # the engine's batch the baseline is compared with
PACKAGE_FOLDERS = ("engine", "actors", "scenarios", "tui")


# -- what runs in a measuring subprocess --------------------------------------------------


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the engine's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mib() -> float:
    """Peak resident memory of this process plus that of its largest finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def timed(play: Callable[[], int]) -> dict[str, float]:
    """Games per second and per CPU-second of `play` (which returns how many it played)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    games = play()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return {"rate": games / wall, "cpu_rate": games / cpu, "wall": wall, "cpu": cpu}


def vectorised(runs: int, workers: int) -> int:
    """The engine's batch path (chunks over `workers` processes); returns the games played."""
    from wargame.engine import DEFAULT_CHUNK
    from wargame.engine.executors import BatchSpec, make_executor, run_chunks
    from wargame.engine.scenario import load_scenario

    scenario = load_scenario(SCENARIO)
    spec = BatchSpec(SCENARIO, scenario.digest, 1, runs, DEFAULT_CHUNK)
    rows = 0

    def count(_index: int, chunk: Any) -> None:
        nonlocal rows
        # a PlayedChunk (code from before IPC parts handed over the results table itself)
        rows += getattr(chunk, "results", chunk).num_rows

    run_chunks(spec, range(len(spec.chunks())), make_executor(workers, None), count)
    assert rows == runs
    return rows


def scalar(games: int) -> int:
    """The honest baseline: a scalar Mesa model per game through batch_run, one process."""
    from benchmarks.scalar_mesa import play_games

    results = play_games(SCENARIO, range(games), seed=1)
    assert len(results) == games
    return games


def steady(kind: str, count: int) -> dict[str, float]:
    """Games per CPU-second once the process is up: imports, the scenario and the numba
    kernels loaded and a first batch played, then `count` games timed (in this process).
    What the engine itself costs, without the start-up a batch pays once per process."""
    if kind == "vectorised":
        from wargame.engine.chunks import run_batch
        from wargame.engine.scenario import load_scenario

        scenario = load_scenario(SCENARIO)

        def play(runs: int, first: int) -> int:
            return sum(t.num_rows for t in run_batch(scenario, runs, 1, first_run=first))

        warm = 40_000
    else:
        from benchmarks.scalar_mesa import play_games

        def play(runs: int, first: int) -> int:
            return len(play_games(SCENARIO, range(first, first + runs), seed=1))

        warm = 100
    play(warm, 0)
    return timed(lambda: play(count, warm))


def length_one(games: int) -> int:
    """The old baseline: the engine on a batch of one per game, through batch_run."""
    import mesa

    from benchmarks.scalar_mesa import seeded_batch_run
    from wargame.engine.model import WargameModel
    from wargame.engine.scenario import load_scenario

    scenario = load_scenario(SCENARIO)

    class LengthOneGame(WargameModel):  # type: ignore[misc]
        def __init__(self, run: int = 0, seed: int = 1) -> None:
            super().__init__(scenario, seed=seed, runs=[run], explain=False)
            self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
            self.datacollector.collect(self)

    results = seeded_batch_run(LengthOneGame, {"run": range(games)}, seed=1)
    assert len(results) == games
    return games


async def game_screens(presses: int) -> dict[str, float]:
    """Start the game (all actors AI) and press `n` (play on) a few times: when the first
    screen was drawn and when the app was first idle (its AI games for the debrief played,
    in a thread), both by time.time(), and the median time from a key press to the next
    screen."""
    from textual.pilot import Pilot

    from wargame.tui.app.app import WargameApp

    async def settle(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    with tempfile.TemporaryDirectory() as folder:
        app = WargameApp(humans=(), seed=1, save_as=Path(folder) / "game.json")
        frames = frame_times(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            idle = time.time()
            first_frame = idle - (time.perf_counter() - frames[0])
            waits, cpu, drawn = [], [], []
            for _ in range(presses):
                start, start_cpu = time.perf_counter(), time.process_time()
                await pilot.press("n")
                await settle(pilot)
                waits.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                drawn.append(max((t for t in frames if t > start), default=start) - start)
    return {
        "first_frame": first_frame,
        "idle": idle,
        "key_to_screen": statistics.median(waits),
        "key_cpu": statistics.median(cpu),  # the process's CPU time in that wait
        "key_to_frame": statistics.median(drawn),
    }


def frame_times(app: Any) -> list[float]:
    """A list that fills with the time (perf_counter) of every frame the app composes for
    its terminal from now on: the last one after a key press is its next screen, complete.
    (Headless, Textual composes each frame but skips encoding it for a terminal.)"""
    times: list[float] = []
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            times.append(time.perf_counter())

    app._display = timed_display
    return times


def one(kind: str, count: int, workers: int) -> None:
    """Measure one configuration in this (fresh) process and print it as JSON."""
    if kind == "game":
        print(json.dumps(asyncio.run(game_screens(count))))
        return
    if kind.startswith("steady-"):
        print(json.dumps(steady(kind.removeprefix("steady-"), count)))
        return
    plays = {
        "vectorised": lambda: vectorised(count, workers),
        "scalar": lambda: scalar(count),
        "length-one": lambda: length_one(count),
    }
    print(json.dumps({**timed(plays[kind]), "rss": peak_rss_mib()}))


# -- the code measured: this checkout, or an earlier commit --------------------------------


@dataclass(frozen=True)
class Code:
    """A checkout of the project, importable as `wargame` through a folder of symlinks laid
    out as the installed package (as .ci/typecheck does)."""

    label: str
    checkout: Path
    package_root: Path

    def env(self) -> dict[str, str]:
        """The environment of a subprocess that imports this code's `wargame` (and this
        checkout's `benchmarks`)."""
        path = os.pathsep.join([str(self.package_root), str(ROOT)])
        return {**os.environ, "PYTHONPATH": path}

    def python(self, args: list[str], timeout: float = 3600) -> subprocess.CompletedProcess[str]:
        """Run `python ARGS` with this code, from a neutral folder."""
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=self.package_root,
            env=self.env(),
            timeout=timeout,
        )


def lay_out(label: str, checkout: Path, into: Path) -> Code:
    """A `wargame` package folder for `checkout` under `into`, its bytecode compiled as an
    installed package's is (where PYTHONDONTWRITEBYTECODE is set, every process would
    otherwise compile the project's sources again)."""
    package = into / label / "wargame"
    package.mkdir(parents=True)
    (package / "__init__.py").symlink_to(checkout / "wargame" / "__init__.py")
    for folder in PACKAGE_FOLDERS:
        (package / folder).symlink_to(checkout / folder)
    folders = [str(checkout / f) for f in ("wargame", *PACKAGE_FOLDERS)]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *folders], check=True, capture_output=True
    )
    return Code(label, checkout, package.parent)


def check_out(rev: str, into: Path) -> Path:
    """A temporary git worktree of `rev` (removed by `remove_worktree`)."""
    folder = into / f"before-{rev[:12]}"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev],
        check=True,
        capture_output=True,
    )
    return folder


def remove_worktree(folder: Path) -> None:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
        check=False,
        capture_output=True,
    )


@contextlib.contextmanager
def codes_to_compare(before_rev: str | None, prefix: str) -> Iterator[list[Code]]:
    """This checkout's code and, with `before_rev`, that commit's checked out beside it (in a
    temporary git worktree, removed afterwards), the earlier first."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        folder = Path(scratch)
        codes = [lay_out("after", ROOT, folder)]
        before = None
        if before_rev:
            before = check_out(before_rev, folder)
            codes.insert(0, lay_out("before", before, folder))
        try:
            yield codes
        finally:
            if before is not None:
                remove_worktree(before)


# -- measurements, each in a fresh subprocess ---------------------------------------------


def measure(code: Code, kind: str, count: int, workers: int = 1) -> dict[str, float]:
    done = code.python(["-m", "benchmarks.montecarlo", "--one", kind, str(count), str(workers)])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def command_time(code: Code, argv: list[str], repeat: int = 1) -> dict[str, float]:
    """Wall time (median of `repeat`) of `wargame ARGV` run with this code, from start to
    exit, and the peak resident memory of its process tree."""
    from benchmarks.peak_memory import tree_rss_kib

    walls, peak = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "wargame.tui.cli", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=code.package_root,
            env=code.env(),
        )
        while process.poll() is None:
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(0.02)
        walls.append(time.perf_counter() - start)
        if process.returncode != 0:
            error = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"wargame {' '.join(argv)} failed: {error}")
    return {"wall": statistics.median(walls), "rss": peak / 1024}


AROUND_THE_ENGINE = {
    "worker_start": "a spawned worker's imports (each worker)",
    "kernels": "loading numba and its cached kernels",
    "merge": "encoding the final Parquet file [2]",
    "summary": "`wargame summary` of the file",
}


def around_the_engine(code: Code, results: Path) -> dict[str, float]:
    """What a batch costs beside playing: a worker's start (spawned, it imports everything
    again), numba's loading of its kernels, encoding the results as Parquet (timed here by
    reading the finished file and writing it again), and the summary."""
    script = (
        "import time; t = time.perf_counter(); import wargame.engine.executors, "
        "wargame.engine.model; print(time.perf_counter() - t)"  # what a worker plays with
    )
    worker_start = float(code.python(["-c", script]).stdout.split()[-1])
    script = (
        "import time, numpy as np; t = time.perf_counter(); from wargame.engine import rng; "
        "rng.uniform(1, np.arange(100_000), 1, 2); print(time.perf_counter() - t)"
    )
    kernels = float(code.python(["-c", script]).stdout.split()[-1])
    script = (
        "import sys, time, pyarrow.parquet as pq; t = time.perf_counter(); "
        "pq.write_table(pq.read_table(sys.argv[1]), sys.argv[1] + '.again', "
        "compression='zstd'); print(time.perf_counter() - t)"
    )
    merge = float(code.python(["-c", script, str(results)]).stdout.split()[-1])
    summary = command_time(code, ["summary", str(results)])["wall"]
    return {"worker_start": worker_start, "kernels": kernels, "merge": merge, "summary": summary}


def game_times(code: Code) -> dict[str, float]:
    """The game's first screen (from starting the process), and a key press to its next
    screen: to the frame Textual composed, and until the Pilot found the app idle."""
    start = time.time()
    figures = measure(code, "game", 5)
    return {
        "first_frame": figures["first_frame"] - start,
        "idle": figures["idle"] - start,
        "frame": figures["key_to_frame"],
        "key": figures["key_to_screen"],
    }


# -- printing -------------------------------------------------------------------------------


def row(label: str, cells: list[str]) -> None:
    print(f"{label:<46}" + "".join(f"{c:>16}" for c in cells), flush=True)


def rate_cell(figures: dict[str, float]) -> str:
    return f"{figures['cpu_rate']:,.0f} /CPU-s"


def processes(workers: int) -> str:
    return f"{workers} process{'es' if workers > 1 else ''}"


def ratio(after: float, before: float) -> str:
    return f"{after / before:.2f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="measure this commit's code beside")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a fast look")
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="best of N for the headline figures"
    )
    parser.add_argument(
        "--one", nargs=3, metavar=("KIND", "COUNT", "WORKERS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]), int(args.one[2]))
        return 0
    with codes_to_compare(args.before, "wargame-bench-") as codes:
        report(codes, quick=args.quick, before_rev=args.before, repeat=max(1, args.repeat))
    return 0


def best_of(
    codes: list[Code],
    repeat: int,
    take: Callable[[Code], dict[str, float]],
    better: Callable[[dict[str, float]], float],
) -> dict[str, dict[str, float]]:
    """Each code's best of `repeat` measurements by `take` (highest `better`), the codes
    taking turns so that each sees the machine's load as often."""
    found: dict[str, list[dict[str, float]]] = {c.label: [] for c in codes}
    for _ in range(repeat):
        for code in codes:
            found[code.label].append(take(code))
    return {label: max(tries, key=better) for label, tries in found.items()}


def report(codes: list[Code], *, quick: bool, before_rev: str | None, repeat: int) -> None:
    """Measure every configuration with each code, side by side, and print the table."""
    import mesa

    cores = os.cpu_count() or 1
    sizes = [10_000, HEADLINE_RUNS] if quick else [HEADLINE_RUNS, 1_000_000]
    run_size = 100_000 if quick else 1_000_000
    baseline_games, old_games = (500, 50) if quick else (3_000, 300)
    labels = [c.label for c in codes]
    head = "" if before_rev is None else f", before = {before_rev}, after = this checkout"
    print(
        f"python {sys.version.split()[0]}, mesa {mesa.__version__}, scenario {SCENARIO}, "
        f"{cores} cores (shared machine: compare figures of the same run){head}; "
        f"headline figures: best of {repeat}\n"
    )
    with_ratio = len(codes) > 1
    for code in codes:  # numba compiles (or loads) its kernels once, before any figure
        measure(code, "vectorised", 20_000, 1)
    row("configuration", [*labels, *(["after/before"] if with_ratio else [])])

    engine: dict[tuple[str, int, int], dict[str, float]] = {}
    for workers in sorted({1, min(2, cores)}):
        for n in sizes:
            for code in codes:  # interleaved: both codes see the same machine load
                engine[(code.label, workers, n)] = measure(code, "vectorised", n, workers)
            cells = [rate_cell(engine[(c.label, workers, n)]) for c in codes]
            if with_ratio:
                cells.append(
                    ratio(
                        engine[("after", workers, n)]["cpu_rate"],
                        engine[("before", workers, n)]["cpu_rate"],
                    )
                )
            row(f"engine games per CPU-second, {n:,} runs, {processes(workers)}", cells)
            cells = [f"{engine[(c.label, workers, n)]['rss']:,.0f} MiB" for c in codes]
            row("  peak memory", cells)

    run_argv = ["run", SCENARIO, "--runs", str(run_size), "--seed", "1", "--quiet"]

    def whole_run(code: Code, costs: dict[str, dict[str, float]] | None = None) -> dict[str, float]:
        with tempfile.TemporaryDirectory() as out:
            results = Path(out) / "r.parquet"
            argv = [*run_argv, "--workers", str(min(2, cores)), "--out", str(results)]
            timed = command_time(code, argv)
            if costs is not None:
                costs[code.label] = around_the_engine(code, results)
            return timed

    costs: dict[str, dict[str, float]] = {}
    for code in codes:
        whole_run(code, costs)
    runs = best_of(codes, repeat, whole_run, lambda m: -m["wall"])
    cells = [f"{runs[c.label]['wall']:.2f} s" for c in codes]
    row(f"`wargame run`, {run_size:,} runs, {processes(min(2, cores))}", cells)
    row("  peak memory (process tree)", [f"{runs[c.label]['rss']:,.0f} MiB" for c in codes])
    for key, label in AROUND_THE_ENGINE.items():
        row(f"  {label}", [f"{costs[c][key]:.2f} s" for c in labels])

    replay = ["replay", SCENARIO, "--seed", "1", "--run", "3"]
    starts = {c.label: command_time(c, replay, repeat=3) for c in codes}
    row(
        "`wargame replay madrid-2022 --seed 1 --run 3`",
        [f"{starts[c]['wall']:.2f} s" for c in labels],
    )
    games = {c.label: game_times(c) for c in codes}
    row("game: start to first screen", [f"{games[c]['first_frame']:.2f} s" for c in labels])
    row("  to idle (the debrief's AI games played)", [f"{games[c]['idle']:.2f} s" for c in labels])
    row("game: key press to its frame", [f"{games[c]['frame'] * 1000:.0f} ms" for c in labels])
    row("game: key press until idle (Pilot)", [f"{games[c]['key'] * 1000:.0f} ms" for c in labels])

    baseline = measure(codes[-1], "scalar", baseline_games)
    baseline_steady = best_of(
        codes[-1:],
        repeat,
        lambda c: measure(c, "steady-scalar", baseline_games),
        lambda m: m["cpu_rate"],
    )[codes[-1].label]
    old = measure(codes[-1], "length-one", old_games)
    after = engine[("after", 1, HEADLINE_RUNS)]
    print(
        f"\nscalar Mesa baseline (batch_run), 1 process, {baseline_games:,} games: "
        f"{baseline['cpu_rate']:,.0f} games/CPU-s from its start "
        f"({baseline_steady['cpu_rate']:,.0f} once up), peak {baseline['rss']:,.0f} MiB"
    )
    against = f"{after['cpu_rate'] / baseline['cpu_rate']:,.0f}x"
    if with_ratio:
        earlier = engine[("before", 1, HEADLINE_RUNS)]["cpu_rate"] / baseline["cpu_rate"]
        against += f" (before: {earlier:,.0f}x)"
    print(
        f"engine against the baseline, 1 process, {HEADLINE_RUNS:,} runs, per CPU-second: "
        + against
    )
    steady_runs = 100_000 if quick else 1_000_000
    steadies = best_of(
        codes,
        repeat,
        lambda c: measure(c, "steady-vectorised", steady_runs),
        lambda m: m["cpu_rate"],
    )
    cells = [f"{steadies[c.label]['cpu_rate']:,.0f}" for c in codes]
    if with_ratio:
        cells.append(ratio(steadies["after"]["cpu_rate"], steadies["before"]["cpu_rate"]))
    print(
        f"\nonce up (imports, scenario and kernels loaded, one batch played), "
        f"{steady_runs:,} runs, 1 process, games per CPU-second: {' / '.join(cells)}"
        f"\n  against the baseline once up: "
        f"{steadies['after']['cpu_rate'] / baseline_steady['cpu_rate']:,.0f}x"
    )
    print(
        "\n[1] the old baseline, the vectorised engine on arrays of length one, one model per"
        f"\n    game through batch_run: {old['cpu_rate']:,.0f} games/CPU-s; the engine is "
        f"{after['cpu_rate'] / old['cpu_rate']:,.0f}x it, the scalar baseline "
        f"{baseline['cpu_rate'] / old['cpu_rate']:,.1f}x."
        "\n[2] timed by reading the finished file and writing it again. Earlier stores kept"
        "\n    each chunk as a Parquet part and encoded every part again after the play; now"
        "\n    a part is the IPC bytes its worker sent, and the final file is encoded once,"
        "\n    while the batch plays."
    )


if __name__ == "__main__":
    raise SystemExit(main())
