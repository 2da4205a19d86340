"""Counter-based randomness: every draw is a pure function of (seed, run, turn, site).

Run k therefore sees the same numbers alone, in any batch, in any chunk and on any
worker. There is no generator object and no hidden state: a draw is a splitmix64-style
hash of its coordinates, computed on uint64 arrays over the run axis.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

__all__ = ["site_id", "uniform"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_UNIT = 2.0**-53


def _mix(z: Any) -> Any:
    """splitmix64's finaliser: a bijection on uint64 with full avalanche (on an array of
    them or on one)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def site_id(*parts: str) -> int:
    """A stable 64-bit number naming a draw site (the same in every process and version)."""
    digest = hashlib.blake2b("/".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def uniform(seed: int, runs: np.ndarray, turn: int, site: int) -> np.ndarray:
    """Uniform floats in [0, 1), one per run index in `runs`, for this turn and draw site."""
    runs = np.asarray(runs, dtype=np.uint64)
    with np.errstate(over="ignore"):
        key = _mix(np.uint64(seed % 2**64) * _GOLDEN + _GOLDEN)
        key = _mix(key ^ (np.uint64(site % 2**64) * _GOLDEN))
        key = _mix(key ^ (np.uint64(turn % 2**64) + _GOLDEN))
        bits: np.ndarray = _mix(key ^ _mix(runs * _GOLDEN + _M1))
    return (bits >> _S11).astype(np.float64) * _UNIT
