"""The figures the validation suite checks against the paper, each with its interval.

One seeded Monte Carlo of a scenario (the baseline, or one of its mutants) with every
declared range sampled; an observer notes what each decision was taken under. The claim
tests read these figures, and `python -m tests.validation.figures` prints them.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wargame.engine.compiled import CompiledEvent, Scenario
from wargame.engine.model import WargameModel
from wargame.engine.sampling import sample_uniform
from wargame.engine.scenario import load_scenario
from wargame.engine.state import State
from wargame.engine.summary import wilson

RUNS = 20_000
SEED = 2022
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Share:
    """A proportion with its 95 % Wilson interval."""

    hits: int
    n: int

    @property
    def value(self) -> float:
        return self.hits / self.n if self.n else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.value, self.n)

    def __str__(self) -> str:
        low, high = self.interval
        return f"{self.value:.1%} [{low:.1%}, {high:.1%}] of {self.n:,}"


@dataclass(frozen=True)
class Difference:
    """The difference of two groups' means, with its 95 % interval."""

    label: str
    with_mean: float
    without_mean: float
    se: float

    @property
    def value(self) -> float:
        return self.with_mean - self.without_mean

    @property
    def interval(self) -> tuple[float, float]:
        return (self.value - Z95 * self.se, self.value + Z95 * self.se)

    def __str__(self) -> str:
        low, high = self.interval
        return (
            f"{self.label}: {self.with_mean:.2f} vs {self.without_mean:.2f}, "
            f"difference {self.value:+.2f} [{low:+.2f}, {high:+.2f}]"
        )


@dataclass(frozen=True)
class Mean:
    """A mean with its 95 % interval."""

    value: float
    se: float

    @property
    def interval(self) -> tuple[float, float]:
        return (self.value - Z95 * self.se, self.value + Z95 * self.se)

    def __str__(self) -> str:
        low, high = self.interval
        return f"{self.value:+.2f} [{low:+.2f}, {high:+.2f}]"


def mean(y: np.ndarray) -> Mean:
    return Mean(float(np.mean(y)), float(np.std(y, ddof=1) / np.sqrt(len(y))))


def difference(label: str, y: np.ndarray, group: np.ndarray) -> Difference:
    a, b = y[group], y[~group]
    if len(a) < 2 or len(b) < 2:
        return Difference(label, float("nan"), float("nan"), float("nan"))
    se = float(np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)))
    return Difference(label, float(a.mean()), float(b.mean()), se)


def share(hits: np.ndarray) -> Share:
    return Share(int(np.sum(hits)), int(np.size(hits)))


def correlation_ratio(y: np.ndarray, groups: np.ndarray) -> float:
    """Share of y's variance explained by the groups (eta squared)."""
    _, index = np.unique(groups, return_inverse=True)
    means = np.bincount(index, y) / np.bincount(index)
    return float(((means[index] - y.mean()) ** 2).mean() / y.var())


def deciles(x: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.quantile(x, np.linspace(0, 1, 11)[1:-1]), x)


@dataclass
class Figures:
    """Everything the claims read, from one batch (see each claim in claims.py)."""

    scenario: str
    runs: int
    unity_by_restraint: Difference
    variance_explained: dict[str, float]  # what explains end-of-game unity, largest first
    turkey_in_pesco: Share
    gains: dict[str, Mean]  # cooperation area -> mean gain over the game
    ratified: Share
    full_package: dict[str, Share]  # House majority at the vote -> share of full packages
    compass_full: Share  # runs ending with every action point delivered
    compass_short_decisions: Share  # delivery decisions partial or stalled
    below_pledge: Share  # runs ending with spending under the 2 % pledge
    never_linked: Share  # runs with innovation talks that never linked the tools
    backs_capabilities: Share  # the administration's view of the Compass
    backs_autonomy: Share
    edf_adopted: Share
    resolution_affirmed: Share  # NATO support resolutions affirmed, of those voted
    refused: dict[str, Difference]  # after a refused access demand, vs a settled one
    options_taken: dict[str, set[str]] = field(default_factory=dict)


def play(scenario: Scenario, runs: int, seed: int) -> tuple[WargameModel, dict]:
    """The batch with every range sampled, and an observer noting each decision's context."""
    index = np.arange(runs)
    inputs = sample_uniform(scenario, index, seed)
    model = WargameModel(scenario, seed=seed, runs=index, inputs=inputs, explain=False)
    notes: dict = {
        "inputs": inputs,
        "seen": {e.id: set() for e in scenario.events},
        "aid": [],
        "compass": [],
        "resolution": [],
        "linked": np.zeros(runs, dtype=bool),
        "talks": np.zeros(runs, dtype=bool),
        "start": {d: model.state.fields[d].copy() for d in scenario.dimensions},
    }
    republican = scenario.facts["house"].code("republican")

    def observe(event: CompiledEvent, before: State, after: State, choice: np.ndarray) -> None:
        happened = choice >= 0
        for option in np.unique(choice[happened]):
            notes["seen"][event.id].add(event.option_ids[option])
        if event.id == "ukraine_aid":
            full = choice == event.option_index("full_package")
            house = before.fields["house"] == republican
            notes["aid"].append((full[happened], house[happened]))
        elif event.id == "compass_delivery":
            notes["compass"].append(choice[happened] != event.option_index("deliver"))
        elif event.id == "nato_resolution":
            notes["resolution"].append(choice[happened] == event.option_index("affirmed"))
        elif event.id == "innovation_coordination":
            notes["talks"] |= happened
            notes["linked"] |= choice == event.option_index("link")

    model.observers.append(observe)
    model.run()
    return model, notes


def figures(scenario: Scenario, runs: int = RUNS, seed: int = SEED) -> Figures:
    model, notes = play(scenario, runs, seed)
    fields, choices = model.state.fields, model.state.choices

    def fact(name: str, label: str) -> np.ndarray:
        return fields[name] == scenario.facts[name].code(label)

    def took(event: str, option: str) -> np.ndarray:
        return choices[event] == scenario.event(event).option_index(option)

    unity = fields["unity"]
    explained = {"the 2024 election": correlation_ratio(unity, choices["election_2024"])}
    explained["the 2022 midterms"] = correlation_ratio(unity, choices["midterms_2022"])
    for name, values in notes["inputs"].items():
        explained[name] = correlation_ratio(unity, deciles(values))
    gains = {
        area: mean(fields[area] - notes["start"][area])
        for area in ("mobility", "innovation", "third_state_access", "eu_nato")
    }
    full, republican = (
        (np.concatenate([a for a, _ in notes["aid"]]), np.concatenate([h for _, h in notes["aid"]]))
        if notes["aid"]
        else (np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    )
    refused, settled = fact("access_dispute", "refused"), fact("access_dispute", "settled")
    decided = refused | settled
    pledge = scenario.spec.parameters["pledge_met"].value
    return Figures(
        scenario=scenario.id,
        runs=runs,
        unity_by_restraint=difference(
            "unity, restraint vs internationalist", unity, took("election_2024", "restraint")
        ),
        variance_explained=dict(sorted(explained.items(), key=lambda kv: -kv[1])),
        turkey_in_pesco=share(fact("turkey_pesco", "participating")),
        gains=gains,
        ratified=share(fact("accession", "ratified")),
        full_package={
            "democratic": share(full[~republican]),
            "republican": share(full[republican]),
        },
        compass_full=share(fields["compass"] >= 100),
        compass_short_decisions=share(np.concatenate(notes["compass"] or [np.zeros(0, bool)])),
        below_pledge=share(fields["spending"] < pledge),
        never_linked=share(~notes["linked"][notes["talks"]]),
        backs_capabilities=share(took("us_view_of_compass", "back_capabilities")),
        backs_autonomy=share(took("us_view_of_compass", "back_autonomy")),
        edf_adopted=share(fact("edf_revision", "adopted")),
        resolution_affirmed=share(np.concatenate(notes["resolution"] or [np.zeros(0, bool)])),
        refused={
            area: difference(f"{area}, refused vs settled", fields[area][decided], refused[decided])
            for area in ("eu_nato", "innovation")
        },
        options_taken=notes["seen"],
    )


_CACHE: dict[str, Figures] = {}


def figures_of(name: str = "baseline", runs: int = RUNS) -> Figures:
    """The baseline's figures, or a named mutant's (computed once per process)."""
    key = f"{name}/{runs}"
    if key not in _CACHE:
        if name == "baseline":
            _CACHE[key] = figures(load_scenario("madrid-2022"), runs)
        else:
            from tests.validation.mutants import write_mutant

            with tempfile.TemporaryDirectory() as folder:
                _CACHE[key] = figures(load_scenario(write_mutant(name, Path(folder))), runs)
    return _CACHE[key]


def report(f: Figures) -> list[str]:
    """The figures as lines of text, each with its interval."""
    lines = [f"{f.scenario}: {f.runs:,} runs, seed {SEED}, every declared range sampled uniformly"]
    lines.append(f"  {f.unity_by_restraint}")
    lines.append("  share of end-of-game unity's variance explained (eta squared), top five:")
    lines += [f"    {v:6.3f}  {k}" for k, v in list(f.variance_explained.items())[:5]]
    lines.append(f"  Turkey ends in PESCO Military Mobility: {f.turkey_in_pesco}")
    lines.append("  mean gain over the game, by cooperation area:")
    lines += [f"    {area}: {gain}" for area, gain in f.gains.items()]
    lines.append(f"  Finland and Sweden in by mid-2026: {f.ratified}")
    lines += [f"  full aid packages under a {h} House: {s}" for h, s in f.full_package.items()]
    lines.append(f"  Compass fully delivered by mid-2026: {f.compass_full}")
    lines.append(
        f"  Compass decisions that deliver only part or stall: {f.compass_short_decisions}"
    )
    lines.append(f"  spending ends below the 2 % pledge: {f.below_pledge}")
    lines.append(f"  innovation talks held but tools never linked: {f.never_linked}")
    lines.append(f"  Washington backs European capabilities: {f.backs_capabilities}")
    lines.append(f"  Washington backs EU autonomy as such: {f.backs_autonomy}")
    lines.append(f"  revised EDF Regulation adopted: {f.edf_adopted}")
    lines.append(f"  NATO support resolutions affirmed: {f.resolution_affirmed}")
    lines += [f"  {d}" for d in f.refused.values()]
    return lines


def main() -> None:
    from tests.validation.mutants import MUTANTS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutant", choices=sorted(MUTANTS), help="a mutant's figures instead")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    for line in report(figures_of(args.mutant or "baseline", args.runs)):
        print(line)


if __name__ == "__main__":
    main()
