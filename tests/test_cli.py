"""The `wargame` command line as a user runs it: run, replay, validate, schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from wargame.actors.profiles import bundled_actors
from wargame.engine import ENGINE_VERSION
from wargame.engine.scenario import bundled_scenarios
from wargame.tui.cli import main

RUNS = 3000


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "r.parquet"
    assert (
        main(
            ["run", "madrid-2022", "--runs", str(RUNS), "--seed", "1", "--out", str(out), "--quiet"]
        )
        == 0
    )
    return out


def test_run_writes_one_row_per_run_and_a_manifest(results: Path) -> None:
    table = pq.read_table(results)
    assert table.num_rows == RUNS
    assert table.column("run").to_pylist() == list(range(RUNS))
    for column in [
        "us_commitment",
        "unity",
        "deterrence",
        "burden_sharing",
        "administration",
        "score_turkey",
        "score_us_congress",
        "event_election_2024",
    ]:
        assert column in table.column_names
    manifest = json.loads(results.with_name("r.parquet.manifest.json").read_text())
    spec = manifest["spec"]
    assert manifest["scenario"] == "madrid-2022" and manifest["complete"] is True
    assert spec["seed"] == 1 and spec["runs"] == manifest["runs_done"] == RUNS
    assert spec["engine_version"] == ENGINE_VERSION
    assert len(spec["scenario_sha256"]) == 64
    assert spec["design"]["kind"] == "none"
    assert manifest["done"] == [0]
    assert manifest["parameters"]["p_restraint_2024"] == 0.45
    assert not results.with_name("r.parquet.parts").exists()


def test_replay_json_equals_the_runs_row(results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`replay --format json` prints exactly that run's row of the Parquet file, and under
    `trajectory` its values at the start and the end of every turn, the last the row's."""
    table = pq.read_table(results)
    capsys.readouterr()
    for run in (0, 1234, RUNS - 1):
        assert (
            main(["replay", "madrid-2022", "--seed", "1", "--run", str(run), "--format", "json"])
            == 0
        )
        row = json.loads(capsys.readouterr().out)
        trajectory = row.pop("trajectory")
        assert row == table.slice(run, 1).to_pylist()[0]
        assert [step["turn"] for step in trajectory] == list(range(9))
        assert trajectory[-1] | {"run": run} == {
            k: v for k, v in row.items() if k in trajectory[-1]
        } | {"turn": 8}


def test_the_chunk_size_does_not_change_the_table(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "chunked.parquet"
    args = [
        "run",
        "madrid-2022",
        "--runs",
        str(RUNS),
        "--seed",
        "1",
        "--chunk-size",
        "777",
        "--out",
        str(out),
        "--quiet",
    ]
    assert main(args) == 0
    assert pq.read_table(out).equals(pq.read_table(results))
    assert pq.ParquetFile(out).num_row_groups == 1  # chunks gathered into ROW_GROUP_RUNS runs


def test_run_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "madrid-2022", "--runs", "500", "--seed", "2", "--quiet"]) == 0
    captured = capsys.readouterr()
    for text in ["unity", "95% CI", "administration", "internationalist", "500 games in"]:
        assert text in captured.out + captured.err


def test_replay_text_tells_the_story_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "madrid-2022", "--seed", "1", "--run", "42"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("After Madrid, 2022-2026 (madrid-2022), seed 1, run 42")
    assert "Turn 1 - H2 2022" in out and "Turn 8 - H1 2026" in out
    assert "The 2022 US midterm elections:" in out
    assert "rule: chance, drawn by nature" in out
    assert "end of turn: unity" in out and "us_commitment" in out


def test_every_bundled_file_validates(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in [*bundled_scenarios().values(), *bundled_actors().values()]]
    assert main(["validate", *paths]) == 0
    assert capsys.readouterr().out.count(": ok") == len(paths)


def test_schema_is_draft_07_and_accepts_the_bundled_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for kind, files in [("scenario", bundled_scenarios()), ("actor", bundled_actors())]:
        assert main(["schema", "--kind", kind]) == 0
        schema = json.loads(capsys.readouterr().out)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert "$defs" not in json.dumps(schema)
        validator = jsonschema.Draft7Validator(schema)
        validator.check_schema(schema)
        for path in files.values():
            errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
            assert errors == [], (path, errors[:1])
        assert list(validator.iter_errors({"kind": kind, "titel": "x"}))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "madrid-2022", "--runs", "0"], "expected a number from 1 to 1,000,000,000, got 0"),
        (["run", "madrid-2022", "--runs", "many"], "expected a whole number, got 'many'"),
        (
            ["replay", "madrid-2022", "--seed", "1", "--run", "-3"],
            "expected a run index from 0 to 999,999,999, got -3",
        ),
        (["replay", "madrid-2022", "--seed", "1"], "the following arguments are required: --run"),
        (["run", "madrid-2022", "--set", "p_restraint_2024"], "expected NAME=NUMBER"),
        (["run", "madrid-2022", "--sample", "halton"], "invalid choice: 'halton'"),
    ],
)
def test_bad_arguments_get_a_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_the_console_script_runs_without_a_traceback(tmp_path: Path) -> None:
    """`python -m wargame.tui.cli` behaves as the installed `wargame` does, bad input included."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: scenario\nid: x\n  bad indent: [\n")
    done = subprocess.run(
        [sys.executable, "-m", "wargame.tui.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{bad}:3:")


def test_actors_lists_all_six(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actors"]) == 0
    out = capsys.readouterr().out
    for actor in ["nato", "eu", "us_congress", "turkey", "us_administration", "greece_cyprus"]:
        assert f"\n{actor}: " in f"\n{out}"


def test_a_role_brief_has_goals_numbers_red_lines_quotes_and_rights(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["actors", "turkey"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Turkey (turkey)\n")
    assert "Türkiye's involvement in EU defence initiatives: 100/100, 57% of its concern" in out
    assert "\"including Türkiye's participation in the PESCO Project on Military" in out
    assert "assumed: Full involvement; its top concern (Monte Carlo varies the" in out
    assert "clearly worse option (by 1 point) 10% of the time" in out
    assert "Red lines:" in out and "Decision rights in this scenario:" in out
    assert "decides alone: Finland and Sweden's accession" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert main(["actors", "us_congress"]) == 0
    out = capsys.readouterr().out
    for bloc in ["Republican internationalists", "Republican restraint bloc", "Progressive left"]:
        assert f"Priorities of {bloc}, most important first:" in out


def test_an_unknown_actor_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actors", "turky"]) == 2
    assert "did you mean 'turkey'?" in capsys.readouterr().err


def test_replay_without_a_seed_says_what_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "madrid-2022", "--run", "3"]) == 2
    assert "replay needs --seed" in capsys.readouterr().err


def test_temperature_zero_plays_preferences_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--temperature 0` on run pins every actor's temperature (recorded in the manifest, not
    as columns), and replay --results plays the run at that temperature again."""
    out = tmp_path / "r.parquet"
    assert (
        main(
            [
                "run",
                "madrid-2022",
                "--runs",
                "300",
                "--out",
                str(out),
                "--quiet",
                "--temperature",
                "0",
                "--sample",
                "uniform",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    table = pq.read_table(out)
    assert not any(c.endswith(".temperature") for c in table.column_names)
    assert set(table.column("event_accession").to_pylist()) == {"ratify"}
    capsys.readouterr()
    assert (
        main(["replay", "madrid-2022", "--results", str(out), "--run", "17", "--format", "json"])
        == 0
    )
    row = json.loads(capsys.readouterr().out)
    assert row.pop("trajectory")[0]["turn"] == 0
    assert row == table.slice(17, 1).to_pylist()[0]
    assert (
        main(["replay", "madrid-2022", "--results", str(out), "--run", "17", "--temperature", "1"])
        == 2
    )
    assert "--temperature comes from the results file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["run", "madrid-2022", "--runs", "10", "--temperature", "-1"])
    assert exit_.value.code == 2
    assert "expected a temperature of 0 or more" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "madrid-2022", "--runs", str(10**12)],
            "from 1 to 1,000,000,000, got 1000000000000",
        ),
        (["run", "madrid-2022", "--runs", "10**12"], "expected a whole number, got '10**12'"),
        (["run", "madrid-2022", "--runs", "9" * 5000], "expected a whole number, got '9999"),
        (["run", "madrid-2022", "--chunk-size", str(10**9)], "from 1 to 1,048,576"),
        (["run", "madrid-2022", "--workers", "100000"], "from 1 to 256, got 100000"),
        (["run", "madrid-2022", "--sample", "grid", "--levels", str(10**20)], "from 2 to 1,000"),
        (["run", "madrid-2022", "--set", "p_house_flip=nan"], "expected a finite number"),
        (["run", "madrid-2022", "--set", "p_house_flip=-inf"], "expected a finite number"),
        (["run", "madrid-2022", "--scheduler", "garbage"], "an address like tcp://HOST:PORT"),
        (["run", "madrid-2022", "--scheduler", "http://x:1"], "an address like tcp://HOST:PORT"),
        (["replay", "madrid-2022", "--seed", "1", "--run", str(2**63)], "from 0 to 999,999,999"),
        (["sensitivity", "madrid-2022", "--samples", "1"], "from 32 to 1,000,000,000 (fewer"),
    ],
)
def test_arguments_are_bounded_before_work_starts(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--runs 10**12`, `--levels 10**20`, `--samples 1` and `--run 2**63` used to give a
    traceback, a silent exit 0 or a meaningless answer."""
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err) < 2000  # a 5,000-digit argument is not echoed whole


def test_an_unreachable_scheduler_is_a_runtime_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    import distributed

    def refuse(address: str, timeout: str) -> None:
        raise OSError(f"Timed out trying to connect to {address} after {timeout}")

    monkeypatch.setattr(distributed, "Client", refuse)
    assert main(["run", "madrid-2022", "--runs", "5", "--scheduler", "tcp://10.0.0.1:8786"]) == 1
    assert capsys.readouterr().err == (
        "wargame: cannot reach the Dask scheduler at tcp://10.0.0.1:8786: Timed out trying to "
        "connect to tcp://10.0.0.1:8786 after 10s\n"
    )


def test_sensitivity_runs_are_bounded(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", "madrid-2022", "--samples", str(2**29), "--quiet"]) == 2
    assert "runs; the limit is 1,000,000,000" in capsys.readouterr().err


def test_a_bug_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import wargame.tui.cli

    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(wargame.tui.cli, "_actors", broken)
    monkeypatch.delenv("WARGAME_DEBUG", raising=False)
    assert main(["actors"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wargame: internal error: ZeroDivisionError: 'division by zero'\n")
    assert "please report it" in err and "Traceback" not in err
    monkeypatch.setenv("WARGAME_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["actors"])
