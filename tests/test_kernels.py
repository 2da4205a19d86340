"""The engine's kernels: the same bits compiled (large batches) and uncompiled (small ones).

A kernel is the only implementation of its step; a game of one run calls it as plain
Python, a Monte Carlo chunk compiled by numba. Both must give every run the same numbers,
or a replayed run would drift from its batch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.actors import agents
from wargame.engine import kernels, rng, turn
from wargame.engine.chunks import run_batch
from wargame.engine.kernels import JIT_MIN_RUNS, uncompiled
from wargame.engine.model import WargameModel
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario

RUNS = 600  # the whole array goes through the compiled kernel
assert RUNS > JIT_MIN_RUNS


def both_ways(call):  # type: ignore[no-untyped-def]
    """`call()` with kernels compiled, and again with every kernel run uncompiled."""
    compiled = call()
    with uncompiled():
        return compiled, call()


def test_a_compiled_kernel_serves_small_calls_unless_told_not_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once compiled, a kernel runs compiled however few the runs; `uncompiled()` (what the
    tests below compare against) still gets the plain Python function."""
    if not kernels.JIT:
        pytest.skip("WARGAME_JIT=0: nothing is compiled")
    kernel = agents._acceptance_kernel
    agents.acceptance_probability(np.zeros(RUNS), 1.0)  # compiled (or loaded) by now
    calls: list[int] = []
    monkeypatch.setattr(kernel, "py_func", lambda gain, *rest: calls.append(len(gain)))
    kernel(np.zeros(3), np.ones(3), np.empty(3))
    assert calls == []
    with uncompiled():
        kernel(np.zeros(RUNS), np.ones(RUNS), np.empty(RUNS))
    assert calls == [RUNS]


def test_compiled_kernels_are_cached_outside_the_package() -> None:
    """numba's cache files beside an installed package's sources outlive `pip uninstall`,
    and the folder they leave shadows the next install of `wargame`."""
    if not kernels.JIT:
        pytest.skip("WARGAME_JIT=0: nothing is compiled")
    import numba

    import wargame

    agents.acceptance_probability(np.zeros(RUNS), 1.0)  # compiled (or loaded) by now
    cache = Path(numba.config.CACHE_DIR).resolve()
    package = Path(wargame.__file__).resolve().parent
    assert numba.config.CACHE_DIR and cache.is_absolute()
    for source in (package, *(p.resolve() for p in package.iterdir() if p.is_symlink())):
        assert source != cache and source not in cache.parents


def test_the_logit_choice_is_bit_identical_compiled_and_not() -> None:
    """Choices and probabilities agree to the last bit, with ties, closed options, runs with
    no open option, and temperatures of 0 and above (one per run)."""
    generator = np.random.default_rng(3)
    utilities = np.round(generator.normal(60, 2, (4, RUNS)), 1)  # rounding makes ties
    available = generator.random((4, RUNS)) < 0.7
    draw = generator.random(RUNS)
    temperature = generator.choice([0.0, 0.2, 0.45, 1.0], RUNS)
    compiled, uncompiled = both_ways(
        lambda: agents.logit_choice(utilities, available, draw, temperature)
    )
    assert np.array_equal(compiled[0], uncompiled[0])
    assert np.array_equal(compiled[1], uncompiled[1])
    assert (compiled[0][~available.any(axis=0)] == -1).all()


def test_acceptance_and_utilities_are_bit_identical_compiled_and_not() -> None:
    generator = np.random.default_rng(4)
    gain = generator.normal(0, 2, RUNS)
    temperature = generator.choice([0.0, 0.3, 1.0], RUNS)
    compiled, uncompiled = both_ways(lambda: agents.acceptance_probability(gain, temperature))
    assert np.array_equal(compiled, uncompiled)

    scenario = load_scenario("madrid-2022")
    design = Design(scenario, "uniform", seed=2, runs=RUNS)
    model = WargameModel(scenario, seed=1, runs=RUNS, inputs=design.inputs(np.arange(RUNS)))
    fields = model.state.fields
    moved = [{}, {"spending": generator.uniform(0, 100, RUNS)}, {"ukraine": np.full(RUNS, 90.0)}]
    for agent in model.actors.values():
        compiled, uncompiled = both_ways(lambda a=agent: a.option_utilities(fields, moved))
        assert np.array_equal(compiled, uncompiled)


def test_draws_are_bit_identical_compiled_and_not() -> None:
    runs = np.array([*range(RUNS), 2**40 + 3, 2**63 - 1], dtype=np.int64)
    compiled, uncompiled = both_ways(lambda: rng.uniform(2**64 - 1, runs, 3, rng.site_id("x")))
    assert np.array_equal(compiled, uncompiled)


def test_a_run_alone_ends_as_in_a_compiled_batch() -> None:
    """Run k of a batch of 600 (compiled kernels) and the same run alone (uncompiled)."""
    scenario = load_scenario("madrid-2022")
    batch = WargameModel(scenario, seed=9, runs=RUNS, explain=False).run()
    for k in (0, 17, RUNS - 1):
        with uncompiled():
            alone = WargameModel(scenario, seed=9, runs=[k], explain=True).run()
        for name, values in batch.fields.items():
            assert values[k] == alone.fields[name][0], (k, name)
        for event, choice in batch.choices.items():
            assert choice[k] == alone.choices[event][0], (k, event)


@pytest.mark.parametrize("compact_below", [0.0, 1.01])
def test_playing_an_event_on_the_runs_it_fires_in_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, compact_below: float
) -> None:
    """Events played on the whole batch, or always on just the runs they fire in, end every
    run where the default (on those runs when fewer than half fire) does."""
    scenario = load_scenario("madrid-2022")
    default = next(iter(run_batch(scenario, RUNS, seed=4)))
    monkeypatch.setattr(turn, "COMPACT_BELOW", compact_below)
    assert next(iter(run_batch(scenario, RUNS, seed=4))).equals(default)


def test_outcomes_left_for_the_turn_end_are_those_a_watcher_sees() -> None:
    """With an observer, outcomes are derived after every event; without, only where read
    and at each turn's end: the turns end the same."""
    scenario = load_scenario("madrid-2022")
    assert not scenario.reads_outcomes
    watched = WargameModel(scenario, seed=5, runs=RUNS, explain=False)
    seen: list[str] = []
    watched.observers.append(lambda event, before, after, choice: seen.append(event.id))
    unwatched = WargameModel(scenario, seed=5, runs=RUNS, explain=False)
    while not watched.done:
        watched.step()
        unwatched.step()
        for name, _ in scenario.outcomes:
            assert np.array_equal(watched.state.fields[name], unwatched.state.fields[name])
    assert seen
