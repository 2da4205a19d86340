"""The game's responsiveness, printed: its first screen, a key press to the next screen, and
the start-up of `wargame replay`, measured as benchmarks/montecarlo.py measures them (each in
a fresh process, the Textual app driven by its Pilot, headless, at 80x24), repeated and
reduced to medians; with `--before REV`, an earlier commit's code side by side in one run.

    python -m benchmarks.tui_latency                   # this code, 5 repetitions
    python -m benchmarks.tui_latency --before main --repeat 7

A key press to the next screen is measured three ways:
- to the frame: from the key sent by the Pilot to the last frame Textual composed for the
  terminal before the app fell idle (the screen the player then sees, complete);
- in tmux: the game in a real terminal at 80x24 (when tmux is installed), from
  `tmux send-keys` to the last change `tmux capture-pane` sees (polled every few
  milliseconds, each poll a process of its own: a few ms of it are the measuring);
- until idle: until the Pilot and the benchmark's `settle` find the process idle (four
  waits of at least 20 ms each, `textual._wait.wait_for_idle`), so that even a key that
  changes nothing measures about 85 ms; the process's CPU time in that wait is printed
  beside it (the game's own work).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

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
    first, frame, key, cpu = [], [], [], []
    for _ in range(repeat):
        start = time.time()
        figures = measure(code, "game", 5)
        first.append(figures["first_frame"] - start)
        frame.append(figures["key_to_frame"])
        key.append(figures["key_to_screen"])
        cpu.append(figures["key_cpu"])
    return {
        "first": statistics.median(first),
        "frame": statistics.median(frame),
        "tmux": tmux_key_latency(code, presses=5 * repeat),
        "key": statistics.median(key),
        "cpu": statistics.median(cpu),
        "replay": command_time(code, REPLAY, repeat=repeat)["wall"],
    }


def tmux_key_latency(code: Code, presses: int) -> float:
    """Median time from `tmux send-keys n` to the terminal's last change, for the game (all
    actors AI) in a real 80x24 terminal; NaN without tmux."""
    if shutil.which("tmux") is None:
        return float("nan")
    session = f"wargame-latency-{time.monotonic_ns()}"

    def screen() -> str:
        pane = ["tmux", "capture-pane", "-p", "-t", session]
        return subprocess.run(pane, capture_output=True, text=True, check=True).stdout

    def settled(quiet: float, within: float) -> tuple[str, float]:
        """The screen once it has not changed for `quiet` s, and when it last changed."""
        shown, changed, start = screen(), time.perf_counter(), time.perf_counter()
        while time.perf_counter() - changed < quiet and time.perf_counter() - start < within:
            time.sleep(0.002)
            now = screen()
            if now != shown:
                shown, changed = now, time.perf_counter()
        return shown, changed

    with tempfile.TemporaryDirectory() as saves:
        paths = [f"PYTHONPATH={code.env()['PYTHONPATH']}", f"WARGAME_SAVES={saves}"]
        game = [sys.executable, "-m", "wargame.tui.cli", "play", "--human", "", "--seed", "1"]
        start = ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24"]
        subprocess.run([*start, "-c", str(code.package_root), "env", *paths, *game], check=True)
        try:
            settled(quiet=1.0, within=30)  # the first screen
            waits = []
            for _ in range(presses):
                sent = time.perf_counter()
                subprocess.run(["tmux", "send-keys", "-t", session, "n"], check=True)
                _, changed = settled(quiet=0.5, within=5)
                waits.append(max(changed - sent, 0.0))
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return statistics.median(waits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="measure this commit's code beside")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per figure")
    args = parser.parse_args()
    rows: dict[str, list[str]] = {
        "game: start to first screen": [],
        "game: key press to next screen: to the frame (Pilot)": [],
        "game: key press to next screen: in tmux, 80x24": [],
        "game: key press until idle (Pilot, median)": [],
        "  of which the process's CPU time": [],
        "`wargame " + " ".join(REPLAY) + "`": [],
    }
    with codes_to_compare(args.before, "wargame-tui-bench-") as codes:
        for code in codes:  # interleaved would be fairer still; each is a median
            f = game_figures(code, args.repeat)
            cells = [f"{f['first']:.2f} s", f"{f['frame'] * 1000:.0f} ms"]
            cells += [f"{f['tmux'] * 1000:.0f} ms", f"{f['key'] * 1000:.0f} ms"]
            cells += [f"{f['cpu'] * 1000:.0f} ms", f"{f['replay']:.2f} s"]
            for label, cell in zip(rows, cells, strict=True):
                rows[label].append(cell)
    print(f"{'':<58}" + "".join(f"{c.label:>12}" for c in codes))
    for label, cells in rows.items():
        print(f"{label:<58}" + "".join(f"{c:>12}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
