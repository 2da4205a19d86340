"""Counter-based draws: a pure function of (seed, run, turn, site)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from wargame.engine.rng import site_id, uniform

ROOT = Path(__file__).resolve().parent.parent


@given(seed=st.integers(0, 2**64 - 1), run=st.integers(0, 10**7), turn=st.integers(0, 50))
def test_a_run_draws_the_same_alone_in_a_batch_and_in_a_chunk(
    seed: int, run: int, turn: int
) -> None:
    """Run k's draw does not depend on which other runs are drawn with it."""
    site = site_id("event", "choose")
    alone = uniform(seed, np.array([run]), turn, site)[0]
    batch = uniform(seed, np.arange(max(0, run - 5), run + 5), turn, site)
    chunk = uniform(seed, np.array([run + 3, run, run + 7]), turn, site)
    assert batch[min(run, 5)] == alone
    assert chunk[1] == alone


def test_draws_are_uniform_and_in_range() -> None:
    """A million draws fill [0, 1) evenly: every tenth holds close to a tenth of them."""
    draws = uniform(7, np.arange(1_000_000), 3, site_id("x"))
    assert draws.min() >= 0.0 and draws.max() < 1.0
    counts = np.histogram(draws, bins=10, range=(0, 1))[0]
    assert np.all(np.abs(counts - 100_000) < 1_500)  # about five standard deviations


def test_seed_turn_and_site_each_change_the_draws() -> None:
    """Changing any coordinate gives unrelated numbers (no two streams coincide)."""
    runs = np.arange(10_000)
    base = uniform(1, runs, 1, site_id("a"))
    for other in (
        uniform(2, runs, 1, site_id("a")),
        uniform(1, runs, 2, site_id("a")),
        uniform(1, runs, 1, site_id("b")),
    ):
        assert abs(np.corrcoef(base, other)[0, 1]) < 0.05
        assert not np.any(base == other)


def test_draws_are_pinned() -> None:
    """Site numbers and draws never change between processes or versions: saves depend on it.

    If this fails, outcomes changed: bump ENGINE_VERSION, do not edit the numbers lightly.
    """
    assert site_id("midterms_2022", "chance") == 0x709DD9217063845F
    assert site_id("a", "b") != site_id("b", "a")
    draws = uniform(1, np.array([0, 4242]), 1, site_id("midterms_2022", "chance"))
    assert np.allclose(draws, [0.40383948, 0.36868432], rtol=0, atol=1e-8)


def _random_uses(path: Path) -> list[str]:
    """Uses of hidden or global generators in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(n == "random" or n.startswith(("random.", "numpy.random")) for n in names):
                found.append(f"{path.name}:{node.lineno}: import of a random module")
        if isinstance(node, ast.Attribute) and node.attr in ("rng", "default_rng"):
            found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        owner = getattr(node, "value", None)
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "random"
            and isinstance(owner, ast.Name)
            and owner.id in ("np", "numpy", "self", "model", "mesa")
        ):
            found.append(f"{path.name}:{node.lineno}: {owner.id}.random")
    return found


def test_engine_and_actors_use_no_hidden_random_generator() -> None:
    """No np.random, no `random`, no Mesa model.random/rng anywhere in engine/ or actors/.

    (A scrambled Sobol sequence's `.random(n)` is a seeded, deterministic design, not a draw.)
    """
    sources = [*ROOT.joinpath("engine").rglob("*.py"), *ROOT.joinpath("actors").rglob("*.py")]
    assert sources
    problems = [p for path in sources for p in _random_uses(path)]
    assert problems == []
