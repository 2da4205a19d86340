"""The baseline's figures that the validation suite checks against the paper.

One seeded Monte Carlo of `madrid-2022` with every uncertain input drawn over its range;
the tests read these figures, and `python -m tests.validation.figures` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.model import WargameModel
from engine.sampling import sample_uniform, uncertain_inputs
from engine.scenario import CompiledEvent, Scenario, load_scenario
from engine.state import State

RUNS = 40_000
SEED = 2022


@dataclass
class Comparison:
    """The mean of an outcome in two groups of runs, with the difference's standard error."""

    label: str
    with_mean: float
    without_mean: float
    with_runs: int
    without_runs: int
    se: float

    @property
    def difference(self) -> float:
        return self.with_mean - self.without_mean

    @property
    def z(self) -> float:
        return self.difference / self.se


@dataclass
class Figures:
    runs: int
    variance_explained: dict[str, float]  # uncertain input -> share of end-unity variance
    turkey_in_pesco: float
    cooperation: dict[str, float]  # cooperation area -> mean end value
    raise_bar_spending: list[float]  # spending just before each raise-the-bar decision
    shock: Comparison
    escalation: Comparison
    delay: Comparison
    options_taken: dict[str, set[str]] = field(default_factory=dict)


def correlation_ratio(y: np.ndarray, groups: np.ndarray) -> float:
    """Share of y's variance explained by the groups (eta squared)."""
    _, index = np.unique(groups, return_inverse=True)
    means = np.bincount(index, y) / np.bincount(index)
    return float(((means[index] - y.mean()) ** 2).mean() / y.var())


def deciles(x: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.quantile(x, np.linspace(0, 1, 11)[1:-1]), x)


def compare(label: str, y: np.ndarray, group: np.ndarray) -> Comparison:
    a, b = y[group], y[~group]
    se = float(np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)))
    return Comparison(label, float(a.mean()), float(b.mean()), len(a), len(b), se)


def play(scenario: Scenario, runs: int = RUNS, seed: int = SEED) -> tuple[WargameModel, dict]:
    """The batch, with an observer noting options taken and spending before raising the bar."""
    index = np.arange(runs)
    inputs = sample_uniform(scenario, index, seed)
    model = WargameModel(scenario, seed=seed, runs=index, inputs=inputs, explain=False)
    seen: dict[str, set[str]] = {e.id: set() for e in scenario.events}
    raise_bar: list[float] = []

    def observe(event: CompiledEvent, before: State, after: State, choice: np.ndarray) -> None:
        for option in np.unique(choice[choice >= 0]):
            seen[event.id].add(event.option_ids[option])
        if event.id == "dip_review":
            raise_bar.extend(before.fields["spending"][choice >= 0].tolist())

    model.observers.append(observe)
    model.run()
    return model, {"inputs": inputs, "seen": seen, "raise_bar": raise_bar}


def baseline_figures(runs: int = RUNS, seed: int = SEED) -> Figures:
    scenario = load_scenario("madrid-2022")
    model, notes = play(scenario, runs, seed)
    state, fields, choices = model.state, model.state.fields, model.state.choices

    def fact(name: str, label: str) -> np.ndarray:
        return fields[name] == scenario.facts[name].code(label)

    unity = fields["unity"]
    explained = {
        "US elections (2022 midterms and 2024 presidential)": correlation_ratio(
            unity, choices["midterms_2022"] * 16 + choices["election_2024"]
        )
    }
    for u in uncertain_inputs(scenario):
        explained[f"{u.kind} {u.name}"] = correlation_ratio(unity, deciles(notes["inputs"][u.name]))
    for event in scenario.events:
        if event.id in ("midterms_2022", "election_2024"):
            continue
        if event.rule == "chance":
            explained[f"chance {event.id}"] = correlation_ratio(unity, choices[event.id])
        elif event.drawn:
            explained[f"occurrence of {event.id}"] = correlation_ratio(unity, state.fired[event.id])
    ratified = fact("accession", "ratified")
    delayed = fact("turkey_delayed", "yes")
    return Figures(
        runs=runs,
        variance_explained=dict(sorted(explained.items(), key=lambda kv: -kv[1])),
        turkey_in_pesco=float(fact("turkey_pesco", "participating").mean()),
        cooperation={
            area: float(fields[area].mean())
            for area in ("mobility", "innovation", "third_state_access", "eu_nato")
        },
        raise_bar_spending=notes["raise_bar"],
        shock=compare("spending", fields["spending"], fact("energy_shock", "struck")),
        escalation=compare("eu_nato", fields["eu_nato"], fact("access_dispute", "escalated")),
        delay=compare(
            "third_state_access", fields["third_state_access"][ratified], delayed[ratified]
        ),
        options_taken=notes["seen"],
    )


def main() -> None:
    f = baseline_figures()
    print(f"madrid-2022, {f.runs:,} runs, seed {SEED}, every declared range sampled uniformly")
    print("1. share of end-of-game unity's variance explained (eta squared), top five:")
    for name, share in list(f.variance_explained.items())[:5]:
        print(f"     {share:6.3f}  {name}")
    print(f"2. Turkey ends in PESCO Military Mobility in {f.turkey_in_pesco:.1%} of runs")
    print(
        "3. mean end value of cooperation areas: "
        + ", ".join(f"{k} {v:.1f}" for k, v in f.cooperation.items())
    )
    bar = f.raise_bar_spending
    print(
        f"4. raise-the-bar decision came up {len(bar):,} times; lowest spending then {min(bar):.1f}"
    )
    for n, c in [("5", f.shock), ("6", f.escalation), ("7", f.delay)]:
        print(
            f"{n}. {c.label}: {c.with_mean:.2f} ({c.with_runs:,} runs) vs {c.without_mean:.2f} "
            f"({c.without_runs:,} runs); difference {c.difference:+.2f}, z = {c.z:+.1f}"
        )


if __name__ == "__main__":
    main()
