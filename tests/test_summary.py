"""`wargame summary` and `wargame sensitivity` as an analyst uses them: names checked before
anything is printed, numbers exported as CSV and JSON equal to those on the screen, and an
interrupted batch that says how to finish it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from wargame.engine.errors import ResultsError
from wargame.engine.executors import BatchSpec, play_chunk
from wargame.engine.provenance import provenance
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario
from wargame.engine.store import ResultStore
from wargame.engine.summary import NOT_OCCURRED, NumberSummary, summarise_file
from wargame.tui.cli import main

RUNS = 800


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "r.parquet"
    args = ["run", "madrid-2022", "--runs", str(RUNS), "--seed", "2", "--out", str(out)]
    assert main([*args, "--quiet", "--workers", "1", "--trajectories"]) == 0
    return out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--by", "elction_2024"],
            "--by: no event 'elction_2024'; did you mean 'election_2024'? The valid ones: "
            "midterms_2022, aid_request, ukraine_aid,",
        ),
        (
            ["--hist", "untiy"],
            "--hist: no numeric column 'untiy'; did you mean 'unity'? The valid ones: "
            "us_commitment, spending,",
        ),
        (["--hist", "administration"], "--hist: no numeric column 'administration'"),
        (["--by", "unity"], "--by: no event 'unity'"),
    ],
)
def test_bad_names_are_refused_before_anything_is_printed(
    batch: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["summary", str(batch), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"wargame: {message}")


def test_every_valid_name_is_listed(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not the first dozen and an ellipsis: the whole list, so the right one can be copied."""
    assert main(["summary", str(batch), "--hist", "nothing"]) == 2
    err = capsys.readouterr().err
    numeric = [f.name for f in pq.read_schema(batch) if f.name != "run" and str(f.type) == "double"]
    assert len(numeric) > 12
    assert err.rstrip().endswith(", ".join(numeric))


def test_by_takes_the_event_id_or_its_column_name(
    batch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", str(batch), "--by", "posture_choice"]) == 0
    by_id = capsys.readouterr().out
    assert main(["summary", str(batch), "--by", "event_posture_choice"]) == 0
    assert capsys.readouterr().out == by_id
    assert "Outcomes by posture_choice (mean)" in by_id


def test_run_checks_the_names_before_playing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo costs a second, not a batch followed by a message."""
    out = tmp_path / "r.parquet"
    args = ["run", "madrid-2022", "--runs", "100000", "--out", str(out), "--quiet"]
    assert main([*args, "--by", "election2024"]) == 2
    assert "did you mean 'election_2024'?" in capsys.readouterr().err
    assert main([*args, "--fan", "unity"]) == 2
    assert "run the batch again with --trajectories" in capsys.readouterr().err
    assert not out.exists() and not out.with_name("r.parquet.manifest.json").exists()


def test_set_outside_its_range_is_refused_before_work_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same value in a scenario file is refused; on the command line it used to be
    clipped silently."""
    out = tmp_path / "r.parquet"
    args = ["run", "madrid-2022", "--runs", "100000", "--out", str(out), "--quiet"]
    assert main([*args, "--set", "p_house_flip=1.5"]) == 2
    assert capsys.readouterr().err == (
        "wargame: --set p_house_flip=1.5 lies outside its declared range, [0.5, 0.9]\n"
    )
    assert not out.with_name("r.parquet.manifest.json").exists()
    assert main(["sensitivity", "madrid-2022", "--set", "threat_step=99", "--quiet"]) == 2
    assert "--set threat_step=99.0 lies outside its declared range" in capsys.readouterr().err


def test_a_breakdown_is_each_branch_s_runs_and_mean(batch: Path) -> None:
    """Gathered while the file is read for its summaries, checked against a plain grouping."""
    outcomes = ["unity", "deterrence"]
    _, (by_election,) = summarise_file(batch, branches=["election_2024"], outcomes=outcomes)
    table = pq.read_table(batch, columns=["event_election_2024", *outcomes]).to_pylist()
    groups: dict[str, list[dict[str, float]]] = {}
    for row in table:
        groups.setdefault(row["event_election_2024"] or NOT_OCCURRED, []).append(row)
    assert by_election.event == "election_2024"
    assert list(by_election.rows) == sorted(groups)
    for branch, rows in groups.items():
        runs, means = by_election.rows[branch]
        assert runs == len(rows)
        for outcome in outcomes:
            expected = sum(r[outcome] for r in rows) / len(rows)
            assert means[outcome] == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="no column 'event_electon_2024'"):
        summarise_file(batch, branches=["electon_2024"], outcomes=outcomes)


def test_labels_are_counted_across_batches_whose_dictionaries_differ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each row group of a file has its own dictionary: a label keeps its counts and its
    branch's outcomes whatever code it has in each."""
    import pyarrow as pa

    import wargame.engine.summary as summary

    path = tmp_path / "r.parquet"
    label = pa.dictionary(pa.int16(), pa.string())
    schema = pa.schema([("unity", pa.float64()), ("event_e", label)])
    pieces = [
        ([1.0, 2.0, 3.0], pa.DictionaryArray.from_arrays([0, 1, 0], ["a", "b"])),
        ([4.0, 5.0, 6.0], pa.DictionaryArray.from_arrays([0, None, 1], ["b", "c"])),
    ]
    with pq.ParquetWriter(path, schema) as writer:
        for unity, event in pieces:
            writer.write_table(pa.table([pa.array(unity), event], schema=schema))
    monkeypatch.setattr(summary, "_BATCH", 2)  # batches that straddle the row groups
    summaries, (by_e,) = summarise_file(path, skip=(), branches=["e"], outcomes=["unity"])
    shares = {s.name: s for s in summaries}["event_e"].shares
    assert shares == {"a": 2 / 6, "b": 2 / 6, "c": 1 / 6, NOT_OCCURRED: 1 / 6}
    assert by_e.rows == {
        NOT_OCCURRED: (1, {"unity": 5.0}),
        "a": (2, {"unity": 2.0}),
        "b": (2, {"unity": 3.0}),
        "c": (1, {"unity": 6.0}),
    }


def test_a_number_missing_from_a_run_is_named(tmp_path: Path) -> None:
    """Not a value read from an empty slot: results are never written with holes."""
    import pyarrow as pa

    path = tmp_path / "r.parquet"
    pq.write_table(pa.table({"unity": [1.0, None], "since": pa.array([1, 2], pa.date32())}), path)
    with pytest.raises(ResultsError, match="column 'unity' has runs without a value"):
        summarise_file(path)
    pq.write_table(pa.table({"since": pa.array([1, 2], pa.date32())}), path)
    with pytest.raises(ResultsError, match="column 'since' is not a number"):
        summarise_file(path)


def test_json_export_holds_the_numbers_on_the_screen(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "summary.json"
    code = main(
        ["summary", str(batch), "--by", "election_2024", "--format", "json", "-o", str(target)]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert captured.out == "" and f"wrote {target}" in captured.err
    document = json.loads(target.read_text())
    numbers = {n["name"]: n for n in document["numbers"]}
    for expected in summarise_file(batch)[0]:
        if isinstance(expected, NumberSummary):
            assert numbers[expected.name]["mean"] == expected.mean
            assert numbers[expected.name]["p95"] == expected.p95
    shares = {s["name"]: s for s in document["shares"]}
    labels = {item["label"] for item in shares["administration"]["labels"]}
    assert labels == {"internationalist", "restraint"}
    events = [b["event"] for b in document["breakdowns"]]
    assert events == ["midterms_2022", "election_2024"]
    fans = [(f["indicator"], f["event"], f["branch"]) for f in document["per_turn"]]
    assert ("unity", None, None) in fans and ("unity", "election_2024", "restraint") in fans
    last = document["per_turn"][0]["turns"][-1]
    assert last["turn"] == 8 and last["half_year"] == "H1 2026" and last["n"] == RUNS


def test_csv_export_is_one_tidy_table(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(batch), "--format", "csv", "--fan", "deterrence"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == [
        "section",
        "name",
        "event",
        "branch",
        "turn",
        "label",
        "statistic",
        "value",
    ]
    assert {r["section"] for r in rows} == {"number", "share", "breakdown", "per_turn"}
    unity = pq.read_table(batch, columns=["unity"]).column("unity").to_numpy()
    mean = next(r for r in rows if r["section"] == "number" and r["name"] == "unity")
    assert mean["statistic"] == "n" and int(mean["value"]) == RUNS
    found = {(r["name"], r["statistic"]): r["value"] for r in rows if r["section"] == "number"}
    assert float(found["unity", "mean"]) == pytest.approx(unity.mean(), rel=1e-12)
    per_turn = [r for r in rows if r["section"] == "per_turn"]
    assert {r["name"] for r in per_turn} == {"deterrence"}
    assert sorted({int(r["turn"]) for r in per_turn}) == list(range(9))


def test_hist_is_a_terminal_thing(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(batch), "--format", "json", "--hist", "unity"]) == 2
    assert "--hist draws in the terminal" in capsys.readouterr().err


def test_an_interrupted_batch_says_how_to_finish_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "no such file": the batch that was stopped, how far it got, and the command."""
    scenario = load_scenario("madrid-2022")
    out = tmp_path / "r.parquet"
    command = f"wargame run madrid-2022 --runs 900 --seed 3 --chunk-size 300 --out {out}"
    design = Design(scenario, "none", seed=3, runs=900)
    spec = BatchSpec("madrid-2022", scenario.digest, 3, 900, 300, design.describe())
    store = ResultStore(out, spec, {}, provenance=provenance(scenario, command))
    store.start(resume=False, force=False)
    store.add(0, play_chunk(spec, 0, 300))
    store.close()
    assert main(["summary", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"wargame: {out} is not finished: the batch was interrupted after 1 of 3 chunks "
        f"(300 of 900 runs); finish it with: {command} --resume\n"
    )
    assert main([*command.split()[1:], "--quiet", "--resume", "--workers", "1"]) == 0
    assert main(["summary", str(out)]) == 0


def test_a_missing_file_without_a_manifest_is_still_no_such_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", str(tmp_path / "none.parquet")]) == 2
    assert "none.parquet: no such file" in capsys.readouterr().err


def test_sensitivity_indices_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "sobol.csv"
    args = [
        "sensitivity",
        "madrid-2022",
        "--samples",
        "32",
        "--seed",
        "2",
        "--quiet",
        "--workers",
        "1",
        "--outcomes",
        "unity",
        "--vary",
        "p_restraint_2024,threat_step",
    ]
    assert main([*args, "--format", "csv", "-o", str(target)]) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [(r["outcome"], r["input"]) for r in rows] == [
        ("unity", "p_restraint_2024"),
        ("unity", "threat_step"),
    ]
    assert rows[0]["basis"] == "assumed" and float(rows[0]["ST"]) > float(rows[1]["ST"])
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["samples"] == 32 and document["runs"] == 32 * 4
    assert [i["input"] for i in document["indices"]] == ["p_restraint_2024", "threat_step"]
    assert document["indices"][0]["ST"] == float(rows[0]["ST"])
