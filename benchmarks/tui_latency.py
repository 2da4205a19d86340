"""The game's responsiveness, printed: its first screen, a key press to the next screen, and
the start-up of `wargame replay`, measured as benchmarks/montecarlo.py measures them (each in
a fresh process, the Textual app driven by its Pilot, headless, at 80x24), repeated and
reduced to medians; with `--before REV`, an earlier commit's code side by side in one run.

    python -m benchmarks.tui_latency                   # this code, 5 repetitions
    python -m benchmarks.tui_latency --before main --repeat 7

What a key press's figure holds: Textual's Pilot waits, after sending the key and again in
the benchmark's `settle`, for the process to be idle (four waits of at least 20 ms each,
`textual._wait.wait_for_idle`), so even a key that changes nothing measures about 85 ms;
the CPU time of the process in that wait is printed beside it (the game's own work).
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks.montecarlo import (
    Code,
    codes_to_compare,
    command_time,
    measure,
)

REPLAY = ["replay", "madrid-2022", "--seed", "1", "--run", "3"]


def game_figures(code: Code, repeat: int) -> dict[str, float]:
    """Medians over `repeat` fresh processes of the first screen (from the process's start),
    the median key press and its CPU time (5 presses of `n` in each process)."""
    import time

    first, key, cpu = [], [], []
    for _ in range(repeat):
        start = time.time()
        figures = measure(code, "game", 5)
        first.append(figures["first_frame"] - start)
        key.append(figures["key_to_screen"])
        cpu.append(figures["key_cpu"])
    return {
        "first": statistics.median(first),
        "key": statistics.median(key),
        "cpu": statistics.median(cpu),
        "replay": command_time(code, REPLAY, repeat=repeat)["wall"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="measure this commit's code beside")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per figure")
    args = parser.parse_args()
    rows: dict[str, list[str]] = {
        "game: start to first screen": [],
        "game: key press to next screen (median)": [],
        "  of which the process's CPU time": [],
        "`wargame " + " ".join(REPLAY) + "`": [],
    }
    with codes_to_compare(args.before, "wargame-tui-bench-") as codes:
        for code in codes:  # interleaved would be fairer still; each is a median
            f = game_figures(code, args.repeat)
            cells = [f"{f['first']:.2f} s", f"{f['key'] * 1000:.0f} ms"]
            cells += [f"{f['cpu'] * 1000:.0f} ms", f"{f['replay']:.2f} s"]
            for label, cell in zip(rows, cells, strict=True):
                rows[label].append(cell)
    print(f"{'':<58}" + "".join(f"{c.label:>12}" for c in codes))
    for label, cells in rows.items():
        print(f"{label:<58}" + "".join(f"{c:>12}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
