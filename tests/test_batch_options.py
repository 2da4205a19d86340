"""Batch options a command would not use are refused, never ignored; a results file is
never relabelled by another batch's manifest; a finished batch resumed plays nothing; a
stopped batch always says how to finish it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wargame.engine.errors import RuntimeFailure
from wargame.engine.store import ResultStore
from wargame.tui.cli import main

RUNS = 600


def _batch(out: Path, seed: int, *extra: str) -> None:
    argv = ["run", "madrid-2022", "--runs", str(RUNS), "--seed", str(seed), "--out", str(out)]
    assert main([*argv, "--quiet", "--workers", "1", *extra]) == 0


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "r.parquet"
    _batch(out, 7)
    return out


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--sample", "grid"], "has 3^205 points, more than --runs 600"),
        (["--vary", "p_house_flip"], "--vary chooses the inputs a design draws"),
        (["--levels", "4"], "--levels is the number of levels per input of --sample grid"),
        (["--sample", "lhs", "--vary", ""], "--vary names inputs"),
        (["--set", "p_house_flip=0.6", "--set", "p_house_flip=0.7"], "is given twice"),
        (
            ["--sample", "lhs", "--vary", "p_house_flip", "--set", "p_house_flip=0.6"],
            "an input is drawn or fixed",
        ),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "has its own workers"),
    ],
)
def test_an_option_the_batch_would_ignore_is_refused_before_any_work(
    extra: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.parquet"
    argv = ["run", "madrid-2022", "--runs", str(RUNS), "--out", str(out), "--quiet", *extra]
    assert main(argv) == 2
    assert said in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_grid_the_runs_cover_is_played_and_an_uneven_one_is_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g.parquet"
    _batch(out, 1, "--sample", "grid", "--vary", "p_house_flip,p_restraint_2024")
    assert "the first 6 points get one run more than the others" in capsys.readouterr().err


def test_a_grid_refusal_says_how_many_inputs_fit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "madrid-2022", "--runs", "100", "--sample", "grid", "--levels", "2"]) == 2
    assert "Choose at most 6 inputs with --vary" in capsys.readouterr().err


def test_replay_of_a_results_run_refuses_what_the_file_sets(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replay = ["replay", "madrid-2022", "--results", str(results), "--run", "5"]
    assert main([*replay, "--seed", "99"]) == 2
    assert "--seed comes from the results file" in capsys.readouterr().err
    assert main([*replay, "--sample", "uniform", "--set", "p_house_flip=0.6"]) == 2
    assert "--sample and --set come from the results file" in capsys.readouterr().err


def test_summary_to_a_file_needs_numbers(
    results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "s.txt"
    assert main(["summary", str(results), "-o", str(target)]) == 2
    assert "add --format csv or json" in capsys.readouterr().err
    assert not target.exists()


def test_another_batch_manifest_never_relabels_a_results_file(
    results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.parquet"
    _batch(other, 11)
    swapped = tmp_path / "swapped.parquet"
    shutil.copy(other, swapped)
    shutil.copy(f"{results}.manifest.json", f"{swapped}.manifest.json")  # seed 7's
    capsys.readouterr()
    assert main(["summary", str(swapped)]) == 0
    out, err = capsys.readouterr()
    assert "describes another batch" in err and "seed 7" not in out
    replay = ["replay", "madrid-2022", "--results", str(swapped), "--run", "5"]
    assert main(replay) == 2
    assert "describes another batch" in capsys.readouterr().err


def test_resuming_a_finished_batch_plays_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.parquet"
    _batch(out, 3)
    before = (out.read_bytes(), Path(f"{out}.manifest.json").read_bytes())
    capsys.readouterr()
    _batch(out, 3, "--resume")
    out_text, err = capsys.readouterr()
    assert "is already complete: nothing to play" in err and "games in" not in err
    assert "600 runs, seed 3" in out_text  # its summary, all the same
    assert (out.read_bytes(), Path(f"{out}.manifest.json").read_bytes()) == before


def test_a_batch_stopped_while_it_writes_says_how_to_finish_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / ("a" * 60) / "r.parquet"
    out.parent.mkdir()

    def interrupted(store: ResultStore) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(ResultStore, "finish", interrupted)
    argv = ["run", "madrid-2022", "--runs", str(RUNS), "--out", str(out), "--workers", "1"]
    assert main([*argv, "--quiet"]) == 130
    kept = [line for line in capsys.readouterr().err.splitlines() if "finish with:" in line]
    assert kept and kept[0].endswith(f"{out} --workers 1 --quiet --resume")

    def disk_full(store: ResultStore) -> int:
        raise RuntimeFailure(f"cannot write {out}: the disk is full")

    monkeypatch.setattr(ResultStore, "finish", disk_full)
    assert main([*argv, "--quiet", "--resume"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wargame: cannot write") and err.count("\n") == 1
    assert "the disk is full; 1 of 1 chunks (600 runs) are kept in" in err
    assert err.endswith("--quiet --resume\n")


def test_the_finishing_command_works_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A relative --out is made absolute in the command a stopped batch suggests: the user
    runs it from wherever they are then (`summary` of the file says the same)."""
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")

    def interrupted(store: ResultStore) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(ResultStore, "finish", interrupted)
    argv = ["run", "madrid-2022", "--runs", str(RUNS), "--out", "../rel.parquet", "--quiet"]
    assert main(argv) == 130
    absolute = str(tmp_path / "rel.parquet")
    assert f"--out {absolute} --quiet --resume" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["summary", "rel.parquet"]) == 2
    assert f"--out {absolute} --quiet --resume" in capsys.readouterr().err


def test_resume_where_nothing_was_started_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nothing.parquet"
    argv = ["run", "madrid-2022", "--runs", str(RUNS), "--out", str(out), "--quiet", "--resume"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "no batch was started there" in err and "run without --resume" in err
    assert "delete" not in err


def test_a_finished_batch_whose_file_is_gone_is_not_called_interrupted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.parquet"
    _batch(out, 2)
    out.unlink()
    capsys.readouterr()
    assert main(["summary", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is missing, though its manifest says the batch finished" in err
    assert "interrupted" not in err


def test_replay_names_the_scenario_a_file_was_made_from(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", "pesco-access", "--results", str(results), "--run", "1"]) == 2
    assert "was made from scenario 'madrid-2022', not 'pesco-access'" in capsys.readouterr().err


def test_a_name_with_no_close_match_is_a_sentence(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", str(results), "--by", "zzz"]) == 2
    assert "--by: no event 'zzz'. The valid ones: " in capsys.readouterr().err


def test_results_are_not_written_under_another_format_s_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.csv"
    assert main(["run", "madrid-2022", "--runs", "10", "--out", str(out), "--quiet"]) == 2
    assert "results are Parquet, not csv: name it r.parquet" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_behaviour_runs_are_bounded_as_run_s_are(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["behaviour", "madrid-2022", "--runs", str(10**15)])
    assert exit_.value.code == 2
    assert "expected a number from 1 to 1,000,000,000" in capsys.readouterr().err


def test_resume_says_in_words_how_the_batch_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It printed the raw digests of the scenario's files, and a design as a dict of its 205
    inputs, and took the chunk size --trajectories sets for a difference of its own."""
    from wargame.engine.scenario import bundled_scenarios

    scenario = tmp_path / "mine.yaml"
    scenario.write_text(bundled_scenarios()["madrid-2022"].read_text())
    out = tmp_path / "r.parquet"

    def interrupted(store: ResultStore) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(ResultStore, "finish", interrupted)
    argv = ["run", str(scenario), "--runs", str(RUNS), "--out", str(out), "--quiet"]
    assert main([*argv, "--sample", "lhs"]) == 130
    monkeypatch.undo()
    assert main([*argv, "--resume"]) == 2
    err = capsys.readouterr().err
    assert "it was started with other --sample, inputs varied (the batch's --sample: 'lhs'" in err
    assert main([*argv, "--sample", "lhs", "--trajectories", "--resume"]) == 2
    assert "it was started without --trajectories" in capsys.readouterr().err
    scenario.write_text(scenario.read_text() + "\n# edited\n")
    assert main([*argv, "--sample", "lhs", "--resume"]) == 2
    assert "the scenario's files changed since the batch was started" in capsys.readouterr().err
