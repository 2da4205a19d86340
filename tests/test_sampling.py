"""The Latin hypercube's strata: a keyed permutation of the runs, evaluated run by run."""

from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.kernels import uncompiled
from wargame.engine.sampling import keyed_permutation


@pytest.mark.parametrize("n", [1, 2, 3, 255, 256, 257, 1000, 70_001])
def test_every_stratum_is_used_exactly_once(n: int) -> None:
    strata = keyed_permutation(np.arange(n), n, seed=7, key=3)
    assert np.array_equal(np.sort(strata), np.arange(n))


def test_a_run_gets_its_stratum_alone_or_in_any_batch() -> None:
    """Evaluated a hundred runs at a time (the kernel as plain Python) or all at once
    (compiled), each run's stratum is the same."""
    n = 5000
    whole = keyed_permutation(np.arange(n), n, seed=1, key=0)
    with uncompiled():
        pieces = [keyed_permutation(np.arange(i, i + 100), n, 1, 0) for i in range(0, n, 100)]
    assert np.array_equal(np.concatenate(pieces), whole)


def test_the_strata_of_a_seed_never_change() -> None:
    """A design's inputs are reproduced from its seed: these values were given by the
    permutation when it was written with numpy (before it became a kernel)."""
    assert keyed_permutation(np.arange(8), 1_000_000, 7, 0).tolist() == [
        284098,
        90128,
        727942,
        166010,
        362474,
        681314,
        483650,
        51039,
    ]
    picked = keyed_permutation(np.array([0, 999_999, 123_456]), 1_000_000, 2022, 5)
    assert picked.tolist() == [96254, 665577, 729868]
    other_key = keyed_permutation(np.arange(8), 1_000_000, 7, 1)
    assert other_key.tolist() != [284098, 90128, 727942, 166010, 362474, 681314, 483650, 51039]
