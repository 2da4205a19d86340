"""Terminal control codes and markup in text from outside never reach a terminal raw: not
from a scenario (refused when read), a results file, a file name or an argument."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.test_scenario_errors import broken
from wargame.tui.cli import main
from wargame.tui.terminal import terminal_safe

RAW = ("\x1b", "\x9b", "\x07", "\x08", "\r", "\u202e")


def assert_clean(text: str) -> None:
    for char in RAW:
        assert char not in text, (char, text)


def test_controls_are_written_out_and_markup_escaped() -> None:
    text = "title\x1b]0;pwned\x07 \x9b31m back\x08\rspace \u202eevil\ttab\nline [red]x[/red]"
    plain = terminal_safe(text)
    assert plain == (
        "title\\x1b]0;pwned\\x07 \\x9b31m back\\x08\\x0dspace \\u202eevil\ttab\nline [red]x[/red]"
    )
    assert terminal_safe(text, markup=True).endswith("line \\[red]x\\[/red]")
    assert terminal_safe("plain words") == "plain words"


def test_summary_of_a_crafted_results_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A results file is data anyone can write: its labels and column names are shown safe."""
    labels = pa.array(["\x1b]0;pwned\x07", "[link=file:///etc/passwd]x[/link]"])
    table = pa.table(
        {
            "run": pa.array([0, 1], pa.int64()),
            "unity\x1b[2J": pa.array([1.0, 2.0]),
            "event_x": pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int8()), labels),
        }
    )
    path = tmp_path / "crafted.parquet"
    pq.write_table(table, path)
    assert main(["summary", str(path), "--hist", "unity\x1b[2J"]) == 0
    out, err = capsys.readouterr()
    assert_clean(out + err)
    assert "\\x1b]0;pwned\\x07" in out and "[link=file:///etc/passwd]x[/link]" in out


def test_markup_in_a_scenario_is_shown_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario text may hold brackets; Rich must not read them as styles or links."""
    title = "[bold red]Evil[/bold red] [link=file:///etc/passwd]x[/link]"
    path = broken(tmp_path, "title: Every rule", f'title: "{title}"')
    assert main(["run", str(path), "--runs", "20", "--quiet"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the table wraps the title
    assert f"{title}: 20 runs, seed 1" in out
    assert main(["replay", str(path), "--seed", "1", "--run", "3"]) == 0
    assert capsys.readouterr().out.startswith(f"{title} (every-rule), seed 1, run 3")


def test_escapes_in_a_scenario_are_refused_where_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(tmp_path, "title: Every rule", 'title: "\\e]0;pwned\\a\\e[2J"')
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert_clean(err)
    assert ": title: text holds the control character \\x1b at character 1" in err
    path.write_text(path.read_text().replace('title: "\\e]0;pwned\\a\\e[2J"', "title: T"))
    house = tmp_path / "actors" / "house.yaml"
    house.write_text(house.read_text().replace("name: The House", 'name: "The \\x9bHouse"'))
    assert main(["actors", "--scenario", str(path)]) == 2
    err = capsys.readouterr().err
    assert_clean(err)
    assert "name: text holds the control character \\x9b at character 5" in err


def test_file_names_and_arguments_are_shown_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "odd\x1b]0;pwned\x07.yaml"
    odd.write_text("kind: recipe\n")
    assert main(["validate", str(odd)]) == 1
    assert_clean(capsys.readouterr().err)
    assert main(["actors", "\x1b[2Jturkey"]) == 2
    err = capsys.readouterr().err
    assert_clean(err)
    assert "unknown actor (got '\\x1b[2Jturkey'" in err
    assert main(["summary", str(tmp_path / "\x1b[2J.parquet")]) == 2
    assert_clean(capsys.readouterr().err)
