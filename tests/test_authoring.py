"""The scenario author's tools: docs/authoring.md's snippets put together, validated and
played, its commands run with the output it shows; `wargame new`'s starter; the bundled
list; the JSON Schema shipped with the package."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.test_citations import _paper_text, normalise, quotes
from wargame.engine.catalogue import bare_numbers, catalogue, expression_sources, unread
from wargame.engine.jsonschema import KINDS, schema_path, schema_text
from wargame.engine.scenario import bundled_scenarios, load_scenario
from wargame.tui.cli import main

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
FILE_MARK = "# file: "


@dataclass(frozen=True)
class Command:
    """A `$ wargame ...` line of the guide and the output lines shown under it."""

    line: str
    shown: list[str]


def _guide_blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8"))]


def guide_files() -> dict[str, str]:
    """Each YAML block's text appended to the file its first line names."""
    files: dict[str, str] = {}
    for language, body in _guide_blocks():
        if language != "yaml":
            continue
        first, _, rest = body.partition("\n")
        assert first.startswith(FILE_MARK), f"a YAML block names no file: {first!r}"
        files[first.removeprefix(FILE_MARK)] = files.get(first.removeprefix(FILE_MARK), "") + rest
    return files


def guide_commands() -> list[Command]:
    commands: list[Command] = []
    for language, body in _guide_blocks():
        if language != "console":
            continue
        for line in body.splitlines():
            if line.startswith("$ "):
                commands.append(Command(line.removeprefix("$ "), []))
            else:
                commands[-1].shown.append(line)
    return commands


# the guide's commands that show a failure, and the exit status they must give
FAILING = {"wargame validate mistakes.yaml": 1}


def run_shown(command: Command) -> str:
    """Run a guide's command in this process (with the exit status the guide implies); its
    output (stdout, then stderr)."""
    words = shlex.split(command.line)
    target = None
    if ">" in words:
        words, target = words[: words.index(">")], words[words.index(">") + 1]
    assert words[0] == "wargame", command.line
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(words[1:])
    assert code == FAILING.get(command.line, 0), (command.line, err.getvalue())
    if target is not None:
        Path(target).write_text(out.getvalue(), encoding="utf-8")
        return err.getvalue()
    return out.getvalue() + err.getvalue()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_shown(command: Command, output: str) -> None:
    """Each line the guide shows appears in the output, in order ('...' skips lines)."""
    lines = [_squash(line) for line in output.splitlines()]
    at = 0
    for expected in (_squash(s) for s in command.shown):
        if expected in ("", "..."):
            continue
        while at < len(lines) and expected not in lines[at]:
            at += 1
        assert at < len(lines), f"`{command.line}` did not print {expected!r}:\n{output}"
        at += 1


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide's folder: its files written, then its commands run in order, in it."""
    root = tmp_path_factory.mktemp("guide")
    for name, text in guide_files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_every_command_prints_what_the_guide_shows(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    monkeypatch.setenv("COLUMNS", "80")
    commands = guide_commands()
    assert len(commands) >= 10
    for command in commands:
        assert_shown(command, run_shown(command))
    assert (folder / "results.trajectories.parquet").exists()
    assert sorted(p.name for p in (folder / "plots").glob("fan_*.png")) == [
        "fan_us_commitment.png",
        "fan_us_commitment_by_pledge_review.png",
    ]


def test_the_guides_scenario_uses_every_rule_and_keeps_the_rules_of_numbers(
    folder: Path,
) -> None:
    scenario = load_scenario(folder / "aid-and-burden.yaml")
    rules = [event.rule for event in scenario.events]
    assert sorted(set(rules)) == ["bargain", "chance", "collective", "single", "veto", "vote"]
    votes = [e.spec for e in scenario.events if e.rule == "vote"]
    assert {v.agenda for v in votes} == {"house", None}
    assert any(option.projected for e in scenario.events for option in e.options)
    for number in catalogue(scenario):
        assert number.quote or number.assumption, number.name
        assert not number.assumption or number.ranged, number.name
    assert [w for w, source in expression_sources(scenario) if bare_numbers(source)] == []
    assert unread(scenario) == []


def test_the_guides_files_fit_the_schema_their_first_line_names(folder: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for name in ("aid-and-burden.yaml", "actors/white_house.yaml", "actors/allies.yaml"):
        path = folder / name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), name
        schema = json.loads((path.parent / first.partition("$schema=")[2]).read_text())
        errors = list(
            jsonschema.Draft7Validator(schema).iter_errors(yaml.safe_load(path.read_text()))
        )
        assert errors == [], (name, errors[:1])


def test_the_guides_quotes_are_in_the_paper(folder: Path) -> None:
    paper = _paper_text()
    if paper is None:
        pytest.skip("set WARGAME_PAPER to the paper's text to check the guide's quotes")
    text = normalise(paper)
    for name in ("aid-and-burden.yaml", "actors/white_house.yaml", "actors/allies.yaml"):
        document = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        missing = [q for _, q in quotes(document, name) if normalise(q) not in text]
        assert missing == [], name


def test_the_starter_validates_plays_and_points_at_the_installed_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "classroom"]) == 0
    assert "wrote classroom.yaml" in capsys.readouterr().out
    path = tmp_path / "classroom.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == f"# yaml-language-server: $schema={schema_path('scenario')}"
    assert Path(first.partition("$schema=")[2]).is_file()
    assert text.count("\n#") > 20  # a comment on every part
    scenario = load_scenario(path)
    assert scenario.id == "classroom" and scenario.spec.title == "Classroom"
    assert unread(scenario) == []
    assert [w for w, source in expression_sources(scenario) if bare_numbers(source)] == []
    out = tmp_path / "r.parquet"
    run = ["run", str(path), "--runs", "500", "--out", str(out), "--quiet", "--trajectories"]
    assert main(run) == 0
    assert main(["new", "classroom"]) == 2
    assert "classroom.yaml already exists (add --force" in capsys.readouterr().err
    assert main(["new", "classroom", "--force"]) == 0
    assert main(["new", "Class Room"]) == 2
    assert "try 'class-room'" in capsys.readouterr().err


def test_the_starters_quotes_are_in_the_paper(tmp_path: Path) -> None:
    paper = _paper_text()
    if paper is None:
        pytest.skip("set WARGAME_PAPER to the paper's text to check the starter's quotes")
    assert main(["new", str(tmp_path / "starter")]) == 0
    document = yaml.safe_load((tmp_path / "starter.yaml").read_text(encoding="utf-8"))
    found = list(quotes(document, "starter"))
    assert found and [q for _, q in found if normalise(q) not in normalise(paper)] == []


def test_scenarios_lists_the_bundled_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in bundled_scenarios():
        assert f"{name}: " in out
    assert "4 half-year turns, H2 2022 to H1 2024" in out  # pesco-access
    assert main(["scenarios", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in listed] == list(bundled_scenarios())
    assert all(Path(s["file"]).is_file() for s in listed)


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_schema_is_the_one_the_code_makes(
    kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a change to engine/schema.py: python -m wargame.engine.jsonschema."""
    assert schema_path(kind).read_text(encoding="utf-8") == schema_text(kind)
    assert main(["schema", "--kind", kind, "--path"]) == 0
    assert capsys.readouterr().out == f"{schema_path(kind)}\n"
