"""Bounded work on any file: every limit of `engine.limits` gives a message naming the file,
the place and the limit, quickly, instead of a hang, a MemoryError or a RecursionError."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from wargame.engine.errors import ScenarioError
from wargame.engine.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_INT_DIGITS,
    MAX_NODES,
    MAX_OPTIONS,
    MAX_SCALAR_CHARS,
)
from wargame.engine.state import CHOICE_DTYPE
from wargame.engine.yamlio import parse_yaml, read_yaml


def refused(text: str, seconds: float = 5.0) -> str:
    """The one message parse_yaml gives for `text`, which must come within `seconds`."""
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        parse_yaml(text, "t.yaml")
    assert time.perf_counter() - started < seconds
    (problem,) = caught.value.problems
    return str(problem)


def test_deep_flow_nesting_stops_at_the_limit_while_scanning() -> None:
    """100,000 nested '[' took 155 s and ended in RecursionError; now the scanner stops."""
    message = refused("[" * 100_000 + "]" * 100_000, seconds=1)
    assert message == f"t.yaml:1:{MAX_DEPTH + 1}: nested deeper than {MAX_DEPTH} levels (the limit)"


def test_deep_block_nesting_stops_at_the_limit() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n"
    assert refused(text, seconds=1).endswith(f"nested deeper than {MAX_DEPTH} levels (the limit)")
    assert refused("- " * 3000 + "x", seconds=1).startswith("t.yaml:1:")


def test_nesting_just_under_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 2
    doc = parse_yaml("[" * depth + "1" + "]" * depth, "t.yaml")
    node = doc.data
    for _ in range(depth - 1):
        node = node[0]
    assert node == [1]


def test_billion_laughs_is_refused_quickly() -> None:
    """Aliases that expand exponentially stop at MAX_NODES values (it used to reach 5.6 GiB)."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        this, before = chr(97 + i), chr(96 + i)
        lines.append(f"{this}: &{this} [" + ", ".join([f"*{before}"] * 9) + "]")
    message = refused("\n".join(lines) + "\n", seconds=3)
    assert f"aliases expand to more than {MAX_NODES:,} values (the limit)" in message
    assert message.startswith("t.yaml:")


def test_an_alias_inside_itself_is_a_cycle() -> None:
    assert refused("a: &a [1, *a]\n") == (
        "t.yaml:1:4: a.1: an alias refers to a value that contains it (a cycle)"
    )
    assert "a cycle" in refused("a: &a {b: *a}\n")


def test_reused_aliases_that_stay_small_are_fine() -> None:
    doc = parse_yaml("base: &b {x: 1}\none: *b\ntwo: *b\n", "t.yaml")
    assert doc.data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


def test_too_many_values() -> None:
    """Half a million values in one flat list stop at the limit, in about a second."""
    message = refused("a: [" + "1," * 500_000 + "1]", seconds=5)
    assert message.endswith(f"more than {MAX_NODES:,} values (the limit)")


def test_integers_with_absurd_digit_counts() -> None:
    """5,000 digits used to give Python's int-to-string limit as a traceback."""
    assert refused("a: " + "9" * 5000 + "\n") == (
        f"t.yaml:1:4: a: an integer of 5,000 digits is too long (the limit is {MAX_INT_DIGITS})"
    )
    assert parse_yaml("a: " + "9" * MAX_INT_DIGITS, "t.yaml").data["a"] == int("9" * 30)


def test_long_values_and_files() -> None:
    assert refused("a: " + "x" * (MAX_SCALAR_CHARS + 1)) == (
        f"t.yaml:1:4: a: text is {MAX_SCALAR_CHARS + 1:,} characters long; "
        f"the limit is {MAX_SCALAR_CHARS:,}"
    )
    assert refused("#" * (MAX_FILE_BYTES + 1)).endswith(
        f"the file is larger than {MAX_FILE_BYTES:,} characters (the limit)"
    )


def test_a_big_file_on_disk_is_not_read_past_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"#" * (MAX_FILE_BYTES * 3))
    with pytest.raises(ScenarioError) as caught:
        read_yaml(big)
    assert str(caught.value) == (
        f"{big}:1:1: cannot read file: it is larger than {MAX_FILE_BYTES:,} bytes (the limit)"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('title: "\\e]0;pwned\\a"\n', "\\x1b"),
        ('title: "clear \\e[2J"\n', "\\x1b"),
        ('title: "back\\bspace"\n', "\\x08"),
        ('title: "C1 \\x9b31m"\n', "\\x9b"),
        ('title: "reversed \\u202e txt"\n', "\\u202e"),
        ('"\\e[2J": 1\n', "\\x1b"),
    ],
)
def test_control_characters_are_refused_in_text_and_keys(text: str, shown: str) -> None:
    """Text reaches terminals: an ESC (window title, clear screen) is refused where it is."""
    message = refused(text)
    assert f"the control character {shown} at character" in message
    assert "\x1b" not in message and "\x9b" not in message


def test_tabs_and_newlines_stay_allowed() -> None:
    assert parse_yaml('a: "one\\ttwo\\nthree"\n', "t.yaml").data == {"a": "one\ttwo\nthree"}


def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO would wait for a writer forever and /dev/zero never ends."""
    fifo = tmp_path / "actor.yaml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(loop)
    cases = {
        fifo: "it is a named pipe (FIFO), not a file",
        Path("/dev/zero"): "it is a device, not a file",
        tmp_path: "it is a folder, not a file",
        loop: "a loop of symbolic links",
        tmp_path / "missing.yaml": "no such file",
    }
    for path, reason in cases.items():
        started = time.perf_counter()
        with pytest.raises(ScenarioError) as caught:
            read_yaml(path)
        assert time.perf_counter() - started < 1
        assert str(caught.value) == f"{path}:1:1: cannot read file: {reason}"


def test_a_file_that_is_not_utf8_points_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(ScenarioError) as caught:
        read_yaml(path)
    assert str(caught.value) == f"{path}:2:7: cannot read file: not UTF-8 text (byte 0xe9)"


def test_options_limit_fits_the_results_dtype() -> None:
    """Results store an event's option as int16: the limit keeps every option representable."""
    assert np.iinfo(CHOICE_DTYPE).max >= MAX_OPTIONS
