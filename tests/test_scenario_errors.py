"""Bad scenario files get `path:line:col: dotted.path: message` lines, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, EVERY_RULE
from wargame.tui.cli import main

LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<where>[\w.]+): (?P<message>.+)$"
)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the every-rule scenario (with its actors) with one piece of text replaced."""
    shutil.copytree(DATA / "actors", tmp_path / "actors")
    text = EVERY_RULE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "scenario.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, [line for line in captured.err.splitlines() if line]


def line_number(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_test_scenario_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EVERY_RULE)]) == 0
    assert capsys.readouterr().out.strip() == f"{EVERY_RULE}: ok"


def test_typo_in_a_field_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown key points at the key, lists the allowed fields and suggests the near miss."""
    path = broken(
        tmp_path,
        "    narrative: The hawk sets the budget.",
        "    narative: The hawk sets the budget.",
    )
    code, lines = validate(path, capsys)
    assert code != 0
    (line,) = lines
    match = LINE.match(line)
    assert match, line
    assert int(match["line"]) == line_number(path, "narative:")
    assert match["col"] == "5"
    assert match["where"] == "events.1.narative"
    assert "unknown field (got 'narative'; expected one of" in line
    assert "did you mean 'narrative'?" in line


def test_unknown_actor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = broken(tmp_path, "    decider: hawk", "    decider: hwak")
    code, lines = validate(path, capsys)
    assert code != 0
    (line,) = lines
    assert LINE.match(line)
    assert line.endswith(
        "events.1.decider: unknown actor (got 'hwak'; expected one of 'dove', "
        "'hawk', 'house'; did you mean 'hawk'?)"
    )
    assert line.startswith(f"{path}:{line_number(path, 'decider: hwak')}:14: ")


def test_bad_expression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The column points inside the expression, at the offending name."""
    path = broken(tmp_path, "{spending: spending + 5}", "{spending: spending + __import__('os')}")
    code, lines = validate(path, capsys)
    assert code != 0
    (line,) = lines
    match = LINE.match(line)
    assert match, line
    text_line = path.read_text().splitlines()[int(match["line"]) - 1]
    assert text_line[int(match["col"]) - 1 :].startswith("__import__")
    assert match["where"] == "events.1.options.0.effects.spending"
    assert "calls are limited to min, max, clip, abs (got '__import__')" in line


def test_python_object_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A `!!python/object` tag is refused before anything is constructed."""
    path = broken(
        tmp_path, "title: Every rule", "title: !!python/object/apply:os.system ['touch PWNED']"
    )
    code, lines = validate(path, capsys)
    assert code != 0
    (line,) = lines
    assert LINE.match(line)
    assert line.startswith(
        f"{path}:{line_number(path, 'title: !!python')}:8: title: "
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"
    )
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_every_problem_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Several mistakes in one file are all reported, in file order, in one run."""
    path = broken(tmp_path, "    decider: hawk", "    decider: hwak")
    text = path.read_text()
    text = text.replace("turns: 4\n", "turns: four\n").replace(
        "status_quo: keep", "status_quo: kept"
    )
    text = text.replace('condition: "turn >= 2', 'condition: "turn >== 2').replace(
        "rule: chance", "rule: dice", 1
    )
    path.write_text(text)
    code, lines = validate(path, capsys)
    assert code != 0
    problems = [line for line in lines if LINE.match(line)]
    assert len(problems) == 5, lines
    assert lines[-1] == "5 problems"
    wheres = [LINE.match(line)["where"] for line in problems]
    assert wheres == [
        "turns",
        "events.0.rule",
        "events.1.decider",
        "events.2.status_quo",
        "events.6.condition",
    ]
    assert (
        "not allowed (got 'dice'; expected one of 'bargain', 'chance', 'collective', "
        "'single', 'veto', 'vote')" in problems[1]
    )


def test_actor_file_errors_point_into_the_actor_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(tmp_path, "title: Every rule", "title: Every rule")
    actor = tmp_path / "actors" / "hawk.yaml"
    actor.write_text(actor.read_text().replace("  spending: {ideal: 80", "  spendin: {ideal: 80"))
    code, lines = validate(path, capsys)
    assert code != 0
    (line,) = lines
    assert line.startswith(f"{actor}:9:3: preferences.spendin: unknown dimension (got 'spendin'")
    assert "did you mean 'spending'?" in line


def test_missing_file_and_unknown_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("kind: recipe\n")
    code, lines = validate(tmp_path / "nope.yaml", capsys)
    assert code != 0 and "cannot read file" in lines[0]
    code, lines = validate(other, capsys)
    assert code != 0
    assert lines == [
        f"{other}:1:1: kind: missing or unknown 'kind' "
        "(got 'recipe'; expected one of 'scenario', 'actor')"
    ]


def test_unknown_bundled_scenario_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "madrid-2021", "--runs", "1"]) != 0
    err = capsys.readouterr().err
    assert "no such scenario file or bundled scenario (got 'madrid-2021'" in err
    assert "did you mean 'madrid-2022'?" in err
