"""Safe YAML reading that remembers where every value came from.

Only plain data is built: mappings, sequences, strings, numbers, booleans and null.
Any other tag (`!!python/object`, `!custom`) is refused, duplicate keys are refused,
and scalars resolve by YAML 1.2's core schema, so `NO` (Norway) stays a string and
`1:20` is not sixty-something. Every value's line and column is kept so that a
later validation error can point at it.

The work is bounded whatever the file holds (see `engine.limits`): the file's size,
its nesting (checked while scanning, before PyYAML's recursive composer and its
quadratic handling of deep flow collections), the number of values counting every
use of an alias (billion laughs), an alias that contains itself, a value's length and
an integer's digits. Text may not hold control characters (see `engine.text`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wargame.engine.errors import FileRefused, Problem, ScenarioError
from wargame.engine.files import read_limited
from wargame.engine.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_INT_DIGITS,
    MAX_NODES,
    MAX_SCALAR_CHARS,
)
from wargame.engine.text import first_control

__all__ = ["Document", "Location", "parse_yaml", "read_yaml"]

Loc = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _TooMuch(yaml.MarkedYAMLError):
    """A limit of `engine.limits` was crossed while scanning or composing."""


class _BoundedComposer(yaml.composer.Composer):
    """A composer whose number of nodes and nesting are bounded as it goes."""

    composed = 0
    composing = 0

    def _too_much(self, what: str) -> _TooMuch:
        mark = self.get_mark() if isinstance(self, yaml.reader.Reader) else None
        return _TooMuch(problem=what, problem_mark=mark)

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise self._too_much(f"more than {MAX_NODES:,} values (the limit)")
        self.composing += 1
        try:
            if self.composing > MAX_DEPTH:
                raise self._too_much(f"nested deeper than {MAX_DEPTH} levels (the limit)")
            return super().compose_node(parent, index)
        finally:
            self.composing -= 1


class _CoreLoader(_BoundedComposer, yaml.SafeLoader):
    """PyYAML's own scanner and parser, in Python, with implicit types of YAML 1.2 core
    (not YAML 1.1) and nesting bounded while scanning, before the recursive composer and
    its quadratic handling of deep flow collections. Its messages name what is wrong."""

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        if self.flow_level + len(self.indents) >= MAX_DEPTH:
            raise self._too_much(f"nested deeper than {MAX_DEPTH} levels (the limit)")
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        if self.flow_level + len(self.indents) >= MAX_DEPTH and self.indent < column:
            raise self._too_much(f"nested deeper than {MAX_DEPTH} levels (the limit)")
        return bool(super().add_indent(column))


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

_LOADERS: list[type[yaml.SafeLoader] | type[yaml.CSafeLoader]] = [_CoreLoader]
if yaml.__with_libyaml__:  # libyaml's scanner and parser in C: ten times faster

    class _FastLoader(_BoundedComposer, yaml.CSafeLoader):
        """The same composer and types over libyaml's events. A file it refuses, for any
        reason, is read again by _CoreLoader, whose message is the one reported."""

        def __init__(self, stream: str) -> None:
            yaml.CSafeLoader.__init__(self, stream)
            yaml.composer.Composer.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _CoreLoader.yaml_implicit_resolvers
    _LOADERS.insert(0, _FastLoader)


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
    raw: bytes = b""  # the bytes that were parsed (what a scenario's digest is made of)

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
    plain = isinstance(node, yaml.ScalarNode) and not node.style and "\n" not in node.value
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
    return Location(mark.line + 1, mark.column + 1 + (1 if quoted else 0), plain or quoted)


class _Expanded(Exception):
    """Aliases expand past MAX_NODES values: building stops at once."""


class _Builder:
    """Turns a composed node tree into plain data, collecting problems as it goes."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.depth = 0
        self.built = 0
        self.open: set[int] = set()  # nodes being built: an alias to one of them is a cycle

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.doc.values[loc] = _location(node)
        self.built += 1
        if self.built > MAX_NODES:
            self.problems.append(
                self.doc.problem(
                    loc, f"aliases expand to more than {MAX_NODES:,} values (the limit)"
                )
            )
            raise _Expanded
        if id(node) in self.open:
            self.problems.append(
                self.doc.problem(loc, "an alias refers to a value that contains it (a cycle)")
            )
            return None
        self.depth += 1
        self.open.add(id(node))
        try:
            if self.depth > MAX_DEPTH:
                self.problems.append(
                    self.doc.problem(loc, f"nested deeper than {MAX_DEPTH} levels (the limit)")
                )
                return None
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, loc)
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ:
                    return self._bad_tag(node, loc)
                return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.ScalarNode):
                return self._scalar(node, loc)
            return self._bad_tag(node, loc)
        finally:
            self.depth -= 1
            self.open.discard(id(node))

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
            unreadable = self._unreadable(key)
            if unreadable:
                self.problems.append(
                    Problem(self.doc.file, where.line, where.col, dotted(loc), f"key {unreadable}")
                )
                continue
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

    def _unreadable(self, text: str) -> str | None:
        """Why a string cannot be taken (too long, a control character), or None."""
        if len(text) > MAX_SCALAR_CHARS:
            return f"is {len(text):,} characters long; the limit is {MAX_SCALAR_CHARS:,}"
        control = first_control(text)
        if control is not None:
            position, shown = control
            return (
                f"holds the control character {shown} at character {position + 1}: "
                "text may not hold control characters (they would reach a terminal)"
            )
        return None

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        text = node.value
        if node.tag == _STR:
            unreadable = self._unreadable(text)
            if unreadable:
                self.problems.append(self.doc.problem(loc, f"text {unreadable}"))
                return None
            return text
        if node.tag == _NULL:
            return None
        if node.tag == _BOOL:
            return text.lower() == "true"
        if node.tag == _INT:
            digits = len(text.lstrip("+-").removeprefix("0x").removeprefix("0o").lstrip("0"))
            if digits > MAX_INT_DIGITS:
                self.problems.append(
                    self.doc.problem(
                        loc,
                        f"an integer of {digits:,} digits is too long "
                        f"(the limit is {MAX_INT_DIGITS})",
                    )
                )
                return None
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


def _compose(text: str) -> list[yaml.Node]:
    """The documents' node trees, from the fastest loader that takes the text."""
    for loader in _LOADERS[:-1]:
        with contextlib.suppress(yaml.YAMLError):
            return list(yaml.compose_all(text, Loader=loader))
    return list(yaml.compose_all(text, Loader=_LOADERS[-1]))


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML document from `text`; raise ScenarioError listing every problem."""
    doc = Document(file, None)
    if len(text) > MAX_FILE_BYTES:
        message = f"the file is larger than {MAX_FILE_BYTES:,} characters (the limit)"
        raise ScenarioError([Problem(file, 1, 1, "", message)])
    try:
        nodes = _compose(text)
    except _TooMuch as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ScenarioError([Problem(file, line, col, "", str(exc.problem))]) from None
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
    with contextlib.suppress(_Expanded):  # reported; what was built is not worth checking
        doc.data = builder.build(nodes[0], ())
    if builder.problems:
        raise ScenarioError(builder.problems)
    return doc


def read_yaml(path: Path) -> Document:
    """Read and parse a YAML file; unreadable files become a Problem, not a traceback."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
        text = raw.decode("utf-8")
    except FileRefused as exc:
        raise ScenarioError([Problem(str(path), 1, 1, "", f"cannot read file: {exc}")]) from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"cannot read file: not UTF-8 text (byte {raw[exc.start]:#04x})"
        raise ScenarioError([Problem(str(path), line, col, "", message)]) from None
    doc = parse_yaml(text, str(path))
    doc.raw = raw
    return doc
