"""Safe YAML reading that remembers where every value came from.

Only plain data is built: mappings, sequences, strings, numbers, booleans and null.
Any other tag (`!!python/object`, `!custom`) is refused, duplicate keys are refused,
and scalars resolve by YAML 1.2's core schema, so `NO` (Norway) stays a string and
`1:20` is not sixty-something. Every value's line and column is kept so that a
later validation error can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.errors import Problem, ScenarioError

__all__ = ["Document", "Location", "parse_yaml", "read_yaml"]

Loc = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _CoreLoader(yaml.SafeLoader):
    """A composer whose implicit types are YAML 1.2 core, not YAML 1.1."""


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


@dataclass(frozen=True)
class Location:
    """Where a value sits in its file (1-based), and how its scalar was written."""

    line: int
    col: int
    plain: bool = True  # a plain single-line scalar: expression columns can be added


@dataclass
class Document:
    """Plain data from one YAML file, with the location of every value and key."""

    file: str
    data: Any
    values: dict[Loc, Location] = field(default_factory=dict)
    keys: dict[Loc, Location] = field(default_factory=dict)

    def locate(self, loc: Loc, *, key: bool = False) -> Location:
        """The location of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while True:
            table = self.keys if key and loc in self.keys else self.values
            if loc in table:
                return table[loc]
            if not loc:
                return Location(1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False, offset: int = 0) -> Problem:
        """A Problem pointing at `loc`; `offset` moves right inside a plain scalar."""
        where = self.locate(loc, key=key)
        col = where.col + offset if where.plain else where.col
        return Problem(self.file, where.line, col, dotted(loc), message)


def dotted(loc: Loc) -> str:
    """`('events', 3, 'rule')` as `events.3.rule`."""
    return ".".join(str(part) for part in loc)


def _location(node: yaml.Node) -> Location:
    mark = node.start_mark
    plain = isinstance(node, yaml.ScalarNode) and node.style is None and "\n" not in node.value
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
    return Location(mark.line + 1, mark.column + 1 + (1 if quoted else 0), plain or quoted)


class _Builder:
    """Turns a composed node tree into plain data, collecting problems as it goes."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.depth = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.doc.values[loc] = _location(node)
        self.depth += 1
        try:
            if self.depth > 64:
                self.problems.append(self.doc.problem(loc, "nesting is deeper than 64 levels"))
                return None
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, loc)
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ:
                    return self._bad_tag(node, loc)
                return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            return self._scalar(node, loc)
        finally:
            self.depth -= 1

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> Any:
        if node.tag != _MAP:
            return self._bad_tag(node, loc)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                where = _location(key_node)
                self.problems.append(
                    Problem(
                        self.doc.file,
                        where.line,
                        where.col,
                        dotted(loc),
                        "keys must be plain names (merge keys and complex keys are not supported)",
                    )
                )
                continue
            key = str(key_node.value)
            where = _location(key_node)
            if key in out:
                first = self.doc.keys[(*loc, key)]
                self.problems.append(
                    Problem(
                        self.doc.file,
                        where.line,
                        where.col,
                        dotted((*loc, key)),
                        f"duplicate key {key!r} (first given at line {first.line})",
                    )
                )
                continue
            self.doc.keys[(*loc, key)] = where
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        text = node.value
        if node.tag == _STR:
            return text
        if node.tag == _NULL:
            return None
        if node.tag == _BOOL:
            return text.lower() == "true"
        if node.tag == _INT:
            return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
        if node.tag == _FLOAT:
            special = text.lower()
            return (
                float(special.replace(".", "", 1))
                if special.lstrip("+-") in (".inf", ".nan")
                else float(text)
            )
        return self._bad_tag(node, loc)

    def _bad_tag(self, node: yaml.Node, loc: Loc) -> None:
        self.problems.append(
            self.doc.problem(
                loc,
                f"tag {node.tag!r} is not allowed: scenario files hold plain "
                "data only (mappings, lists, strings, numbers, true/false, null)",
            )
        )
        return None


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML document from `text`; raise ScenarioError listing every problem."""
    doc = Document(file, None)
    try:
        nodes = list(yaml.compose_all(text, Loader=_CoreLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ScenarioError(
            [Problem(file, line, col, "", f"not valid YAML: {exc.problem}")]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(file, 1, 1, "", f"not valid YAML: {exc}")]) from None
    if len(nodes) != 1:
        got = "no document" if not nodes else f"{len(nodes)} documents"
        raise ScenarioError(
            [Problem(file, 1, 1, "", f"expected exactly one YAML document, got {got}")]
        )
    builder = _Builder(doc)
    doc.data = builder.build(nodes[0], ())
    if builder.problems:
        raise ScenarioError(builder.problems)
    return doc


def read_yaml(path: Path) -> Document:
    """Read and parse a YAML file; unreadable files become a Problem, not a traceback."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), 1, 1, "", f"cannot read file: {exc}")]) from None
    return parse_yaml(text, str(path))
