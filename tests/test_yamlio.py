"""Safe YAML: plain data only, YAML 1.2 scalars, duplicate keys refused, positions kept."""

from __future__ import annotations

import pytest

from wargame.engine.errors import ScenarioError
from wargame.engine.yamlio import parse_yaml


def test_yaml_11_traps_stay_strings() -> None:
    """`NO` (Norway), yes/on/off and sexagesimal-looking values stay strings."""
    doc = parse_yaml(
        "a: NO\nb: yes\nc: off\nd: 1:20\ne: true\nf: 0x10\ng: 1e3\nh: ~\ni: .inf\n", "t.yaml"
    )
    assert doc.data == {
        "a": "NO",
        "b": "yes",
        "c": "off",
        "d": "1:20",
        "e": True,
        "f": 16,
        "g": 1000.0,
        "h": None,
        "i": float("inf"),
    }


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    """A repeated key is an error pointing at the repeat and naming the first line."""
    with pytest.raises(ScenarioError) as caught:
        parse_yaml("x:\n  a: 1\n  b: 2\n  a: 3\n", "dup.yaml")
    assert str(caught.value) == "dup.yaml:4:3: x.a: duplicate key 'a' (first given at line 2)"


def test_python_tags_are_refused_without_being_constructed() -> None:
    """`!!python/object/apply` never runs: it is reported at its line and column."""
    text = "title: ok\nevil: !!python/object/apply:os.system ['echo hacked']\n"
    with pytest.raises(ScenarioError) as caught:
        parse_yaml(text, "evil.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.col, problem.where) == (2, 7, "evil")
    assert "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in problem.message


def test_custom_tags_on_mappings_are_refused() -> None:
    with pytest.raises(ScenarioError, match=r"t.yaml:1:4: a: tag '!thing' is not allowed"):
        parse_yaml("a: !thing {b: 1}\n", "t.yaml")


def test_syntax_errors_point_at_the_problem() -> None:
    with pytest.raises(ScenarioError, match=r"^bad.yaml:2:\d+: not valid YAML"):
        parse_yaml("a: [1, 2\nb: 3\n", "bad.yaml")


def test_one_document_only() -> None:
    with pytest.raises(ScenarioError, match="expected exactly one YAML document, got 2 documents"):
        parse_yaml("a: 1\n---\nb: 2\n", "two.yaml")


def test_positions_of_values_and_keys() -> None:
    """Values and keys keep their 1-based line and column; quoted scalars start inside the quote."""
    doc = parse_yaml("events:\n  - id: x\n    condition: 'a < b'\n", "p.yaml")
    assert doc.locate(("events", 0, "id")).line == 2
    where = doc.locate(("events", 0, "condition"))
    assert (where.line, where.col) == (3, 17)
    assert doc.locate(("events", 0, "condition"), key=True).col == 5
    assert doc.locate(("events", 0, "missing", "deeper")).line == 2
