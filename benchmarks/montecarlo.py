"""Monte Carlo throughput of the baseline in one process: whole games per second.

Prints, for each batch size, the games per second and the peak resident memory of this
process; and, for 65,536 runs, how throughput depends on the chunk size. Figures, not
assertions: the machines are shared, so compare figures printed in the same run.

    python benchmarks/montecarlo.py [--runs 10000 100000] [--scenario madrid-2022]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

from engine.batch import DEFAULT_CHUNK, run_batch
from engine.scenario import load_scenario


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def games_per_second(scenario_ref: str, runs: int, chunk: int, seed: int = 1) -> float:
    scenario = load_scenario(scenario_ref)
    started = time.perf_counter()
    rows = sum(table.num_rows for table in run_batch(scenario, runs, seed, chunk_size=chunk))
    elapsed = time.perf_counter() - started
    assert rows == runs
    return runs / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--scenario", default="madrid-2022")
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, scenario {args.scenario}, one process, "
        f"chunk {DEFAULT_CHUNK}"
    )
    games_per_second(args.scenario, 1000, DEFAULT_CHUNK)  # warm-up: imports, caches
    for runs in args.runs:
        rate = games_per_second(args.scenario, runs, DEFAULT_CHUNK)
        print(f"  {runs:>9,} runs: {rate:>10,.0f} games/s   peak RSS {peak_rss_mib():,.0f} MiB")
    print("chunk size at 65,536 runs:")
    for chunk in (1024, 4096, 16_384, 65_536):
        rate = games_per_second(args.scenario, 65_536, chunk)
        print(f"  chunk {chunk:>6,}: {rate:>10,.0f} games/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
