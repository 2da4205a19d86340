"""Where a game's time goes, event by event, and what fusing an event could gain.

Plays chunks of a scenario in this process (the first one, which loads the compiled
kernels, is not timed) and prints, per event: CPU milliseconds per chunk, the runs it fired
in, and nanoseconds per run it fired in. Then the yardstick: one event of the shape of
madrid-2022's `compass_delivery` (one decider with the EU's eleven preference dimensions,
three options that change up to three of them, a logit choice with its counter-based draw,
effects clamped to 0..100) written as a single numba loop over runs, as a whole-event
kernel generated from a scenario would be, timed on as many runs.

An event the engine plays near the yardstick's cost gains nothing from being fused; the
gap of the others is what fusion could win. The yardstick leaves out what the engine
also does (options' availability, the scores and outcomes derived after the event, the
state's copy), so the gap is an upper bound.

    python -m benchmarks.event_costs                       # madrid-2022, 8 chunks
    python -m benchmarks.event_costs pesco-access --chunks 16
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter
from typing import Any

import numpy as np

import wargame.engine.model as model_module
import wargame.engine.turn as turn_module
from wargame.engine import DEFAULT_CHUNK
from wargame.engine.chunks import ChunkPlayer
from wargame.engine.kernels import kernel
from wargame.engine.scenario import load_scenario


def event_costs(
    name: str, chunks: int, size: int
) -> tuple[float, list[tuple[str, str, float, float]]]:
    """CPU seconds per chunk, and per event (id, rule, seconds per chunk, fired runs per chunk)."""
    scenario = load_scenario(name)
    player = ChunkPlayer(scenario, seed=1)
    player.play(0, size)  # loads the kernels: not timed
    spent: Counter[str] = Counter()
    fired: Counter[str] = Counter()
    resolve, fires = model_module.resolve_event, turn_module.event_fires

    def timed_resolve(scenario: Any, event: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return resolve(scenario, event, *args, **kwargs)
        finally:
            spent[event.id] += time.process_time() - start

    def counted_fires(event: Any, *args: Any) -> np.ndarray:
        where: np.ndarray = fires(event, *args)
        fired[event.id] += int(np.count_nonzero(where))
        return where

    model_module.resolve_event, turn_module.event_fires = timed_resolve, counted_fires  # type: ignore[assignment]
    try:
        start = time.process_time()
        for k in range(1, chunks + 1):
            player.play(k * size, (k + 1) * size)
        total = (time.process_time() - start) / chunks
    finally:
        model_module.resolve_event, turn_module.event_fires = resolve, fires
    rules = {e.id: e.rule for e in scenario.events}
    rows = [(e, rules[e], s / chunks, fired[e] / chunks) for e, s in spent.most_common()]
    return total, rows


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S11, _S27, _S30, _S31 = np.uint64(11), np.uint64(27), np.uint64(30), np.uint64(31)
_UNIT = 1.0 / 9007199254740992.0


@kernel
def _fused_single_event(
    state: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    deltas: np.ndarray,
    changed: np.ndarray,
    temperature: float,
    key: np.uint64,
    runs: np.ndarray,
    choice: np.ndarray,
) -> None:
    """A single-decider event in one pass per run: draw, utilities, logit, effects.
    `state` is (dimensions, runs); `deltas` and `changed` are (options, dimensions)."""
    options, dimensions = deltas.shape
    weights = np.empty(options)
    for r in range(state.shape[1]):
        z = runs[r] * _GOLDEN + _M1
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        z = key ^ (z ^ (z >> _S31))
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        draw = np.float64((z ^ (z >> _S31)) >> _S11) * _UNIT
        distance = 0.0
        for d in range(dimensions):
            distance += weight[d] * abs(state[d, r] - ideal[d])
        best = -math.inf
        for o in range(options):
            utility = 100.0 - distance
            for d in range(dimensions):
                if changed[o, d]:
                    after = min(100.0, max(0.0, state[d, r] + deltas[o, d]))
                    utility += weight[d] * (abs(state[d, r] - ideal[d]) - abs(after - ideal[d]))
            weights[o] = utility
            best = max(best, utility)
        total = 0.0
        for o in range(options):
            weights[o] = math.exp((weights[o] - best) / temperature)
            total += weights[o]
        picked = options - 1
        cumulative = 0.0
        for o in range(options):
            cumulative += weights[o] / total
            if draw < cumulative:
                picked = o
                break
        choice[r] = picked
        for d in range(dimensions):
            if changed[picked, d]:
                state[d, r] = min(100.0, max(0.0, state[d, r] + deltas[picked, d]))


def fused_yardstick(size: int, repeat: int = 20) -> float:
    """Nanoseconds per run of the fused single-decider event (best of `repeat`)."""
    rng = np.random.default_rng(0)
    dimensions, options = 11, 3
    state = rng.uniform(20, 90, size=(dimensions, size))
    ideal = rng.uniform(40, 100, size=dimensions)
    weight = rng.uniform(0.5, 3.0, size=dimensions)
    weight /= weight.sum()
    deltas = np.zeros((options, dimensions))
    changed = np.zeros((options, dimensions), dtype=bool)
    for o, moved in enumerate([(1, 2, 3), (1,), ()]):
        for d in moved:
            deltas[o, d] = rng.uniform(-5, 8)
            changed[o, d] = True
    runs = np.arange(size, dtype=np.uint64)
    choice = np.empty(size, dtype=np.int64)
    fused = _fused_single_event.compiled()
    args = (ideal, weight, deltas, changed, 0.45, np.uint64(12345), runs, choice)
    fused(state.copy(), *args)  # compiles
    best = math.inf
    for _ in range(repeat):
        fresh = state.copy()
        start = time.process_time()
        fused(fresh, *args)
        best = min(best, time.process_time() - start)
    return best / size * 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="madrid-2022")
    parser.add_argument("--chunks", type=int, default=8, help="chunks timed (default 8)")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK)
    args = parser.parse_args()
    total, rows = event_costs(args.scenario, args.chunks, args.chunk_size)
    events = sum(seconds for _, _, seconds, _ in rows)
    print(
        f"{args.scenario}, chunks of {args.chunk_size:,} runs: {total * 1e3:.1f} CPU-ms a chunk, "
        f"{events * 1e3:.1f} of them in events ({args.chunk_size / total:,.0f} games/CPU-s)"
    )
    print(f"{'event':<28} {'rule':<10} {'ms/chunk':>9} {'fired runs':>11} {'ns/fired run':>13}")
    for event, rule, seconds, fired in rows:
        per_run = f"{seconds / fired * 1e9:.0f}" if fired else "-"
        print(f"{event:<28} {rule:<10} {seconds * 1e3:9.2f} {fired:11,.0f} {per_run:>13}")
    yardstick = fused_yardstick(args.chunk_size)
    fired_total = sum(fired for *_, fired in rows)
    print(
        f"\nfused yardstick (one single-decider event, 11 dimensions, 3 options, one numba "
        f"loop): {yardstick:.0f} ns a run"
    )
    print(
        f"every event at the yardstick's cost: {fired_total * yardstick * 1e-6:.1f} ms of "
        f"events a chunk, against {events * 1e3:.1f} ms now"
    )


if __name__ == "__main__":
    main()
