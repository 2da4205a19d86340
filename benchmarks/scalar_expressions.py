"""The scenario expression language on one game's values: Python floats, bools and labels.

The library's loader (`engine.scenario.load_scenario`) has already checked every
expression against the whitelist and the scenario's names, so this evaluator only gives
each accepted form its meaning. Each expression is parsed once with `ast` and turned into
a tree of small closures; nothing is passed to `eval`. A fact is its label (a string), so
``president == 'restraint'`` compares strings.

Where Python's arithmetic differs from numpy's on the engine's run axis, the engine's
meaning is kept: ``x / 0`` is 0; a power that numpy makes inf or nan is inf or nan here;
``clip(x, low, high)`` is ``min(max(low, x), high)``, numpy's order of comparison.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["Expr", "State", "compile_expression", "names_read"]

State = dict[str, Any]
"""A game's values by name: floats (and bools) for numbers, labels (str) for facts."""

Expr = Callable[[Mapping[str, Any]], Any]
"""A compiled expression: a number, a condition or a label, from a game's values."""


def compile_expression(source: str | float | int, labels: Iterable[str] = ()) -> Expr:
    """A function of a game's values; `labels` are the labels of the fact it sets, if any
    (an effect on a fact may be written as a bare label)."""
    text = source.strip() if isinstance(source, str) else str(source)
    if text in set(labels):
        return _constant(text)
    return _build(ast.parse(text, mode="eval").body)


def names_read(source: str | float | int) -> frozenset[str]:
    """Every name an expression reads (a bare label reads none)."""
    try:
        tree = ast.parse(str(source).strip(), mode="eval")
    except SyntaxError:
        return frozenset()
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))


def _constant(value: Any) -> Expr:
    return lambda env: value


def _divide(a: float, b: float) -> float:
    """The language's division: x / 0 is 0, never an error."""
    return a / b if b != 0 else 0.0


def _power(base: float, exponent: float) -> float:
    """numpy's power on floats: inf for 0 to a negative power or an overflow (Python
    raises), nan for a negative base to a fraction (Python gives a complex number)."""
    try:
        result = base**exponent
    except (ZeroDivisionError, OverflowError):
        return math.inf
    return result if isinstance(result, float) else math.nan


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


_ARITHMETIC: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: _divide,
    ast.Pow: _power,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FUNCTIONS: dict[str, Callable[..., float]] = {"min": min, "max": max, "abs": abs, "clip": _clip}


def _build(node: ast.AST) -> Expr:
    """The closure for one checked node."""
    if isinstance(node, ast.Constant):
        value = node.value
        return _constant(float(value) if type(value) in (int, float) else value)
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.UnaryOp):
        return _unary(node)
    if isinstance(node, ast.BinOp):
        left, right, op = _build(node.left), _build(node.right), _ARITHMETIC[type(node.op)]
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.BoolOp):
        parts = [_build(value) for value in node.values]
        test = all if isinstance(node.op, ast.And) else any
        return lambda env: test(part(env) for part in parts)
    if isinstance(node, ast.IfExp):
        cond, yes, no = _build(node.test), _build(node.body), _build(node.orelse)
        return lambda env: yes(env) if cond(env) else no(env)
    if isinstance(node, ast.Compare):
        return _compare(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        function = _FUNCTIONS[node.func.id]
        args = [_build(arg) for arg in node.args]
        return lambda env: function(*(arg(env) for arg in args))
    raise ValueError(f"not an expression the scenario language accepts: {ast.dump(node)}")


def _unary(node: ast.UnaryOp) -> Expr:
    inner = _build(node.operand)
    if isinstance(node.op, ast.Not):
        return lambda env: not inner(env)
    if isinstance(node.op, ast.USub):
        return lambda env: -inner(env)
    return inner


def _compare(node: ast.Compare) -> Expr:
    """A comparison, or a chain of them (``0 < x <= 10``): all must hold."""
    operands = [node.left, *node.comparators]
    tests = [_compare_pair(a, op, b) for a, op, b in zip(operands, node.ops, operands[1:])]
    if len(tests) == 1:
        return tests[0]
    return lambda env: all(test(env) for test in tests)


def _compare_pair(left_node: ast.AST, op: ast.cmpop, right_node: ast.AST) -> Expr:
    left = _build(left_node)
    if isinstance(op, ast.In | ast.NotIn):
        elements = right_node.elts if isinstance(right_node, ast.Tuple | ast.List) else []
        members = frozenset(e.value for e in elements if isinstance(e, ast.Constant))
        if isinstance(op, ast.In):
            return lambda env: left(env) in members
        return lambda env: left(env) not in members
    right, compare = _build(right_node), _COMPARE[type(op)]
    return lambda env: compare(left(env), right(env))
