"""The expression language: whitelisted, type-checked, compiled once to numpy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wargame.engine.errors import ExprError
from wargame.engine.expressions import BOOL, NUMBER, FactType, compile_expr

PRESIDENT = FactType("president", ("internationalist", "restraint"))
NAMES = {"unity": NUMBER, "spending": NUMBER, "salience": NUMBER, "president": PRESIDENT}
ENV = {
    "unity": np.array([30.0, 50.0, 70.0]),
    "spending": np.array([40.0, 55.0, 60.0]),
    "salience": 2.0,
    "president": np.array([1, 0, 1], dtype=np.int8),
}


def evaluate(source: str, expect=NUMBER) -> np.ndarray:
    return np.broadcast_to(compile_expr(source, NAMES, expect)(ENV), (3,))


def test_the_issue_examples_compile_and_evaluate() -> None:
    """Both examples from the design evaluate per run."""
    assert evaluate("unity < 40 and president == 'restraint'", BOOL).tolist() == [
        True,
        False,
        False,
    ]
    assert evaluate("spending + 5 * salience").tolist() == [50.0, 65.0, 70.0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("min(unity, spending)", [30.0, 50.0, 60.0]),
        ("max(unity, spending, 58)", [58.0, 58.0, 70.0]),
        ("clip(unity * 2, 0, 100)", [60.0, 100.0, 100.0]),
        ("abs(unity - spending)", [10.0, 5.0, 10.0]),
        ("-unity + 2 ** 3", [-22.0, -42.0, -62.0]),
        ("unity / 0", [0.0, 0.0, 0.0]),
        ("10 if president == 'restraint' else 0", [10.0, 0.0, 10.0]),
        ("(unity > 40) * 3", [0.0, 3.0, 3.0]),
    ],
)
def test_numbers(source: str, expected: list[float]) -> None:
    assert evaluate(source).tolist() == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("30 <= unity < 60", [True, True, False]),
        ("not (unity > 40) or spending == 60", [True, False, True]),
        ("president in ('restraint',)", [True, False, True]),
        ("president not in ['restraint']", [False, True, False]),
        ("president != 'internationalist'", [True, False, True]),
        ("'restraint' == president", [True, False, True]),
        ("True and unity > 0", [True, True, True]),
    ],
)
def test_conditions(source: str, expected: list[bool]) -> None:
    assert evaluate(source, BOOL).tolist() == expected


def test_fact_values_from_labels_and_branches() -> None:
    """A fact's new value is a bare label, or a conditional between labels."""
    assert compile_expr("restraint", NAMES, PRESIDENT)(ENV) == 1
    value = compile_expr("'restraint' if unity > 40 else 'internationalist'", NAMES, PRESIDENT)(ENV)
    assert value.tolist() == [0, 1, 1]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("unity.__class__", "attribute access ('.') is not allowed"),
        ("ENV['unity']", "subscripts ('[...]') are not allowed"),
        ("unity[0]", "subscripts ('[...]') are not allowed"),
        ("open('x')", "calls are limited to min, max, clip, abs (got 'open')"),
        ("__import__('os')", "calls are limited to"),
        ("__builtins__", "names starting with '__' are not allowed"),
        ("(lambda: 1)()", "calls are limited to"),
        ("lambda: 1", "lambdas are not allowed"),
        ("[x for x in unity]", "comprehensions are not allowed"),
        ("unty + 1", "unknown name (got 'unty'; expected one of 'president', 'salience'"),
        ("president + 1", "arithmetic needs numbers, but this is a fact 'president'"),
        ("president == 'restrain'", "'president' has no such label (got 'restrain'; expected"),
        ("unity > 'high'", "compare numbers only"),
        ("unity +", "not a valid expression"),
        ("min(unity)", "min() takes at least 2 arguments (got 1)"),
        ("clip(unity, lo=0, hi=1)", "clip() takes no keyword arguments"),
        ("unity is None", "'is' is not allowed"),
        ("f'{unity}'", "f-strings are not allowed"),
        ("(x := 1)", "assignment (':=') is not allowed"),
        ("unity // 2", "operator FloorDiv is not allowed"),
    ],
)
def test_refused(source: str, message: str) -> None:
    """Anything off the whitelist is refused with a message that says what and why."""
    with pytest.raises(ExprError) as caught:
        compile_expr(source, NAMES, NUMBER)
    assert message in str(caught.value)


def test_near_misses_get_a_did_you_mean() -> None:
    with pytest.raises(ExprError, match="did you mean 'unity'"):
        compile_expr("untiy > 3", NAMES, BOOL)
    with pytest.raises(ExprError, match="did you mean 'restraint'"):
        compile_expr("president == 'restrain'", NAMES, BOOL)


def test_the_kind_of_result_is_checked() -> None:
    """A condition must be true/false; a fact's new value must be one of its labels."""
    with pytest.raises(ExprError, match="should give a condition, but gives a number; compare it"):
        compile_expr("unity + 1", NAMES, BOOL)
    with pytest.raises(ExprError, match="write one of its labels"):
        compile_expr("unity", NAMES, PRESIDENT)


def test_error_offsets_point_inside_the_expression() -> None:
    with pytest.raises(ExprError) as caught:
        compile_expr("unity + spendng", NAMES, NUMBER)
    assert caught.value.offset == 8


@given(a=st.floats(-1e6, 1e6), b=st.floats(-1e6, 1e6), c=st.floats(0.5, 100))
def test_arithmetic_matches_python(a: float, b: float, c: float) -> None:
    """Compiled arithmetic gives what Python gives for the same numbers."""
    names = {"a": NUMBER, "b": NUMBER, "c": NUMBER}
    fn = compile_expr(
        "clip(a * c - b / c, -50, 50) + max(a, b) - min(a, -b) + abs(a)", names, NUMBER
    )
    expected = min(max(a * c - b / c, -50), 50) + max(a, b) - min(a, -b) + abs(a)
    assert float(fn({"a": a, "b": b, "c": c})) == pytest.approx(expected, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("(spending - 50) ** 0.5", "'**' needs a whole number from 0 to 8 written as a number"),
        ("unity ** spending", "'**' needs a whole number from 0 to 8"),
        ("unity ** -1", "'**' needs a whole number from 0 to 8"),
        ("10 ** 400", "'**' needs a whole number from 0 to 8"),
        ("1e999 - 1e999", "numbers must be finite (got inf)"),
        ("unity * 1e13", "number 10000000000000.0 is larger than 1e+12 (the limit)"),
        ("9" * 40, "is larger than 1e+12 (the limit)"),
        ("9" * 5000, "the expression is 5,000 characters long; the limit is 2,000"),
        ("+".join(["unity"] * 60), "nested deeper than 50 levels (the limit)"),
        ("not " * 60 + "unity > 1", "nested deeper than 50 levels (the limit)"),
        ("-" * 60 + "unity", "nested deeper than 50 levels (the limit)"),
        ("-" * 1990 + "unity", "nested deeper than 50 levels (the limit)"),
        ("abs(" * 60 + "unity" + ")" * 60, "nested deeper than 50 levels (the limit)"),
    ],
    ids=lambda value: value[:24],
)
def test_bounded_and_finite_by_construction(source: str, message: str) -> None:
    """What could give NaN, infinity or a RecursionError is refused when the file is read."""
    kind = BOOL if source.startswith("not") else NUMBER
    with pytest.raises(ExprError) as caught:
        compile_expr(source, NAMES, kind)
    assert message in str(caught.value)


def test_whole_powers_still_work() -> None:
    assert evaluate("(unity - 50) ** 2").tolist() == [400.0, 0.0, 400.0]
    assert evaluate("unity ** 0").tolist() == [1.0, 1.0, 1.0]


def test_arithmetic_saturates_instead_of_overflowing() -> None:
    """Huge (finite) inputs overflow nothing: every result is clipped to ±MAX_VALUE, so
    `x * x - x * x` is 0 where numpy alone gives inf - inf = NaN, and no warning is raised."""
    from wargame.engine.limits import MAX_VALUE

    names = {"x": NUMBER, "y": NUMBER}
    env = {"x": np.array([1e300, -1e300, 5.0]), "y": np.array([1e-300, 0.0, -1e-300])}
    cases = {
        "x * x - x * x": [0.0, 0.0, 0.0],
        "x / y": [MAX_VALUE, 0.0, -MAX_VALUE],
        "x": [MAX_VALUE, -MAX_VALUE, 5.0],
        "x ** 8 + x ** 8": [MAX_VALUE, MAX_VALUE, 2 * 5.0**8],
        "-x * 1e12 * 1e12": [-MAX_VALUE, MAX_VALUE, -MAX_VALUE],
    }
    for source, expected in cases.items():
        assert np.broadcast_to(compile_expr(source, names, NUMBER)(env), (3,)).tolist() == expected


_LEAF = st.sampled_from(["x", "y", "0", "1", "0.5", "1e12", "100"])


def _expression(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _LEAF
    inner = _expression(depth - 1)
    return st.one_of(
        _LEAF,
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(inner, st.integers(0, 8)).map(lambda t: f"({t[0]}) ** {t[1]}"),
        inner.map(lambda e: f"-({e})"),
        st.tuples(inner, inner).map(lambda t: f"min({t[0]}, {t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} > {t[2]} else {t[0]})"),
    )


_FINITE = st.floats(allow_nan=False, allow_infinity=False)


@given(source=_expression(4), x=_FINITE, y=_FINITE)
def test_no_expression_gives_nan_or_infinity(source: str, x: float, y: float) -> None:
    """Property: for any finite inputs, however large, any accepted expression is finite."""
    fn = compile_expr(source, {"x": NUMBER, "y": NUMBER}, NUMBER)
    value = np.asarray(fn({"x": np.array([x, -x, 0.0]), "y": np.array([y, y, -y])}))
    assert np.isfinite(value).all(), (source, x, y, value)
