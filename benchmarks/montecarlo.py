"""Monte Carlo throughput: the engine against an honest scalar Mesa baseline, and peak memory.

Prints, in one run on one machine, the engine's whole games per second (wall clock and per
CPU-second) with one process and with all cores at 10^5 and 10^6 runs, the same for the
scalar Mesa baseline (one process, a few thousand games through `mesa.batch_run`), the
ratio between the engine at 10^5 runs and the baseline, both on one process and per
CPU-second, and each configuration's peak resident memory (the process and its workers).
Each configuration runs in a fresh subprocess, so memory figures are its own. Figures, not
assertions: the machines are shared, so compare figures from the same run.

    python -m benchmarks.montecarlo            # the full table (a few minutes on 2 cores)
    python -m benchmarks.montecarlo --quick    # 10^4 and 10^5 runs, fewer baseline games

The baseline (benchmarks/scalar_mesa.py) is the scenario language implemented the way a
competent Mesa user would write it: one `mesa.Model` per game holding plain Python floats
(and labels for facts), the actors as `mesa.Agent`s whose methods score, choose and accept,
one turn per `step()`, a DataCollector that holds each game's results, and games played by
`mesa.batch_run`. It is not made slow: each scenario is compiled once per process into
closures, the draws' per-site hashing is cached, scores are recomputed mid-turn only when
an expression reads them, and data is collected once per game (a reporter per result every
turn made it about 15 % slower). What it takes from the library is what any user of the
scenario language would reuse: reading and validating the YAML files
(`engine.scenario.load_scenario`: the typed spec and the actors' profiles) and the draw
sites' names (`engine.rng.site_id`). Its expression evaluator, decision rules, actors, turn
and counter-based draws (splitmix64 on Python ints) are its own, written to the engine's
semantics. `tests/test_scalar_baseline.py` proves they are the same game: for every bundled
scenario and the every-rule test scenario, a few hundred runs (with the profiles'
temperatures and at temperature 0, with sampled inputs, with inputs at the scale's ends)
end in the baseline, run by run, with the engine's facts and last options and with its
numbers to the last bit. The figure is therefore the price of the same results computed
game by game the conventional way. Mesa 3.3 keeps every model it builds alive (Mesa issue
3179), so the baseline's memory grows by about 30 KB per game: that is what a user sees.

The old baseline, the vectorised engine run on arrays of length one through `batch_run`
(every scalar operation pays a numpy call), is kept only as a footnote.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import mesa

from wargame.engine.compiled import Scenario
from wargame.engine.model import WargameModel
from wargame.engine.scenario import load_scenario

SCENARIO = "madrid-2022"
ROOT = Path(__file__).resolve().parent.parent
HEADLINE_RUNS = 100_000  # the engine's batch the baseline is compared with


def peak_rss_mib() -> float:
    """Peak resident memory of this process and of its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the engine's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(play: Callable[[], int]) -> dict[str, float]:
    """Games per second and per CPU-second of `play` (which returns how many it played)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    games = play()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return {"rate": games / wall, "cpu_rate": games / cpu}


def vectorised(runs: int, workers: int) -> int:
    """The engine's batch path (chunks over `workers` processes); returns the games played."""
    from wargame.engine import DEFAULT_CHUNK
    from wargame.engine.executors import BatchSpec, make_executor, run_chunks

    scenario = load_scenario(SCENARIO)
    spec = BatchSpec(SCENARIO, scenario.digest, 1, runs, DEFAULT_CHUNK)
    rows = 0

    def count(_index: int, table: object) -> None:
        nonlocal rows
        rows += table.num_rows  # type: ignore[attr-defined]

    run_chunks(spec, range(len(spec.chunks())), make_executor(workers, None), count)
    assert rows == runs
    return rows


def scalar(games: int) -> int:
    """The honest baseline: a scalar Mesa model per game through batch_run, one process."""
    from benchmarks.scalar_mesa import play_games

    results = play_games(SCENARIO, range(games), seed=1)
    assert len(results) == games
    return games


def length_one(games: int) -> int:
    """The old baseline: the engine on a batch of one per game, through batch_run."""
    from benchmarks.scalar_mesa import seeded_batch_run

    results = seeded_batch_run(LengthOneGame, {"run": range(games)}, seed=1)
    assert len(results) == games
    return games


_SCENARIOS: dict[str, Scenario] = {}


class LengthOneGame(WargameModel):
    """The old baseline's model: the vectorised engine on arrays of length one."""

    def __init__(self, run: int = 0, seed: int = 1) -> None:
        if SCENARIO not in _SCENARIOS:
            _SCENARIOS[SCENARIO] = load_scenario(SCENARIO)
        super().__init__(_SCENARIOS[SCENARIO], seed=seed, runs=[run], explain=False)
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
        self.datacollector.collect(self)


def one(kind: str, count: int, workers: int) -> None:
    """Measure one configuration in this (fresh) process and print it as JSON."""
    plays = {
        "vectorised": lambda: vectorised(count, workers),
        "scalar": lambda: scalar(count),
        "length-one": lambda: length_one(count),
    }
    print(json.dumps({**timed(plays[kind]), "rss": peak_rss_mib()}))


def measure(kind: str, count: int, workers: int = 1) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.montecarlo", "--one", kind, str(count), str(workers)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def row(label: str, figures: dict[str, float]) -> None:
    print(
        f"{label:<58}{figures['rate']:>10,.0f}{figures['cpu_rate']:>12,.0f}"
        f"{figures['rss']:>8,.0f} MiB",
        flush=True,
    )


def processes(workers: int) -> str:
    return f"{workers} process{'es' if workers > 1 else ''}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a fast look")
    parser.add_argument(
        "--one", nargs=3, metavar=("KIND", "COUNT", "WORKERS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]), int(args.one[2]))
        return 0
    cores = os.cpu_count() or 1
    sizes = [10_000, HEADLINE_RUNS] if args.quick else [HEADLINE_RUNS, 1_000_000]
    baseline_games, old_games = (1_000, 100) if args.quick else (3_000, 300)
    print(
        f"python {sys.version.split()[0]}, mesa {mesa.__version__}, scenario {SCENARIO}, "
        f"{cores} cores (shared machines: compare figures from the same run)"
    )
    print(f"{'configuration':<58}{'games/s':>10}{'games/CPU-s':>12}{'peak RSS':>12}")
    engine: dict[tuple[int, int], dict[str, float]] = {}
    for workers in sorted({1, cores}):
        for n in sizes:
            engine[(workers, n)] = measure("vectorised", n, workers)
            row(f"engine, {processes(workers)}, {n:,} runs", engine[(workers, n)])
    baseline = measure("scalar", baseline_games)
    row(f"scalar Mesa baseline (batch_run), 1 process, {baseline_games:,} games", baseline)
    old = measure("length-one", old_games)
    row(f"engine on arrays of length one (batch_run), {old_games:,} games [1]", old)

    headline = engine[(1, HEADLINE_RUNS)]
    print(
        f"\nengine against the scalar Mesa baseline, 1 process, per CPU-second: "
        f"{headline['cpu_rate'] / baseline['cpu_rate']:,.0f}x\n"
        f"  engine at {HEADLINE_RUNS:,} runs {headline['cpu_rate']:,.0f} games/CPU-s; "
        f"baseline at {baseline_games:,} games {baseline['cpu_rate']:,.0f} games/CPU-s"
    )
    print(
        "\n[1] the old baseline: the vectorised engine on arrays of length one, one model per"
        "\n    game through batch_run (every scalar operation pays a numpy call): per CPU-second"
        f"\n    the engine is {headline['cpu_rate'] / old['cpu_rate']:,.0f}x it, the scalar "
        f"baseline {baseline['cpu_rate'] / old['cpu_rate']:,.0f}x."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
