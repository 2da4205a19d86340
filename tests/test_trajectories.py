"""Trajectories: every indicator at the start and the end of every turn, in a file laid out
for reading by turn, describing its own columns, resumed like the results, and summarised as
spread tables and fan charts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from wargame.engine.chunks import ChunkPlayer, trajectory_schema
from wargame.engine.columns import COLUMNS_KEY
from wargame.engine.compiled import Scenario
from wargame.engine.executors import BatchSpec, play_chunk
from wargame.engine.per_turn import branches_of, fans
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario
from wargame.engine.store import ResultStore, trajectories_path
from wargame.tui.cli import main

RUNS = 1200
TURNS = 8  # madrid-2022: July 2022 to mid-2026 in half-years


def run_args(out: Path, *extra: str) -> list[str]:
    return [
        "run",
        "madrid-2022",
        "--runs",
        str(RUNS),
        "--seed",
        "5",
        "--chunk-size",
        "500",
        "--workers",
        "1",
        "--out",
        str(out),
        "--quiet",
        "--trajectories",
        *extra,
    ]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "r.parquet"
    assert main(run_args(out)) == 0
    return out


def test_the_file_is_ordered_by_turn_then_run_with_one_turn_per_row_group(batch: Path) -> None:
    """Reading one turn touches only its row groups, whatever the chunk size was."""
    path = trajectories_path(batch)
    assert path.name == "r.trajectories.parquet"
    table = pq.read_table(path, columns=["run", "turn"])
    assert table.num_rows == RUNS * (TURNS + 1)
    assert table.column("turn").to_pylist() == np.repeat(np.arange(TURNS + 1), RUNS).tolist()
    assert table.column("run").to_pylist() == np.tile(np.arange(RUNS), TURNS + 1).tolist()
    metadata = pq.ParquetFile(path).metadata
    turn = pq.read_schema(path).get_field_index("turn")
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(turn).statistics
        assert stats.min == stats.max, "a row group holds more than one turn"
    last = pq.read_table(path, filters=[("turn", "=", TURNS)])
    assert last.num_rows == RUNS


def test_the_last_turn_is_the_results_row_and_turn_zero_the_start(
    batch: Path, baseline: Scenario
) -> None:
    results = pq.read_table(batch)
    path = trajectories_path(batch)
    last = pq.read_table(path, filters=[("turn", "=", TURNS)])
    for name in last.column_names:
        if name != "turn":
            assert last.column(name).equals(results.column(name)), name
    start = pq.read_table(path, filters=[("turn", "=", 0)])
    for name, dimension in baseline.spec.dimensions.items():
        assert pc.all(pc.equal(start.column(name), dimension.initial)).as_py(), name
    facts = start.column("administration").to_pylist()
    assert set(facts) == {baseline.spec.facts["administration"].initial}


def test_every_column_says_what_it_is(batch: Path) -> None:
    """Field metadata for pyarrow and pandas; the same, by column, for DuckDB."""
    for path in (batch, trajectories_path(batch)):
        schema = pq.read_schema(path)
        for field in schema:
            assert field.metadata and field.metadata[b"description"], (path.name, field.name)
        by_column = json.loads(schema.metadata[COLUMNS_KEY])
        assert set(by_column) == set(schema.names)
    schema = pq.read_schema(trajectories_path(batch))
    unity = schema.field("unity").metadata
    assert b"at the end of the turn" in unity[b"description"] and unity[b"unit"] == b"0..100 scale"
    assert json.loads(schema.field("administration").metadata[b"labels"]) == [
        "internationalist",
        "restraint",
    ]
    us = schema.field("us_commitment").metadata[b"description"].decode()
    assert "0 = the United States withdraws from NATO" in us
    results = pq.read_schema(batch)
    election = results.field("event_election_2024").metadata
    assert b"null: it never occurred" in election[b"description"]
    assert b"turn" in pq.read_schema(trajectories_path(batch)).field("turn").metadata[b"unit"]


def test_fans_split_by_a_branch_add_up_to_the_whole(batch: Path) -> None:
    """Each branch's runs, taken together, are all the runs; the start has no spread."""
    by = branches_of(batch, "election_2024")
    result = fans(trajectories_path(batch), ["unity"], [by])["unity"]
    overall, *branches = result
    assert overall.branch is None and [f.branch for f in branches] == by.labels
    assert [t.turn for t in overall.turns] == list(range(TURNS + 1))
    assert overall.turns[0].sd == 0 and overall.turns[0].width == 0
    assert overall.turns[-1].width > overall.turns[1].width  # futures drift apart
    for turn in range(TURNS + 1):
        assert sum(f.turns[turn].n for f in branches) == RUNS
        weighted = sum(f.turns[turn].n * f.turns[turn].mean for f in branches) / RUNS
        assert weighted == pytest.approx(overall.turns[turn].mean)
    unity = pq.read_table(batch, columns=["unity"]).column("unity").to_numpy()
    assert overall.turns[-1].p50 == pytest.approx(float(np.median(unity)))


def test_summary_shows_the_spread_per_turn_and_fan_charts(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plots = tmp_path / "out"
    code = main(
        ["summary", str(batch), "--by", "election_2024", "--fan", "unity", "--plot", str(plots)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "unity over the turns: how far runs spread (1,200 runs)" in out
    assert "5-95% width" in out and "H1 2026" in out
    assert "unity | election_2024 = restraint" in out
    assert "deterrence over the turns" not in out  # --fan chose unity alone
    written = sorted(p.name for p in plots.glob("fan_*.png"))
    assert written == ["fan_unity.png", "fan_unity_by_election_2024.png"]
    matplotlib = pytest.importorskip("matplotlib.image")
    wide = matplotlib.imread(plots / "fan_unity_by_election_2024.png")
    narrow = matplotlib.imread(plots / "fan_unity.png")
    assert wide.shape[1] > narrow.shape[1]  # a panel per branch, side by side


def test_fan_names_are_checked_and_need_trajectories(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", str(batch), "--fan", "unty"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--fan: no indicator 'unty'; did you mean 'unity'? The valid ones: " in captured.err
    assert "score_turkey" in captured.err and "all" in captured.err
    plain = tmp_path / "plain.parquet"
    args = ["run", "madrid-2022", "--runs", "50", "--out", str(plain), "--quiet"]
    assert main(args) == 0
    assert not trajectories_path(plain).exists()
    capsys.readouterr()
    assert main(["summary", str(plain), "--fan", "unity"]) == 2
    assert "run the batch again with --trajectories" in capsys.readouterr().err
    assert main(["summary", str(plain)]) == 0
    assert "over the turns" not in capsys.readouterr().out


def test_a_damaged_or_missing_trajectories_part_is_found_on_resume(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The results part alone does not make a chunk done when the batch keeps trajectories."""
    out = tmp_path / "r.parquet"
    assert main(run_args(out, "--runs", "1500")) == 0  # the batch played without a stop
    scenario = load_scenario("madrid-2022")
    design = Design(scenario, "none", seed=5, runs=1500)
    spec = BatchSpec(
        "madrid-2022", scenario.digest, 5, 1500, 500, design.describe(), trajectories=True
    )
    target = tmp_path / "stopped" / "r.parquet"
    store = ResultStore(target, spec, {}, trajectory_schema=trajectory_schema(scenario))
    store.start(resume=False, force=False)
    for index, (first, end) in enumerate(spec.chunks()[:2]):  # two chunks, then a stop
        store.add(index, play_chunk(spec, first, end))
    store.close()
    trajectory_part = store.parts / "part-000001.trajectories.arrow"
    trajectory_part.write_bytes(trajectory_part.read_bytes()[:100])
    resume = run_args(target, "--runs", "1500", "--resume")
    assert main(resume) == 2
    err = capsys.readouterr().err
    assert f"{trajectory_part} is damaged" in err and "delete it and run again" in err
    trajectory_part.unlink()
    assert main(resume) == 2
    assert "is damaged (it is missing)" in capsys.readouterr().err
    (store.parts / "part-000001.arrow").unlink()
    assert main(resume) == 0
    assert pq.read_table(target).equals(pq.read_table(out))
    assert pq.read_table(trajectories_path(target)).equals(pq.read_table(trajectories_path(out)))


def test_force_without_trajectories_removes_the_old_ones(tmp_path: Path) -> None:
    """Stale trajectories beside new results would be read as theirs."""
    out = tmp_path / "r.parquet"
    assert main(run_args(out, "--runs", "300")) == 0
    assert trajectories_path(out).exists()
    args = ["run", "madrid-2022", "--runs", "300", "--out", str(out), "--quiet", "--force"]
    assert main(args) == 0
    assert not trajectories_path(out).exists()
    manifest = json.loads(out.with_name("r.parquet.manifest.json").read_text())
    assert manifest["trajectories"] is None and manifest["spec"]["trajectories"] is False


def test_a_trajectory_table_is_pure_arrow(baseline: Scenario) -> None:
    """What a notebook gets from a chunk: one block of rows per turn, typed columns."""
    results, steps = ChunkPlayer(baseline, 1).play_with_trajectories(10, 14)
    assert steps.column("turn").to_pylist() == [t for t in range(TURNS + 1) for _ in range(4)]
    assert steps.schema.field("turn").type == pa.int16()
    assert pa.types.is_dictionary(steps.schema.field("house").type)
    assert results.column("run").to_pylist() == [10, 11, 12, 13]


def test_summary_notes_missing_trajectories_and_refuses_another_batchs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours, theirs = tmp_path / "ours" / "r.parquet", tmp_path / "theirs" / "r.parquet"
    for out, seed in ((ours, "1"), (theirs, "2")):
        out.parent.mkdir()
        args = ["run", "madrid-2022", "--runs", "200", "--seed", seed, "--out", str(out)]
        assert main([*args, "--quiet", "--trajectories"]) == 0
    trajectories_path(theirs).replace(trajectories_path(ours))
    capsys.readouterr()
    assert main(["summary", str(ours)]) == 2
    assert "is not from the batch that made r.parquet" in capsys.readouterr().err
    trajectories_path(ours).unlink()
    assert main(["summary", str(ours)]) == 0
    captured = capsys.readouterr()
    assert "r.trajectories.parquet is missing" in captured.err
    assert "over the turns" not in captured.out
