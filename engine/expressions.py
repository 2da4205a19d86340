"""The scenario expression language: parsed by `ast`, checked, compiled once to numpy.

A scenario's conditions, probabilities, effects and derived outcomes are small
expressions such as ``unity < 40 and president == "restraint"`` or
``clip(spending + 5 * shock_size, 0, 100)``. They are parsed with Python's `ast`
and accepted only if every node is on a short whitelist: names of state fields and
parameters, numbers, strings (compared with facts), arithmetic, comparisons, boolean
operators, ``a if cond else b`` and the functions min, max, clip and abs. Attribute
access, subscripts, other calls, lambdas, comprehensions and dunder names are
refused. What is accepted becomes a tree of closures over numpy operations on the
run axis: no `eval`, no `exec`, nothing from the file is ever executed.

Bounded work: an expression's text is at most `MAX_EXPR_CHARS` long and its syntax
tree at most `MAX_EXPR_DEPTH` deep (long operator chains, `not not not ...`), so
neither compiling nor evaluating it can exhaust the stack.

Never NaN, never infinity. Every numeric value an expression gives is a finite float,
by three rules:
- literals are finite and at most `MAX_LITERAL` in size (`1e999`, a 5,000-digit integer
  are refused when the file is read);
- arithmetic saturates: the result of every `+ - * / **` and of the whole expression is
  clipped to [-MAX_VALUE, MAX_VALUE], so nothing overflows to infinity and `inf - inf`
  cannot happen; `x / 0` is 0;
- `x ** n` takes a whole-number literal n from 0 to `MAX_EXPONENT`, so no root of a
  negative number (`(x - 50) ** 0.5`) is ever taken.
With finite inputs (scenario files and `--set` refuse NaN and infinity) every operation
maps finite numbers to finite numbers.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.engine.errors import ExprError, expected_one_of, short_repr
from wargame.engine.limits import (
    MAX_EXPONENT,
    MAX_EXPR_CHARS,
    MAX_EXPR_DEPTH,
    MAX_LITERAL,
    MAX_VALUE,
)

__all__ = ["BOOL", "NUMBER", "Compiled", "FactType", "compile_expr"]

Env = Mapping[str, np.ndarray | float | int]
# what an expression gives: an array over the runs, or one number, truth value or fact code
# for every run (numpy broadcasts either way)
Value = Any
Fn = Callable[[Env], Value]


@dataclass(frozen=True)
class _Kind:
    name: str

    def __str__(self) -> str:
        return self.name


NUMBER = _Kind("number")
BOOL = _Kind("condition")


@dataclass(frozen=True)
class FactType:
    """A fact: a small integer code per run, shown by its labels."""

    name: str
    labels: tuple[str, ...]

    def __str__(self) -> str:
        return f"fact {self.name!r}"

    def code(self, label: str) -> int:
        return self.labels.index(label)


@dataclass(frozen=True)
class _Label:
    """A string literal, meaningful only next to a fact."""

    text: str

    def __str__(self) -> str:
        return f"text {self.text!r}"


ExprType = _Kind | FactType | _Label


@dataclass(frozen=True)
class Compiled:
    """A checked expression: call it with the state's fields to get one value per run."""

    source: str
    type: ExprType
    names: frozenset[str]
    fn: Fn
    bounded: bool = False  # `fn` returns a new value already bounded (an arithmetic result)

    def __call__(self, env: Env) -> Value:
        with np.errstate(all="ignore"):  # an overflow saturates below: no warning to show
            value = self.fn(env)
        return _bounded(value) if self.type is NUMBER and not self.bounded else value


def _bounded(value: Any) -> Any:
    """Saturating arithmetic: a result clipped to [-MAX_VALUE, MAX_VALUE] (infinities too)."""
    return np.clip(value, -MAX_VALUE, MAX_VALUE)


def _bounded_new(value: Any) -> Any:
    """`_bounded` of a value nothing else holds (an operation's fresh result): a float array
    is clipped in place, sparing a new array per operation."""
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        # one pass (np.maximum then np.minimum with a scalar took four times as long)
        return value.clip(-MAX_VALUE, MAX_VALUE, out=value)
    return _bounded(value)


_FUNCTIONS = {"min": (2, None), "max": (2, None), "clip": (3, 3), "abs": (1, 1)}
_ARITH: dict[type, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Pow: np.power,
}
_ORDER: dict[type, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}
_REFUSED = {
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "subscripts ('[...]') are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.NamedExpr: "assignment (':=') is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
}


def _fold(parts: list[Fn], combine: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Fn:
    """One function applying `combine` left to right over the parts' values."""

    def fn(env: Env) -> Value:
        result = parts[0](env)
        for part in parts[1:]:
            result = combine(result, part(env))
        return result

    return fn


def _divide(a: Value, b: Value) -> Value:
    """Division where x / 0 is 0: a scenario never produces NaN or a warning."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    return _bounded_new(np.divide(a, b, out=np.zeros(a.shape), where=b != 0))


def _depth(tree: ast.AST) -> tuple[int, ast.AST]:
    """The depth of a syntax tree and its deepest node, walked without recursion."""
    deepest, node_at = 0, tree
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest, node_at = depth, node
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest, node_at


def compile_expr(source: str, names: Mapping[str, ExprType], expect: ExprType) -> Compiled:
    """Parse, check and compile `source`; `names` maps each usable name to its type."""
    text = source.strip() if isinstance(source, str) else source
    if isinstance(source, bool) or not isinstance(source, str | int | float):
        raise ExprError(f"expected an expression written as text or a number, got {source!r}")
    if isinstance(expect, FactType) and isinstance(text, str) and text in expect.labels:
        code = expect.code(text)
        return Compiled(text, expect, frozenset(), lambda env: np.int8(code))
    if isinstance(text, str) and len(text) > MAX_EXPR_CHARS:
        raise ExprError(
            f"the expression is {len(text):,} characters long; the limit is {MAX_EXPR_CHARS:,}"
        )
    try:
        tree = ast.parse(str(text), mode="eval")
    except SyntaxError as exc:
        raise ExprError(
            f"not a valid expression: {exc.msg}", max((exc.offset or 1) - 1, 0)
        ) from None
    except (RecursionError, MemoryError):
        raise ExprError(f"nested deeper than {MAX_EXPR_DEPTH} levels (the limit)") from None
    depth, deepest = _depth(tree.body)
    if depth > MAX_EXPR_DEPTH:
        raise ExprError(
            f"nested deeper than {MAX_EXPR_DEPTH} levels (the limit): split it into "
            "outcomes or simplify it",
            getattr(deepest, "col_offset", 0),
        )
    checker = _Compiler(names, expect)
    fn, kind = checker.compile(tree.body)
    if not _fits(kind, expect):
        hint = ""
        if expect is BOOL and kind is NUMBER:
            hint = "; compare it, e.g. 'x > 50'"
        if isinstance(expect, FactType):
            hint = f"; write one of its labels {', '.join(map(repr, expect.labels))}"
        raise ExprError(f"this should give a {expect}, but gives a {kind}{hint}")
    if isinstance(kind, _Label):
        code = expect.code(kind.text)  # type: ignore[union-attr]
        return Compiled(str(text), expect, frozenset(checker.used), lambda env: np.int8(code))
    body = tree.body
    arithmetic = isinstance(body, ast.BinOp) or (
        isinstance(body, ast.UnaryOp) and isinstance(body.op, ast.USub)
    )
    return Compiled(str(text), expect, frozenset(checker.used), fn, bounded=arithmetic)


def _fits(kind: ExprType, expect: ExprType) -> bool:
    if isinstance(expect, FactType):
        return kind == expect or (isinstance(kind, _Label) and kind.text in expect.labels)
    if expect is NUMBER:
        return kind in (NUMBER, BOOL)
    return kind == expect


class _Compiler:
    """Walks a parsed expression, checks each node, and returns (closure, type)."""

    def __init__(self, names: Mapping[str, ExprType], expect: ExprType) -> None:
        self.names = names
        self.expect = expect
        self.used: set[str] = set()

    def fail(self, node: ast.AST, message: str) -> ExprError:
        return ExprError(message, getattr(node, "col_offset", 0))

    def compile(self, node: ast.AST) -> tuple[Fn, ExprType]:
        for refused, message in _REFUSED.items():
            if isinstance(node, refused):
                return self._refuse(node, message)
        method: Callable[[ast.AST], tuple[Fn, ExprType]] | None = getattr(
            self, f"_{type(node).__name__}", None
        )
        if method is None:
            raise self.fail(node, f"{type(node).__name__} is not allowed in an expression")
        return method(node)

    def _refuse(self, node: ast.AST, message: str) -> tuple[Fn, ExprType]:
        raise self.fail(node, message)

    def number(self, node: ast.AST) -> Fn:
        fn, kind = self.compile(node)
        if kind is not NUMBER and kind is not BOOL:
            raise self.fail(node, f"arithmetic needs numbers, but this is a {kind}")
        return fn

    def condition(self, node: ast.AST) -> Fn:
        fn, kind = self.compile(node)
        if kind is not BOOL:
            raise self.fail(node, f"expected a condition (true/false), but this is a {kind}")
        return fn

    def _Constant(self, node: ast.Constant) -> tuple[Fn, ExprType]:
        value = node.value
        if isinstance(value, bool):
            return (lambda env: np.bool_(value)), BOOL
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                raise self.fail(node, f"numbers must be finite (got {value!r})")
            if abs(value) > MAX_LITERAL:
                raise self.fail(
                    node, f"number {short_repr(value)} is larger than {MAX_LITERAL:g} (the limit)"
                )
            as_float = float(value)
            return (lambda env: as_float), NUMBER
        if isinstance(value, str):
            return (lambda env: value), _Label(value)
        raise self.fail(
            node, f"constants must be numbers, text, True or False (got {short_repr(value)})"
        )

    def _Name(self, node: ast.Name) -> tuple[Fn, ExprType]:
        name = node.id
        if name.startswith("__"):
            raise self.fail(node, f"names starting with '__' are not allowed (got {name!r})")
        if name in ("True", "False"):
            value = np.bool_(name == "True")
            return (lambda env: value), BOOL
        if name not in self.names:
            if name in _FUNCTIONS:
                raise self.fail(node, f"{name!r} is a function: call it, e.g. {name}(a, b)")
            raise self.fail(node, f"unknown name {expected_one_of(name, self.names)}")
        self.used.add(name)
        return (lambda env: env[name]), self.names[name]

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[Fn, ExprType]:
        if isinstance(node.op, ast.Not):
            inner = self.condition(node.operand)
            return (lambda env: np.logical_not(inner(env))), BOOL
        if isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.number(node.operand)
            if isinstance(node.op, ast.UAdd):
                return inner, NUMBER
            return (lambda env: _bounded_new(np.negative(inner(env)))), NUMBER
        raise self.fail(node, "'~' is not allowed")

    def _BinOp(self, node: ast.BinOp) -> tuple[Fn, ExprType]:
        left, right = self.number(node.left), self.number(node.right)
        if isinstance(node.op, ast.Pow):
            self._exponent(node.right)
        if isinstance(node.op, ast.Div):
            return (lambda env: _divide(left(env), right(env))), NUMBER
        op = _ARITH.get(type(node.op))
        if op is None:
            allowed = "+, -, *, / and **"
            raise self.fail(
                node, f"operator {type(node.op).__name__} is not allowed (use {allowed})"
            )
        return (lambda env: _bounded_new(op(left(env), right(env)))), NUMBER

    def _exponent(self, node: ast.AST) -> None:
        """`**` takes a whole-number literal exponent: never a root of a negative number."""
        value = node.value if isinstance(node, ast.Constant) else None
        whole = isinstance(value, int | float) and not isinstance(value, bool)
        if not (
            whole
            and isinstance(value, int | float)
            and float(value).is_integer()
            and 0 <= value <= MAX_EXPONENT
        ):
            shown = ast.unparse(node)
            raise self.fail(
                node,
                f"'**' needs a whole number from 0 to {MAX_EXPONENT} written as a number "
                f"(got {short_repr(shown)}): roots and variable powers could give NaN",
            )

    def _BoolOp(self, node: ast.BoolOp) -> tuple[Fn, ExprType]:
        parts = [self.condition(value) for value in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        return _fold(parts, combine), BOOL

    def _IfExp(self, node: ast.IfExp) -> tuple[Fn, ExprType]:
        test = self.condition(node.test)
        yes, yes_kind = self._branch(node.body)
        no, no_kind = self._branch(node.orelse)
        if yes_kind != no_kind:
            raise self.fail(
                node, f"both branches must give the same kind (got {yes_kind} and {no_kind})"
            )
        return (lambda env: np.where(test(env), yes(env), no(env))), yes_kind

    def _branch(self, node: ast.AST) -> tuple[Fn, ExprType]:
        fn, kind = self.compile(node)
        if isinstance(kind, _Label):
            if not isinstance(self.expect, FactType):
                raise self.fail(node, f"text {kind.text!r} can only be compared with a fact")
            code = self._code(node, self.expect, kind.text)
            return (lambda env: np.int8(code)), self.expect
        return fn, kind

    def _code(self, node: ast.AST, fact: FactType, label: str) -> int:
        if label not in fact.labels:
            raise self.fail(
                node, f"{fact.name!r} has no such label {expected_one_of(label, fact.labels)}"
            )
        return fact.code(label)

    def _Compare(self, node: ast.Compare) -> tuple[Fn, ExprType]:
        operands = [node.left, *node.comparators]
        tests = [self._compare_pair(a, op, b) for a, op, b in zip(operands, node.ops, operands[1:])]
        return _fold(tests, np.logical_and), BOOL

    def _compare_pair(self, left_node: ast.AST, op: ast.cmpop, right_node: ast.AST) -> Fn:
        if isinstance(op, ast.In | ast.NotIn):
            return self._membership(left_node, op, right_node)
        if isinstance(op, ast.Is | ast.IsNot):
            raise self.fail(left_node, "'is' is not allowed: use '==' or '!='")
        left, left_kind = self.compile(left_node)
        right, right_kind = self.compile(right_node)
        if type(op) in _ORDER:
            if left_kind is not NUMBER or right_kind is not NUMBER:
                bad = left_node if left_kind is not NUMBER else right_node
                raise self.fail(bad, "'<', '<=', '>' and '>=' compare numbers only")
            order = _ORDER[type(op)]
            return lambda env: order(left(env), right(env))
        equal = np.equal if isinstance(op, ast.Eq) else np.not_equal
        fact = left_kind if isinstance(left_kind, FactType) else right_kind
        label = right_kind if isinstance(right_kind, _Label) else left_kind
        if isinstance(fact, FactType) and isinstance(label, _Label):
            code = self._code(right_node if label is right_kind else left_node, fact, label.text)
            fact_fn = left if fact is left_kind else right
            return lambda env: equal(fact_fn(env), code)
        if left_kind == right_kind and not isinstance(left_kind, _Label):
            return lambda env: equal(left(env), right(env))
        raise self.fail(left_node, f"cannot compare a {left_kind} with a {right_kind}")

    def _membership(self, left_node: ast.AST, op: ast.cmpop, right_node: ast.AST) -> Fn:
        left, kind = self.compile(left_node)
        if not isinstance(kind, FactType) or not isinstance(right_node, ast.Tuple | ast.List):
            raise self.fail(
                left_node,
                "'in' is only for a fact and a list of its labels, "
                "e.g. president in ('restraint', 'internationalist')",
            )
        codes = []
        for element in right_node.elts:
            if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
                raise self.fail(element, "the list after 'in' must hold labels written as text")
            codes.append(self._code(element, kind, element.value))
        members = np.array(codes, dtype=np.int8)
        invert = isinstance(op, ast.NotIn)
        return lambda env: np.isin(left(env), members, invert=invert)

    def _Call(self, node: ast.Call) -> tuple[Fn, ExprType]:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            shown = short_repr(ast.unparse(node.func))
            raise self.fail(node, f"calls are limited to {', '.join(_FUNCTIONS)} (got {shown})")
        name = node.func.id
        if node.keywords:
            raise self.fail(node, f"{name}() takes no keyword arguments")
        low, high = _FUNCTIONS[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            wanted = f"{low}" if low == high else f"at least {low}"
            raise self.fail(node, f"{name}() takes {wanted} arguments (got {count})")
        args = [self.number(arg) for arg in node.args]
        if name == "abs":
            return (lambda env: np.abs(args[0](env))), NUMBER
        if name == "clip":
            return (lambda env: np.clip(args[0](env), args[1](env), args[2](env))), NUMBER
        return _fold(args, np.minimum if name == "min" else np.maximum), NUMBER
