"""How typical a played game was: its final values placed among AI-played games.

A debrief compares a class's game with a Monte Carlo of the same scenario played by the AI
(a results file, or a batch played for the purpose): for every indicator and every actor's
score, the share of AI games that ended lower (the percentile), the AI mean, and a histogram
for a distribution strip; and, for each of the scenario's key branches (the 2024 election),
the same among the AI games that took the branch the class's game took.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from wargame.engine.chunks import run_batch
from wargame.engine.compiled import Scenario
from wargame.engine.errors import ResultsError
from wargame.engine.game import Game
from wargame.engine.indicators import indicator_names
from wargame.engine.store import results_manifest

__all__ = [
    "BASELINE_RUNS",
    "BINS",
    "AIGames",
    "BranchComparison",
    "Standing",
    "Typicality",
    "ai_games",
    "read_ai_games",
    "standings",
    "typicality",
]

BINS = 20  # a strip of twenty cells across 0..100
BASELINE_RUNS = 10_000  # AI games a debrief compares with, unless a results file is given
BASELINE_SEED = 1


@dataclass(frozen=True)
class AIGames:
    """Final values of AI-played games of one scenario, column by column."""

    scenario_id: str
    seed: int | None
    values: Mapping[str, np.ndarray]  # indicator or score -> final value per game
    branches: Mapping[str, np.ndarray]  # branch event -> option id taken per game ("" if none)
    source: str = ""  # where they come from, for a reader

    @property
    def runs(self) -> int:
        return len(next(iter(self.values.values()))) if self.values else 0


@dataclass(frozen=True)
class Standing:
    """One of a game's final values among the AI games'."""

    name: str
    value: float
    mean: float
    percentile: float  # 0..100: AI games below, ties counted half
    bins: tuple[int, ...]  # AI games per twentieth of 0..100
    runs: int
    among: str = "all AI games"  # or "AI games where election_2024 was restraint"

    @property
    def marker(self) -> int:
        """The strip cell the game's value falls in."""
        return min(BINS - 1, max(0, int(self.value / (100 / BINS))))


def ai_games(
    scenario: Scenario,
    runs: int = BASELINE_RUNS,
    seed: int = BASELINE_SEED,
    temperatures: Mapping[str, float] | None = None,
) -> AIGames:
    """Play `runs` AI games of the scenario here, at the profiles' temperatures or at the
    ones a game's setup fixed (so the AI plays as it did in the game)."""
    tables = list(run_batch(scenario, runs, seed, temperatures=temperatures))
    return _from_columns(
        scenario,
        seed,
        lambda name: np.concatenate(
            [t.column(name).to_numpy(zero_copy_only=False) for t in tables]
        ),
        f"{runs:,} AI games played for this debrief (seed {seed})",
    )


def read_ai_games(scenario: Scenario, path: Path) -> AIGames:
    """The AI games of a results file made by `wargame run` on the same scenario (the same
    file and version of it, as its manifest records)."""
    made_from = results_manifest(path)["spec"].get("scenario_sha256")
    if made_from != scenario.digest:
        raise ResultsError(
            f"{path} was not made from {scenario.id!r} as it is now (another scenario, or "
            "another version of its files): run the Monte Carlo again"
        )
    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError) as exc:
        raise ResultsError(f"{path} is not a readable results file: {exc}") from None
    names = indicator_names(scenario)
    missing = [n for n in [*names, *_branch_columns(scenario)] if n not in schema.names]
    if missing:
        raise ResultsError(f"{path} has no column {missing[0]!r}: not a full results file")
    table = pq.read_table(path, columns=[*names, *_branch_columns(scenario)])
    return _from_columns(
        scenario,
        None,
        lambda name: table.column(name).to_numpy(zero_copy_only=False),
        f"{table.num_rows:,} AI games from {path.name}",
    )


def _branch_columns(scenario: Scenario) -> list[str]:
    return [f"event_{b}" for b in scenario.spec.branches]


def _from_columns(
    scenario: Scenario, seed: int | None, column: Callable[[str], np.ndarray], source: str
) -> AIGames:
    values = {
        name: np.asarray(column(name), dtype=np.float64) for name in indicator_names(scenario)
    }
    branches = {}
    for branch in scenario.spec.branches:
        taken = column(f"event_{branch}")
        branches[branch] = np.array(["" if x is None else str(x) for x in taken], dtype=object)
    return AIGames(scenario.id, seed, values, branches, source)


def _standing(name: str, value: float, ai: np.ndarray, among: str) -> Standing:
    if len(ai) == 0:
        return Standing(name, value, float("nan"), float("nan"), (0,) * BINS, 0, among)
    below = np.count_nonzero(ai < value) + 0.5 * np.count_nonzero(ai == value)
    counts, _ = np.histogram(np.clip(ai, 0, 100), bins=BINS, range=(0, 100))
    return Standing(
        name, value, float(ai.mean()), 100 * below / len(ai), tuple(counts.tolist()), len(ai), among
    )


def standings(
    values: Mapping[str, float],
    games: AIGames,
    branches: Mapping[str, str] | None = None,
    names: Sequence[str] | None = None,
) -> list[Standing]:
    """Each of the game's final `values` among the AI games; with `branches` (event -> the
    option the game took), again among the AI games that took the same option."""
    names = list(names or [n for n in games.values if n in values])
    out = [_standing(n, float(values[n]), games.values[n], "all AI games") for n in names]
    for event, option in (branches or {}).items():
        if event not in games.branches:
            continue
        same = games.branches[event] == option
        among = f"AI games where {event} was {option}"
        out += [_standing(n, float(values[n]), games.values[n][same], among) for n in names]
    return out


@dataclass(frozen=True)
class BranchComparison:
    """A key branch as the game took it (the 2024 election's winner), how often the AI games
    took it too, and the game's values among those AI games alone."""

    event: str
    title: str
    option: str
    label: str
    share: float  # of the AI games, those that took the same branch
    standings: tuple[Standing, ...]


@dataclass(frozen=True)
class Typicality:
    """How typical a game was: each final value among all the AI games, then per branch."""

    source: str
    runs: int
    overall: tuple[Standing, ...]
    branches: tuple[BranchComparison, ...]


def typicality(game: Game, games: AIGames) -> Typicality:
    """A game's final values (every indicator and actor score) among `games`, overall and
    for each key branch the game took."""
    scenario = game.scenario
    if games.scenario_id != scenario.id:
        raise ResultsError(
            f"the AI games are of {games.scenario_id!r}, the game of {scenario.id!r}"
        )
    names = [n for n in indicator_names(scenario) if n in games.values]
    values = {name: float(game.value(name)) for name in names}
    overall = standings(values, games, names=names)
    compared = []
    for event_id in scenario.spec.branches:
        taken = [r for r in game.resolutions if r.event == event_id and r.option is not None]
        if not taken or event_id not in games.branches:
            continue
        option = taken[-1].option
        event = scenario.event(event_id)
        same = games.branches[event_id] == option
        among = f"AI games where {event_id} was {option}"
        compared.append(
            BranchComparison(
                event_id,
                event.spec.title,
                str(option),
                event.outcome_label(option),
                float(np.count_nonzero(same)) / max(1, games.runs),
                tuple(_standing(n, values[n], games.values[n][same], among) for n in names),
            )
        )
    return Typicality(games.source, games.runs, tuple(overall), tuple(compared))
