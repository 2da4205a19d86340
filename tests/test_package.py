"""One installed namespace: the library is `wargame` and nothing else, with a small surface."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

import wargame


def test_importing_everything_brings_in_no_other_top_level_package() -> None:
    """`engine`, `actors`, `tui` and `scenarios` are folders of the repository, imported as
    `wargame.engine` and so on: nothing installs or imports them under their own names."""
    code = (
        "import sys, wargame, wargame.tui.cli, wargame.tui.app.app, wargame.engine.executors; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'engine', 'actors', 'tui', 'scenarios'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_public_surface_is_small_and_sorted() -> None:
    def isort_style(name: str) -> tuple[int, str]:  # constants, classes, then functions
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert wargame.__all__ == sorted(wargame.__all__, key=isort_style)
    assert len(wargame.__all__) <= 15
    for name in wargame.__all__:
        assert getattr(wargame, name) is not None, name


def test_a_notebook_loads_plays_reads_and_replays(tmp_path: Path) -> None:
    scenario = wargame.load_scenario("madrid-2022")
    table = wargame.play_batch(scenario, runs=50, seed=3)
    assert table.num_rows == 50
    path = tmp_path / "r.parquet"
    pq.write_table(table, path)
    assert wargame.read_results(path).equals(table)
    model = wargame.replay_run(scenario, seed=3, run=17)
    row = table.slice(17, 1).to_pylist()[0]
    assert model.state.fields["unity"][0] == row["unity"]
    assert model.resolutions


def test_every_package_folder_is_installed() -> None:
    """The installed packages are listed by hand (the repository's folders map into `wargame`):
    a new folder left out of the list imports here and is missing from a non-editable install."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    setup = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {
        str(init.parent.relative_to(root))
        for top in ("wargame", "engine", "actors", "scenarios", "tui")
        for init in (root / top).rglob("__init__.py")
    }
    assert set(setup["package-dir"].values()) == folders
    assert set(setup["packages"]) == set(setup["package-dir"])
