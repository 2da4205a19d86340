"""The honest baseline (benchmarks/scalar_mesa.py) plays every scenario exactly as the engine.

The benchmark compares the engine with a scalar Mesa implementation of the scenario
language; the comparison means something only if both play the same game. Here, for
every bundled scenario and the every-rule test scenario, a sample of runs played by
`mesa.batch_run` on the baseline ends, run by run, with the same facts and last options
as the engine's batch, and with the same numbers to 1e-9.

The numbers in fact come out bit-identical, on Python 3.11 and 3.12: the baseline adds,
multiplies and divides in the engine's order, and adds up left to right as numpy adds
arrays (not with Python 3.12's compensated `sum`). Since engine 0.2.2 `exp` (the logit)
and `tanh` (acceptance) are the C library's on both sides too (the engine's kernels call
`math.exp` and `math.tanh`, compiled or not; numpy's vector code differed by an ulp or
three), so even the choice probabilities agree to the last bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from benchmarks.scalar_expressions import compile_expression
from benchmarks.scalar_mesa import InputDesign, play_games
from benchmarks.scalar_rng import draw_key, run_key, site, uniform
from tests.conftest import all_scenario_paths
from wargame.engine.catalogue import catalogue
from wargame.engine.compiled import Scenario
from wargame.engine.expressions import BOOL, NUMBER, FactType, compile_expr
from wargame.engine.model import WargameModel
from wargame.engine.rng import site_id
from wargame.engine.rng import uniform as engine_uniform
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario
from wargame.engine.state import State

SEED = 20240605
# a few hundred runs, and a few far-off run indices that exercise every bit of the run hash
RUNS = np.array([*range(300), 10**6 + 7, 2**31 + 1, 2**40 + 3, 2**62 + 11])
TOLERANCE = 1e-9


class Edges:
    """Per-run inputs that drive the rare branches: initial values beyond either end of the
    scale (clipped, then pushed against the ends by effects), and equal capabilities, so
    that collective decisions tie. The engine accepts any value for a number; so must the
    baseline."""

    def __init__(self, scenario: Scenario) -> None:
        numbers = catalogue(scenario)
        self.dimensions = [n.name for n in numbers if n.kind == "initial"]
        self.capabilities = [n.name for n in numbers if n.kind == "capability"]

    def inputs(self, runs: np.ndarray) -> dict[str, np.ndarray]:
        ends = np.array([-5.0, 0.0, 100.0, 104.0])
        values = {name: ends[(runs + i) % len(ends)] for i, name in enumerate(self.dimensions)}
        return values | {name: np.full(len(runs), 0.5) for name in self.capabilities}


@dataclass(frozen=True)
class Setting:
    """How the runs' numbers are set: the profiles', sampled, or at the edges; temperatures
    as written or all 0 (where ties between equal utilities decide)."""

    name: str
    design: str  # "none": the profiles' values; "uniform": sampled per run; "edges": Edges
    temperature: float | None

    def make(self, scenario: Scenario) -> InputDesign | None:
        if self.design == "edges":
            return Edges(scenario)
        if self.design == "none" and self.temperature is None:
            return None
        return Design(
            scenario, self.design, seed=7, runs=int(RUNS.max()) + 1, temperature=self.temperature
        )


SETTINGS = (
    Setting("profiles", "none", None),
    Setting("temperature-0", "none", 0.0),
    Setting("sampled", "uniform", None),
    Setting("sampled-temperature-0", "uniform", 0.0),
    Setting("edges", "edges", None),
)


@dataclass(frozen=True)
class Played:
    """One setting's sample, played by both: one row of final results per run."""

    engine: list[dict[str, Any]]
    baseline: list[dict[str, Any]]


@pytest.fixture(scope="module", params=all_scenario_paths(), ids=lambda p: p.stem)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    path: Path = request.param
    return load_scenario(path)


@pytest.fixture(scope="module")
def played(scenario: Scenario) -> dict[str, Played]:
    """Every setting's sample of the scenario, played by the engine and by the baseline."""
    results = {}
    for setting in SETTINGS:
        design = setting.make(scenario)
        inputs = design.inputs(RUNS) if design is not None else None
        state = WargameModel(scenario, seed=SEED, runs=RUNS, inputs=inputs).run()
        rows = play_games(scenario.file, RUNS.tolist(), SEED, design)
        results[setting.name] = Played(engine_rows(scenario, state), rows)
    return results


def engine_rows(scenario: Scenario, state: State) -> list[dict[str, Any]]:
    """The engine's final state as the baseline reports it: the numbers (the blocs' seat
    shares among them), facts by label, each event's last option by id (None if it never
    happened)."""
    numbers = [*scenario.dimensions, *(n for n, _ in scenario.outcomes)]
    numbers += [f"score_{a.id}" for a in scenario.actors]
    numbers += sorted(scenario.seat_fields)
    rows = []
    for i, run in enumerate(state.runs.tolist()):
        row: dict[str, Any] = {"run": run}
        row |= {name: float(state.fields[name][i]) for name in numbers}
        row |= {f: labels.labels[state.fields[f][i]] for f, labels in scenario.facts.items()}
        for event in scenario.events:
            choice = int(state.choices[event.id][i])
            row[f"event_{event.id}"] = event.option_ids[choice] if choice >= 0 else None
        rows.append(row)
    return rows


def differences(expected: Mapping[str, Any], got: Mapping[str, Any]) -> list[str]:
    """What differs between two rows: numbers beyond the tolerance, anything else at all."""
    found = []
    for name, value in expected.items():
        other = got.get(name)
        if isinstance(value, float) and isinstance(other, float):
            if abs(value - other) > TOLERANCE:
                found.append(f"{name}: engine {value!r}, baseline {other!r}")
        elif value != other or type(value) is not type(other):
            found.append(f"{name}: engine {value!r}, baseline {other!r}")
    return found


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_the_baseline_ends_every_run_where_the_engine_does(
    played: dict[str, Played], setting: str
) -> None:
    """Same scenario, seed and run index (and inputs): the same final dimensions, facts,
    outcomes, scores and each event's last option."""
    sample = played[setting]
    by_run = {row["run"]: row for row in sample.baseline}
    assert sorted(by_run) == sorted(RUNS.tolist())
    wrong = {}
    for expected in sample.engine:
        found = differences(expected, by_run[expected["run"]])
        if found:
            wrong[expected["run"]] = found
    shown = "; ".join(f"run {run}: {', '.join(d[:3])}" for run, d in list(wrong.items())[:3])
    assert not wrong, f"{len(wrong)} of {len(RUNS)} runs differ: {shown}"


def test_the_numbers_come_out_bit_identical(played: dict[str, Played]) -> None:
    """Not merely within the tolerance: the baseline computes in the engine's order, so
    every number is the engine's to the last bit (if the engine changes its order of
    floating-point operations, this says so; the tolerance above is the contract)."""
    for sample in played.values():
        by_run = {row["run"]: row for row in sample.baseline}
        for expected in sample.engine:
            numbers = {k: v for k, v in expected.items() if isinstance(v, float)}
            got = by_run[expected["run"]]
            assert {k: got[k] for k in numbers} == numbers, expected["run"]


def test_the_sample_exercises_every_event(scenario: Scenario, played: dict[str, Played]) -> None:
    """The comparison is not vacuous: across the settings, every event happens in some run,
    and every rule the scenario uses with a choice to make ends more than one way in some
    event."""
    endings: dict[str, set[str]] = {}
    for event in scenario.events:
        taken = {
            row[f"event_{event.id}"]
            for sample in played.values()
            for row in sample.engine
            if row[f"event_{event.id}"] is not None
        }
        assert taken, f"{event.id} never happens in the sample"
        if len(event.options) > 1 and len(taken) > len(endings.get(event.rule, ())):
            endings[event.rule] = taken
    for rule, taken in endings.items():
        assert len(taken) > 1, f"every {rule} event always ends the same way ({taken})"


@pytest.mark.parametrize("seed", [0, 1, SEED, 2**64 - 1, 2**64 + 5, -3])
def test_a_scalar_draw_is_the_engines_draw(seed: int) -> None:
    """The baseline's splitmix64 on Python ints gives the engine's uniform floats."""
    runs = np.array([0, 1, 2, 977, 2**32 + 1, 2**62 + 11])
    for turn in (0, 1, 8):
        for parts in (("budget", "choose", "hawk"), ("sample", "spending")):
            expected = engine_uniform(seed, runs, turn, site_id(*parts))
            got = [uniform(draw_key(seed, site(*parts), turn), run_key(int(r))) for r in runs]
            assert got == expected.tolist()


PRESIDENT = FactType("president", ("internationalist", "restraint"))
NAMES = {"x": NUMBER, "y": NUMBER, "turn": NUMBER, "president": PRESIDENT}
EXPRESSIONS: Sequence[tuple[str, Any]] = (
    ("x / y", NUMBER),
    ("x * 1.5 - y + turn", NUMBER),
    ("-x + +y", NUMBER),
    ("y ** 2 + 2 * y ** 3", NUMBER),
    ("clip(x, 0, 1) + clip(y, 5, 2)", NUMBER),
    ("min(x, y, 3) + max(x, y) + abs(-x)", NUMBER),
    ("1 - (x > 1)", NUMBER),
    ("0 < x <= 10 != y", BOOL),
    ("not (x > y) or president in ('restraint',)", BOOL),
    ("president not in ('restraint',) and x >= y", BOOL),
    ("president == 'restraint' or 'internationalist' != president", BOOL),
    ("x if president == 'restraint' else y", NUMBER),
    ("'restraint' if x > y else president", PRESIDENT),
    ("restraint", PRESIDENT),
)


@pytest.mark.parametrize(("source", "kind"), EXPRESSIONS)
def test_an_expression_means_what_it_means_in_the_engine(source: str, kind: Any) -> None:
    """Every form of the language, on a grid of values (zeros, negatives, both facts)."""
    engine_fn = compile_expr(source, NAMES, kind)
    labels = PRESIDENT.labels if kind is PRESIDENT else ()
    scalar_fn = compile_expression(source, labels)
    for x in (-3.0, 0.0, 2.5, 40.0):
        for y in (0.0, -1.5, 4.0):
            for code, president in enumerate(PRESIDENT.labels):
                env = {"x": x, "y": y, "turn": 3.0, "president": president}
                arrays = {
                    "x": np.array([x]),
                    "y": np.array([y]),
                    "turn": 3.0,
                    "president": np.array([code], dtype=np.int8),
                }
                expected = np.broadcast_to(engine_fn(arrays), (1,))[0]
                if kind is PRESIDENT:
                    expected = PRESIDENT.labels[expected]
                assert scalar_fn(env) == expected, env
