"""Safe YAML: plain data only, YAML 1.2 scalars, duplicate keys refused, positions kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import yamlio
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


def _every_yaml_file() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return sorted(
        p
        for folder in ("scenarios", "actors", "tests/data", "docs")
        for p in (root / folder).rglob("*.yaml")
        if p.name not in ("billion-laughs.yaml", "alias-cycle.yaml")  # refused while building
    )


@pytest.mark.skipif(len(yamlio._LOADERS) < 2, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", _every_yaml_file(), ids=lambda p: p.name)
def test_libyaml_reads_every_file_as_the_python_loader_does(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast loader gives the same data and the same positions as PyYAML's own, or
    leaves the file to it (whose message is then the one reported)."""
    text = path.read_bytes().decode("utf-8", errors="replace")

    def parsed() -> object:
        try:
            doc = parse_yaml(text, "f.yaml")
        except ScenarioError as exc:
            return [str(p) for p in exc.problems]
        return doc.data, doc.values, doc.keys

    fast = parsed()
    monkeypatch.setattr(yamlio, "_LOADERS", yamlio._LOADERS[-1:])
    assert repr(fast) == repr(parsed())  # repr: .nan is not equal to itself
