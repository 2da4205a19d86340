"""Every path typed on the command line is checked before work starts: one line naming the
option and the path, exit status 2, no traceback (`tui/paths.py`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import wargame.tui.paths
from wargame.tui.cli import main


@pytest.fixture()
def places(tmp_path: Path) -> dict[str, Path]:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder\n")
    results = tmp_path / "r.parquet"
    assert main(["run", "madrid-2022", "--runs", "50", "--out", str(results), "--quiet"]) == 0
    return {"dir": tmp_path, "file": a_file, "results": results}


CASES = [
    (["run", "madrid-2022", "--runs", "5", "--out", "{dir}"], "--out {dir}: is a folder; "),
    (
        ["run", "madrid-2022", "--runs", "5", "--out", "{file}/r.parquet"],
        "--out {file}/r.parquet: {file} is a file, not a folder",
    ),
    (
        ["run", "madrid-2022", "--runs", "5", "--out", "{dir}/nope/r.parquet"],
        "--out {dir}/nope/r.parquet: the folder {dir}/nope does not exist (create it first)",
    ),
    (
        ["run", "madrid-2022", "--runs", "5", "--plot", "{file}"],
        "--plot {file}: is a file; expected a folder",
    ),
    (["summary", "{dir}"], "summary {dir}: is a folder; expected a file"),
    (["summary", "{dir}/missing.parquet"], "summary {dir}/missing.parquet: no such file"),
    (["summary", "{results}", "--plot", "{file}"], "--plot {file}: is a file; expected a folder"),
    (
        ["replay", "madrid-2022", "--run", "1", "--results", "{dir}"],
        "--results {dir}: is a folder; expected a file",
    ),
    (["play", "--saves", "{file}"], "--saves {file}: is a file; expected a folder"),
    (["play", "--resume", "{dir}"], "--resume {dir}: is a folder; expected a file"),
    (["play", "--resume", "{dir}/gone.json"], "--resume {dir}/gone.json: no such file"),
    (["validate", "{dir}"], "{dir}:1:1: cannot read file: it is a folder, not a file"),
    (["run", "{dir}", "--runs", "5"], "{dir}:1:1: cannot read file: it is a folder, not a file"),
]


@pytest.mark.parametrize(("argv", "message"), CASES)
def test_a_wrong_kind_of_path_is_one_line(
    places: dict[str, Path], capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    capsys.readouterr()
    code = main([arg.format(**places) for arg in argv])
    err = capsys.readouterr().err
    assert code == (1 if argv[0] == "validate" else 2), err
    (line,) = err.splitlines()
    assert message.format(**places) in line
    assert "Traceback" not in err


def test_a_folder_without_write_permission(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checked with os.access (tests run as root here, so the answer is simulated)."""
    real = os.access
    monkeypatch.setattr(
        wargame.tui.paths.os, "access", lambda p, mode: False if mode & os.W_OK else real(p, mode)
    )
    folder = places["dir"]
    for argv, option in [
        (["run", "madrid-2022", "--runs", "5", "--out", f"{folder}/x.parquet"], "--out"),
        (["play", "--saves", f"{folder}/saves"], "--saves"),
        (["summary", str(places["results"]), "--plot", f"{folder}/plots"], "--plot"),
    ]:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"wargame: {option} {folder}/" in err
        assert f"cannot write in {folder} (no permission, or a read-only folder)" in err


def test_an_unreadable_results_file(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(wargame.tui.paths.os, "access", lambda p, mode: False)
    assert main(["summary", str(places["results"])]) == 2
    assert "no permission to read it" in capsys.readouterr().err


def test_plots_are_written_to_a_new_folder(
    places: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    plots = places["dir"] / "plots" / "deeper"
    assert main(["summary", str(places["results"]), "--plot", str(plots)]) == 0
    assert sorted(p.name for p in plots.iterdir()) == [
        "burden_sharing.png",
        "deterrence.png",
        "unity.png",
    ]
