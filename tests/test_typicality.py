"""A played game's final values placed among AI-played games of the same scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.engine.errors import WargameError
from wargame.engine.scenario import load_scenario
from wargame.engine.typicality import BINS, AIGames, ai_games, read_ai_games, standings
from wargame.tui.cli import main


def test_a_percentile_counts_the_ai_games_below_and_half_the_ties() -> None:
    games = AIGames("x", 1, {"unity": np.array([10.0, 20.0, 20.0, 30.0])}, {})
    (standing,) = standings({"unity": 20.0}, games)
    assert standing.percentile == pytest.approx(100 * (1 + 0.5 * 2) / 4)
    assert standing.mean == pytest.approx(20.0)
    assert sum(standing.bins) == 4 and len(standing.bins) == BINS
    assert standing.marker == 4  # 20 on a 0..100 strip of twenty cells


def test_branches_compare_with_the_ai_games_that_took_the_same_one() -> None:
    games = AIGames(
        "x",
        1,
        {"unity": np.array([40.0, 50.0, 70.0, 80.0])},
        {"election": np.array(["restraint", "restraint", "internationalist", "internationalist"])},
    )
    overall, among = standings({"unity": 60.0}, games, {"election": "restraint"})
    assert overall.percentile == 50.0 and overall.runs == 4
    assert among.percentile == 100.0 and among.runs == 2
    assert among.among == "AI games where election was restraint"


def test_a_results_file_gives_the_same_ai_games_as_playing_them(tmp_path: Path) -> None:
    scenario = load_scenario("madrid-2022")
    out = tmp_path / "r.parquet"
    args = ["run", "madrid-2022", "--runs", "400", "--seed", "4", "--out", str(out), "--quiet"]
    assert main([*args, "--workers", "1"]) == 0
    read, played = read_ai_games(scenario, out), ai_games(scenario, 400, 4)
    for name, values in played.values.items():
        assert np.array_equal(read.values[name], values), name
    assert (read.branches["election_2024"] == played.branches["election_2024"]).all()
    with pytest.raises(WargameError, match="was not made from 'pesco-access'"):
        read_ai_games(load_scenario("pesco-access"), out)
