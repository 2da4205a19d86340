"""Scenario files that used to validate and then give silent NaN, wrong results or crashes:
non-finite numbers, impossible probabilities and seat shares, names that collide, and
actor files outside the scenario's folder. Each is refused at validation time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_scenario_errors import LINE, broken, validate
from wargame.engine.limits import MAX_OPTIONS


def one_problem(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, lines = validate(path, capsys)
    assert code == 1, lines
    assert len(lines) == 1, lines
    assert LINE.match(lines[0]), lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "value: 0.4, range: [0.2, 0.6]",
            "value: .nan, range: [0.2, 0.6]",
            "parameters.p_restraint.value",
            "input should be a finite number (got nan)",
        ),
        (
            "value: 6, range: [2, 10]",
            "value: 6, range: [2, .inf]",
            "parameters.shock_size.range.1",
            "input should be a finite number (got inf)",
        ),
        (
            "value: 6, range: [2, 10]",
            "value: 6, range: [2, 1e300]",
            "parameters.shock_size.range.1",
            "input should be less than or equal to 1000000000000 (got 1e+300)",
        ),
        (
            "initial: 60, range: [50, 70]",
            "initial: .nan, range: [50, 70]",
            "dimensions.commitment.initial",
            "input should be a finite number (got nan)",
        ),
        (
            "probability: 1 - p_restraint",
            "probability: 1.5",
            "events.0.options.0.probability",
            "input should be less than or equal to 1 (got 1.5)",
        ),
        (
            "probability: 1 - p_restraint",
            "probability: true",
            "events.0.options.0.probability",
            "true and false are not expressions (got True)",
        ),
        (
            "probability: 1 - p_restraint",
            "probability: -0.1",
            "events.0.options.0.probability",
            "input should be greater than or equal to 0 (got -0.1)",
        ),
        (
            "{spending: spending + 5}",
            "{spending: .inf}",
            "events.1.options.0.effects.spending",
            "input should be a finite number (got inf)",
        ),
    ],
)
def test_numbers_that_are_not_finite_or_not_probabilities(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    where: str,
    message: str,
) -> None:
    line = one_problem(broken(tmp_path, old, new), capsys)
    assert f": {where}: " in line and message in line, line


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "commitment: {ideal: 95",
            "commitment: {ideal: .nan",
            "blocs.hawks.preferences.commitment.ideal",
            "finite",
        ),
        ("temperature: {value: 2", "temperature: {value: .inf", "temperature.value", "finite"),
        ("seats: {value: 0.6, range", "seats: {value: .nan, range", "blocs.hawks.seats.value", ""),
        (
            "seats: {value: 0.4, range: [0.3, 0.6]",
            "seats: {value: -0.2, range: [-1, 1]",
            "blocs.sceptics.seats.value",
            "must be 0..1 (got -0.2)",
        ),
    ],
)
def test_actor_numbers(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    where: str,
    message: str,
) -> None:
    path = broken(tmp_path, "title: Every rule", "title: Every rule")
    house = tmp_path / "actors" / "house.yaml"
    house.write_text(house.read_text().replace(old, new, 1))
    code, lines = validate(path, capsys)
    assert code == 1
    mine = [line for line in lines if f": {where}: " in line]
    assert mine and mine[0].startswith(str(house)) and message in mine[0], lines


def test_negative_seats_are_refused_even_when_they_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(tmp_path, "title: Every rule", "title: Every rule")
    house = tmp_path / "actors" / "house.yaml"
    text = house.read_text().replace("value: 0.6, range: [0.4, 0.7]", "value: 1.2, range: [0, 2]")
    house.write_text(
        text.replace("seats: {value: 0.4, range: [0.3, 0.6]", "seats: {value: -0.2, range: [-1, 1]")
    )
    code, lines = validate(path, capsys)
    assert code == 1
    assert [line.split(": ", 1)[1] for line in lines if ": blocs." in line] == [
        "blocs.hawks.seats.value: must be 0..1 (got 1.2)",
        "blocs.sceptics.seats.value: must be 0..1 (got -0.2)",
    ]


def test_an_event_with_more_options_than_results_can_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """40,000 options used to be accepted; past 32,767 they were recorded as 'did not occur'."""
    more = "".join(f"      - {{id: o{i}, label: O}}\n" for i in range(MAX_OPTIONS - 2))
    path = broken(tmp_path, "      - id: hold\n", more + "      - id: hold\n")
    code, lines = validate(path, capsys)
    assert code == 1
    assert any(
        f"events.1.options: list should have at most {MAX_OPTIONS} items after validation, "
        f"not {MAX_OPTIONS + 1}" in line
        for line in lines
    ), lines


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "  shock_size: {label: Size",
            "  spending: {label: Size",
            "parameters.spending",
            "'spending' is already a dimension: dimensions, facts, parameters and outcomes "
            "need different names",
        ),
        (
            "  access: {label: Access",
            "  turn: {label: Access",
            "dimensions.turn",
            "'turn' is reserved: expressions and results use it for the turn number",
        ),
        (
            "  shock_size: {label: Size",
            "  turn: {label: Size",
            "parameters.turn",
            "'turn' is reserved",
        ),
        (
            "  credibility:\n",
            "  commitment:\n",
            "outcomes.commitment",
            "'commitment' is already a dimension",
        ),
        ("  credibility:\n", "  president:\n", "outcomes.president", "is already a fact"),
        ("  credibility:\n", "  run:\n", "outcomes.run", "for the results' run index"),
        (
            "  credibility:\n",
            "  score_hawk:\n",
            "outcomes.score_hawk",
            "names starting with 'score_' are reserved for actors' scores",
        ),
        (
            "  credibility:\n",
            "  input_x:\n",
            "outcomes.input_x",
            "names starting with 'input_' are reserved for sampled inputs",
        ),
        (
            "  shock_size: {label: Size",
            "  seats_hawks: {label: Size",
            "parameters.seats_hawks",
            "reserved for blocs' seat shares",
        ),
        ("  access: {label: Access", "  lambda: {label: Access", "dimensions.lambda", "a word"),
    ],
)
def test_names_that_would_stand_for_two_things(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    where: str,
    message: str,
) -> None:
    """A parameter named like a dimension replaced its starting value; an outcome named like
    a dimension, a fact, `run` or `score_*` crashed `run` after every chunk was computed."""
    path = broken(tmp_path, old, new)
    code, lines = validate(path, capsys)
    assert code == 1
    mine = [line for line in lines if f": {where}: " in line]
    assert mine and message in mine[0], lines


def test_two_actors_with_the_same_bloc_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """They used to share one seat share silently."""
    path = broken(tmp_path, "actors/house.yaml]", "actors/house.yaml, actors/senate.yaml]")
    house = (tmp_path / "actors" / "house.yaml").read_text()
    (tmp_path / "actors" / "senate.yaml").write_text(
        house.replace("id: house", "id: senate").replace("The House", "The Senate")
    )
    code, lines = validate(path, capsys)
    assert code == 1
    assert any(
        "actors: actors 'house' and 'senate' both have a bloc 'hawks': each bloc has its own "
        "seat share, so bloc ids must differ" in line
        for line in lines
    ), lines


def test_actor_files_outside_the_scenario_folder_are_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`../../.ssh/id_ed25519` made validate print the whole private key."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecret\n")
    game = tmp_path / "game"
    game.mkdir()
    path = broken(game, "actors/dove.yaml,", "../secret/id_ed25519,")
    code, lines = validate(path, capsys)
    assert code == 1
    assert "secret" not in "".join(lines[1:]) and "AAAA" not in "".join(lines)
    assert lines[0].endswith(
        "actors.1: actor file '../secret/id_ed25519' is outside the scenario's folder: a "
        f"scenario may use files in {str(game)!r} (or below) and the bundled profiles only"
    )
    (game / "actors" / "link.yaml").symlink_to(secret / "id_ed25519")
    path.write_text(path.read_text().replace("../secret/id_ed25519,", "actors/link.yaml,"))
    code, lines = validate(path, capsys)
    assert "outside the scenario's folder" in lines[0] and "AAAA" not in "".join(lines)


def test_a_non_yaml_file_inside_the_folder_is_not_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "b3BlbnNzaC1rZXktdjE" * 20 + "\n"
    path = broken(tmp_path, "actors/dove.yaml,", "actors/key.yaml,")
    (tmp_path / "actors" / "key.yaml").write_text(key)
    code, lines = validate(path, capsys)
    assert code == 1
    assert "b3Bl" not in "\n".join(lines) and "BEGIN" not in "\n".join(lines)
    key_file = tmp_path / "actors" / "key.yaml"
    assert lines[0].startswith(f"{key_file}:1:1: an actor file must be a mapping of fields ")


@pytest.mark.parametrize("kind", ["fifo", "folder", "loop", "device"])
def test_actor_files_that_are_not_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = broken(tmp_path, "actors/dove.yaml,", "actors/odd.yaml,")
    odd = tmp_path / "actors" / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "folder":
        odd.mkdir()
    elif kind == "loop":
        odd.symlink_to(tmp_path / "actors" / "odd2.yaml")
        (tmp_path / "actors" / "odd2.yaml").symlink_to(odd)
    else:
        path.write_text(path.read_text().replace("actors/odd.yaml,", "/dev/zero,"))
    code, lines = validate(path, capsys)
    assert code == 1
    expected = {
        "fifo": "cannot read file: it is a named pipe (FIFO), not a file",
        "folder": "cannot read file: it is a folder, not a file",
        "loop": "a loop of symbolic links",
        "device": "is outside the scenario's folder",
    }[kind]
    assert expected in lines[0], lines
