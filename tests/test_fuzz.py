"""Fuzzing that keeps it so: mutated scenario files, mutated saves and generated argument
vectors, each given to `wargame` as a user would. The property, for every input: the
command ends within its time limit with exit status 0, 1 or 2, shows no traceback, no
internal error and no raw control character; and a batch that runs gives finite results
for every run, which replay then tells.

A short, derandomised profile runs with the suite; `WARGAME_FUZZ=long` runs many more
random examples (`-s` shows how many inputs were tried, and of which kind):

    WARGAME_FUZZ=long pytest tests/test_fuzz.py -s
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_harness import Outcome, run_main
from tests.conftest import DATA, EVERY_RULE
from tests.games import answer_first
from wargame.engine.game import Game, GameSetup
from wargame.engine.yamlio import read_yaml

LONG = os.environ.get("WARGAME_FUZZ") == "long"
TRIED: Counter[str] = Counter()


def profile(short: int, long: int) -> Any:
    """The short profile is derandomised, so the suite gives the same answer every time."""
    return settings(
        max_examples=long if LONG else short,
        deadline=None,
        derandomize=not LONG,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def check(outcome: Outcome, label: str) -> None:
    TRIED[label] += 1
    assert not outcome.problems(), (outcome.problems(), outcome.err[-3000:])


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    print(f"\nfuzzing: {sum(TRIED.values())} inputs tried: {dict(TRIED)}")


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """A folder with the every-rule scenario's actors, results of a small batch and a save."""
    with tempfile.TemporaryDirectory(prefix="wargame-fuzz-") as name:
        folder = Path(name)
        shutil.copytree(DATA / "actors", folder / "actors")
        (folder / "a-file.txt").write_text("not a folder\n")
        os.mkfifo(folder / "fifo")
        results = folder / "results.parquet"
        outcome = run_main(["run", str(EVERY_RULE), "--runs", "40", "--out", str(results)])
        assert outcome.code == 0, outcome.err
        yield folder


# -- scenario files ---------------------------------------------------------------------------

BASE = read_yaml(EVERY_RULE).data  # YAML 1.2, as wargame reads it (`NO` stays text)

NAMES = st.sampled_from(
    [
        "commitment",
        "spending",
        "access",
        "president",
        "accession",
        "p_restraint",
        "shock_size",
        "unity",
        "credibility",
        "turn",
        "run",
        "score_hawk",
        "input_x",
        "seats_hawks",
        "event_budget",
        "lambda",
        "__import__",
        "",
        "Spending",
        "x" * 60,
    ]
)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.5, 1.5, 100, 101, 1e12, 1e13, 10**30, -(10**30), 2**63]),
    st.integers(),
)
TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "\x1b]0;retitled\x07",
            "[bold red]x[/bold red]",
            "[@click=app.quit]x[/]",
            "\u202eevil",
            "x" * 25_000,
        ]
    ),
)
EXPRESSIONS = st.one_of(
    st.sampled_from(
        [
            "spending + 5",
            "(spending - 50) ** 0.5",
            "spending ** 2",
            "spending ** spending",
            "1e999 - 1e999",
            "spending / 0",
            "spending * 1e300 - spending * 1e300",
            "__import__('os').system('touch PWNED')",
            "spending.__class__",
            "[x for x in spending]",
            "lambda: 1",
            "open('/etc/passwd')",
            "'restraint' if unity > 1 else 'internationalist'",
            "president == 'restraint'",
            "president in ('restraint', 'nobody')",
            "9" * 5000,
            "not " * 400 + "spending > 1",
            "-" * 1500 + "spending",
            "+".join(["spending"] * 300),
            "(" * 300 + "spending" + ")" * 300,
            "min(spending)",
            "clip(spending, 0)",
            "score_hawk + score_nobody",
            "turn >= 2",
            "True",
            "",
        ]
    ),
    st.lists(
        st.sampled_from(["spending", "unity", "2", "0.5", "p_restraint", "turn"]), min_size=1
    ).flatmap(
        lambda atoms: st.lists(
            st.sampled_from([" + ", " - ", " * ", " / ", " ** ", " < ", " and ", " or "]),
            min_size=len(atoms) - 1,
            max_size=len(atoms) - 1,
        ).map(lambda ops: "".join(a + o for a, o in zip(atoms, [*ops, ""])))
    ),
)
VALUES = st.one_of(
    NUMBERS,
    TEXTS,
    EXPRESSIONS,
    st.booleans(),
    st.none(),
    st.lists(NUMBERS, max_size=3),
    st.dictionaries(NAMES, NUMBERS, max_size=2),
)


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a YAML document: mapping keys and list positions, depth first."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*prefix, i))
    return found


def at(data: Any, place: tuple) -> Any:
    for part in place:
        data = data[part]
    return data


NAMED = ["commitment", "spending", "access", "p_restraint", "shock_size", "turn", "score_hawk"]
ATOMS = st.sampled_from([*NAMED, "0", "1", "0.5", "100", "1e12", "1e-300", "-1e12"])


def arithmetic(depth: int = 3) -> st.SearchStrategy[str]:
    """Numeric expressions the language accepts, over the every-rule scenario's names."""
    if depth == 0:
        return ATOMS
    inner = arithmetic(depth - 1)
    return st.one_of(
        ATOMS,
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(inner, st.integers(0, 8)).map(lambda t: f"({t[0]}) ** {t[1]}"),
        st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} > {t[2]} else 0)"),
    )


CONDITIONS = st.tuples(arithmetic(2), st.sampled_from(["<", ">=", "=="]), arithmetic(2)).map(
    lambda t: f"{t[0]} {t[1]} {t[2]}"
)
EXPRESSION_KEYS = {"expr", "condition", "probability", "available"}


def expression_places(data: Any) -> list[tuple]:
    """Places holding an expression: outcomes, conditions, probabilities, effects, drift."""
    return [
        p
        for p in paths(data)
        if p
        and isinstance(at(data, p), str | int | float)
        and (p[-1] in EXPRESSION_KEYS or (len(p) > 1 and p[-2] in ("effects", "drift")))
    ]


def number_places(data: Any) -> list[tuple]:
    return [p for p in paths(data) if p and type(at(data, p)) in (int, float) and p[-1] != "turns"]


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> dict:
    """The every-rule scenario with one to three changes. Most keep it plausible (another
    expression the language accepts, another number), so that batches really run on odd
    but valid scenarios; the others break it (a value of any kind replaced, a key deleted or
    renamed, a list item duplicated)."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(
            st.sampled_from(["arithmetic", "arithmetic", "arithmetic", "number", "number", "value"])
            | st.sampled_from(["expression", "delete", "rename", "duplicate"])
        )
        if action in ("arithmetic", "number"):
            places = expression_places(data) if action == "arithmetic" else number_places(data)
            if not places:
                continue
            place = draw(st.sampled_from(places))
            parent, last = at(data, place[:-1]), place[-1]
            if action == "number":
                parent[last] = draw(NUMBERS)
            elif last in ("condition", "available"):
                parent[last] = draw(CONDITIONS)
            else:
                parent[last] = draw(arithmetic())
            continue
        place = draw(st.sampled_from([p for p in paths(data) if p]))
        parent, last = at(data, place[:-1]), place[-1]
        if action == "value":
            parent[last] = draw(VALUES)
        elif action == "expression":
            parent[last] = draw(EXPRESSIONS)
        elif action == "delete":
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(NAMES)] = parent.pop(last)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return data


@profile(short=60, long=2000)
@given(data=mutated_scenarios())
def test_mutated_scenarios(workdir: Path, data: dict) -> None:
    """validate, and where it passes, run a small batch and replay a run of it."""
    path = workdir / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    outcome = run_main(["validate", str(path)], seconds=20)
    check(outcome, "scenario files")
    assert outcome.code in (0, 1)
    if outcome.code != 0:
        return
    results = workdir / "mutated.parquet"
    outcome = run_main(["run", str(path), "--runs", "30", "--out", str(results), "--force"])
    check(outcome, "batches of mutated scenarios")
    assert outcome.code == 0, outcome.err
    table = pq.read_table(results)
    assert table.column("run").to_pylist() == list(range(30))
    for name in table.column_names:
        column = table.column(name)
        if column.type.equals("double"):  # no silent NaN or infinity in any result
            assert np.isfinite(column.to_numpy()).all(), name
    outcome = run_main(["replay", str(path), "--seed", "1", "--run", "7"])
    check(outcome, "replays of mutated scenarios")
    assert outcome.code == 0, outcome.err


SNIPPETS = st.sampled_from(
    [
        "&a ",
        "*a",
        "*nowhere",
        "<<: *a\n",
        "!!python/object/apply:os.system ['touch PWNED'] ",
        "!custom ",
        "[" * 300,
        "{" * 300,
        "- " * 300,
        "? ",
        ": ",
        "\t",
        "'",
        '"',
        '"\\e[2J"',
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "\x00",
        "\ufeff",
        "9" * 5000,
        ".nan",
        ".inf",
        "x" * 30_000,
    ]
)


@profile(short=60, long=3000)
@given(
    line=st.integers(0, 140),
    column=st.integers(0, 40),
    snippet=SNIPPETS,
    times=st.integers(1, 3),
)
def test_mutated_scenario_text(
    workdir: Path, line: int, column: int, snippet: str, times: int
) -> None:
    """Text that safe_dump would never write: anchors, tags, deep nesting, stray quotes."""
    lines = EVERY_RULE.read_text(encoding="utf-8").splitlines(keepends=True)
    line %= len(lines)
    text = lines[line]
    column = min(column, len(text))
    lines[line] = text[:column] + snippet * times + text[column:]
    path = workdir / "text.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    outcome = run_main(["validate", str(path)], seconds=20)
    check(outcome, "scenario texts")
    assert outcome.code in (0, 1)
    assert not Path("PWNED").exists()


# -- saves ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def save_data() -> dict:
    game = Game.start(GameSetup(str(EVERY_RULE.resolve()), 5, ("hawk",)))
    while game.turn < 3 and not game.done:
        game.advance()
        while game.pending is not None:
            answer_first(game)
            game.advance()
    return game.to_save()


JSON_VALUES = st.one_of(
    st.integers(),
    st.sampled_from([10**18, -1, 0, 2**64, float("inf"), float("-inf"), float("nan"), 1e308]),
    st.floats(),
    st.text(max_size=30),
    st.booleans(),
    st.none(),
    st.lists(st.integers(-2, 5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=2),
)


@profile(short=40, long=2000)
@given(changes=st.lists(st.tuples(st.integers(0, 10_000), JSON_VALUES, st.booleans()), max_size=3))
def test_mutated_saves(workdir: Path, save_data: dict, changes: list) -> None:
    """`play --resume` on a save with values replaced or removed: it loads, or it is
    refused as damaged, foreign or another version, in a sentence."""
    data = copy.deepcopy(save_data)
    for index, value, delete in changes:
        places = [p for p in paths(data) if p]
        place = places[index % len(places)]
        parent = at(data, place[:-1])
        if delete:
            del parent[place[-1]]
        else:
            parent[place[-1]] = value
    path = workdir / "save.json"
    path.write_text(json.dumps(data))
    outcome = run_main(["play", "--resume", str(path), "--saves", str(workdir)], seconds=30)
    check(outcome, "saves")
    assert outcome.code in (0, 2)
    if not changes:
        assert outcome.code == 0, outcome.err


# -- argument vectors -------------------------------------------------------------------------

SMALL_RUNS = st.sampled_from(["1", "7", "40", "0", "-1", "1e3", "x", "", str(10**12), "9" * 300])


def _paths(folder: Path) -> st.SearchStrategy[str]:
    bad = DATA / "bad"
    return st.sampled_from(
        [
            str(folder / "results.parquet"),
            str(folder / "new.parquet"),
            str(folder / "a-file.txt"),
            str(folder / "a-file.txt" / "below.parquet"),
            str(folder / "missing" / "r.parquet"),
            str(folder),
            str(folder / "fifo"),
            "/dev/zero",
            str(bad / "results-crafted.parquet"),
            str(bad / "results-damaged" / "r.parquet"),
            str(bad / "save-infinite-turn.json"),
            str(bad / "billion-laughs.yaml"),
            "\x1b[2J.parquet",
        ]
    )


SCENARIOS = st.sampled_from(
    [str(EVERY_RULE), "madrid-2022", "madrid-2021", str(DATA / "bad" / "deep-flow.yaml"), ""]
)
SETTINGS = st.sampled_from(
    [
        "p_restraint=0.3",
        "p_restraint=nan",
        "p_restraint=inf",
        "p_restraint=1e308",
        "commitment=150",
        "nope=1",
        "=1",
        "p_restraint=",
        "p_restraint",
    ]
)


@st.composite
def argument_vectors(draw: st.DrawFn, folder: Path) -> list[str]:
    where = _paths(folder)
    command = draw(
        st.sampled_from(
            ["run", "summary", "replay", "sensitivity", "validate", "actors", "play", "schema"]
        )
    )
    argv = [command]
    if command in ("run", "replay", "sensitivity"):
        argv.append(draw(SCENARIOS))
    if command == "run":
        argv += ["--runs", draw(SMALL_RUNS)]
        options = {
            "--seed": st.sampled_from(["1", "0", "-1", str(2**64), "0x10", "seed"]),
            "--chunk-size": st.sampled_from(["1", "7", "0", str(10**9)]),
            "--workers": st.sampled_from(["1", "0", "100000", "two"]),
            "--out": where,
            "--sample": st.sampled_from(["none", "uniform", "lhs", "sobol", "grid", "halton"]),
            "--levels": st.sampled_from(["2", "3", "1", str(10**20)]),
            "--set": SETTINGS,
            "--vary": st.sampled_from(["p_restraint", "nope", "", "p_restraint,shock_size"]),
            "--by": st.sampled_from(["election", "nope", "\x1b[2J"]),
            "--hist": st.sampled_from(["unity", "event_election", "nope"]),
            "--scheduler": st.sampled_from(["garbage", "tcp://", "http://x:1", ""]),
        }
        flags = ["--resume", "--force", "--quiet"]
    elif command == "summary":
        argv.append(draw(where))
        options = {
            "--by": st.sampled_from(["election", "crafted", "nope"]),
            "--hist": st.sampled_from(["unity", "event_crafted", "nope", "run"]),
            "--plot": where,
        }
        flags = []
    elif command == "replay":
        options = {
            "--run": st.sampled_from(["0", "3", "39", "40", "-1", str(2**63), "x"]),
            "--seed": st.sampled_from(["1", "2", "-3"]),
            "--results": where,
            "--sample": st.sampled_from(["none", "uniform", "lhs", "grid"]),
            "--set": SETTINGS,
            "--format": st.sampled_from(["text", "json", "xml"]),
        }
        flags = []
    elif command == "sensitivity":
        options = {
            "--samples": st.sampled_from(["32", "1", "0", "33", str(2**40)]),
            "--seed": st.sampled_from(["1", "-1"]),
            "--outcomes": st.sampled_from(["unity", "nope", "unity,spending", ""]),
            "--top": st.sampled_from(["1", "0", "3"]),
            "--set": SETTINGS,
            "--vary": st.sampled_from(["p_restraint", "nope"]),
            "--workers": st.sampled_from(["1", "0"]),
        }
        flags = ["--quiet"]
    elif command == "validate":
        argv += draw(st.lists(st.one_of(where, SCENARIOS), min_size=1, max_size=3))
        options, flags = {}, []
    elif command == "actors":
        argv += draw(st.lists(st.sampled_from(["turkey", "turky", "\x1b[2J", "nato"]), max_size=1))
        options = {"--scenario": SCENARIOS}
        flags = []
    elif command == "play":
        options = {
            "--resume": where,
            "--saves": where,
            "--human": st.sampled_from(["turkey", "turky", "", "nato,eu"]),
            "--seed": st.sampled_from(["1", "-1"]),
        }
        flags = []
    else:
        options = {"--kind": st.sampled_from(["scenario", "actor", "recipe"])}
        flags = []
    chosen = (
        draw(st.lists(st.sampled_from(sorted(options)), unique=True, max_size=4)) if options else []
    )
    for option in chosen:
        argv += [option, draw(options[option])]
    argv += draw(st.lists(st.sampled_from(flags), unique=True)) if flags else []
    if command == "run" and "--workers" not in argv:
        argv += ["--workers", "1"]  # spawning processes is tested elsewhere; keep this fast
    return argv


@profile(short=80, long=3000)
@given(data=st.data())
def test_argument_vectors(workdir: Path, data: st.DataObject) -> None:
    argv = data.draw(argument_vectors(workdir), label="argv")
    before = set(workdir.iterdir())
    try:
        outcome = run_main(argv, seconds=60)
        check(outcome, "argument vectors")
        if "--runs" in argv and argv[argv.index("--runs") + 1] == str(10**12):
            assert outcome.code == 2
    finally:  # what this command made (results, plots), so that the next starts alike
        for made in set(workdir.iterdir()) - before:
            if made.is_dir():
                shutil.rmtree(made)
            else:
                made.unlink()
