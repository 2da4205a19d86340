"""Monte Carlo throughput of the baseline: whole games per second, and peak memory.

Prints, in one run, for the vectorised engine with one process and with all cores at
10^5 and 10^6 runs, and for the conventional Mesa way (one model instance per game,
through `mesa.batch_run`, same scenario, same number of processes), the games per second,
the ratio between them, and each configuration's peak resident memory (the process and
its workers). Each configuration runs in a fresh subprocess, so memory figures are its own.
Figures, not assertions: the machines are shared, so compare figures from the same run.

    python benchmarks/montecarlo.py            # the full table (a few minutes on 2 cores)
    python benchmarks/montecarlo.py --quick    # 10^4 and 10^5 runs, fewer conventional games
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import mesa

from engine.model import WargameModel
from engine.scenario import Scenario, load_scenario

SCENARIO = "madrid-2022"


def peak_rss_mib() -> float:
    """Peak resident memory of this process and of its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def vectorised(runs: int, workers: int) -> float:
    """Games per second of the engine's batch path (chunks over `workers` processes)."""
    from engine import DEFAULT_CHUNK
    from engine.montecarlo import BatchSpec, make_executor, run_chunks

    scenario = load_scenario(SCENARIO)
    spec = BatchSpec(SCENARIO, scenario.digest, 1, runs, DEFAULT_CHUNK)
    rows = 0

    def count(_index: int, table: object) -> None:
        nonlocal rows
        rows += table.num_rows  # type: ignore[attr-defined]

    started = time.perf_counter()
    run_chunks(spec, range(len(spec.chunks())), make_executor(workers, None), count)
    elapsed = time.perf_counter() - started
    assert rows == runs
    return runs / elapsed


def conventional(games: int, workers: int) -> float:
    """Games per second the conventional Mesa way: a model per game through batch_run."""
    started = time.perf_counter()
    results = mesa.batch_run(
        ConventionalGame,
        parameters={"run": range(games)},
        iterations=1,
        number_processes=workers,
        data_collection_period=-1,
        display_progress=False,
    )
    elapsed = time.perf_counter() - started
    assert len(results) == games
    return games / elapsed


_SCENARIOS: dict[str, Scenario] = {}


class ConventionalGame(WargameModel):
    """One game per model instance, with a DataCollector, as a Mesa user would write it."""

    def __init__(self, run: int = 0, seed: int = 1) -> None:
        if SCENARIO not in _SCENARIOS:
            _SCENARIOS[SCENARIO] = load_scenario(SCENARIO)
        super().__init__(_SCENARIOS[SCENARIO], seed=seed, runs=[run], explain=False)
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
        self.datacollector.collect(self)


def one(kind: str, count: int, workers: int) -> None:
    """Measure one configuration in this (fresh) process and print it as JSON."""
    rate = vectorised(count, workers) if kind == "vectorised" else conventional(count, workers)
    print(json.dumps({"rate": rate, "rss": peak_rss_mib()}))


def measure(kind: str, count: int, workers: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(count), str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


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
    sizes = [10_000, 100_000] if args.quick else [100_000, 1_000_000]
    games = [300, 600] if args.quick else [1_000, 2_000]
    print(f"python {sys.version.split()[0]}, scenario {SCENARIO}, {cores} cores")
    print(f"{'configuration':<44}{'games/s':>12}{'peak RSS':>12}")
    rows: dict[tuple[str, int], float] = {}
    for workers in sorted({1, cores}):
        for n in sizes:
            r = measure("vectorised", n, workers)
            rows[("vectorised", workers)] = r["rate"]
            label = f"vectorised, {workers} process{'es' if workers > 1 else ''}, {n:,} runs"
            print(f"{label:<44}{r['rate']:>12,.0f}{r['rss']:>9,.0f} MiB", flush=True)
        for g in games:
            r = measure("conventional", g, workers)
            rows[("conventional", workers)] = r["rate"]
            label = f"mesa.batch_run, {workers} process{'es' if workers > 1 else ''}, {g:,} games"
            print(f"{label:<44}{r['rate']:>12,.0f}{r['rss']:>9,.0f} MiB", flush=True)
    for workers in sorted({1, cores}):
        ratio = rows[("vectorised", workers)] / rows[("conventional", workers)]
        print(
            f"ratio, {workers} process{'es' if workers > 1 else ''}: {ratio:,.0f}x "
            "(largest vectorised batch against the larger batch_run)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
