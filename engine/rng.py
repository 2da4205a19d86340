"""Counter-based randomness: every draw is a pure function of (seed, run, turn, site).

Run k therefore sees the same numbers alone, in any batch, in any chunk and on any
worker. There is no generator object and no hidden state: a draw is a splitmix64-style
hash of its coordinates. The part that depends on (seed, site, turn) is the same for every
run, so it is hashed once, on Python integers; a kernel then hashes each run's index with
it in one pass over the run axis (engine/kernels.py).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from wargame.engine.kernels import kernel

__all__ = ["draw_key", "site_id", "uniform"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_UNIT = 2.0**-53
_MASK = 2**64 - 1


def _mix_int(z: int) -> int:
    """splitmix64's finaliser, a bijection on 64 bits with full avalanche, on a Python int
    masked to 64 bits (as the kernels compute it on uint64)."""
    z = ((z ^ (z >> 30)) * int(_M1)) & _MASK
    z = ((z ^ (z >> 27)) * int(_M2)) & _MASK
    return z ^ (z >> 31)


def site_id(*parts: str) -> int:
    """A stable 64-bit number naming a draw site (the same in every process and version)."""
    digest = hashlib.blake2b("/".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


@lru_cache(maxsize=4096)
def draw_key(seed: int, site: int, turn: int) -> int:
    """What a draw takes from its seed, site and turn: the same for every run."""
    golden = int(_GOLDEN)
    key = _mix_int(((seed % 2**64) * golden + golden) & _MASK)
    key = _mix_int(key ^ (((site % 2**64) * golden) & _MASK))
    return _mix_int(key ^ ((turn % 2**64 + golden) & _MASK))


def uniform(seed: int, runs: np.ndarray, turn: int, site: int) -> np.ndarray:
    """Uniform floats in [0, 1), one per run index in `runs`, for this turn and draw site."""
    index = np.asarray(runs)
    index = index.view(np.uint64) if index.dtype == np.int64 else index.astype(np.uint64)
    out = np.empty(index.shape, dtype=np.float64)
    _uniform_kernel(np.ascontiguousarray(index), np.uint64(draw_key(seed, site, turn)), out)
    return out


@kernel
def _uniform_kernel(runs: np.ndarray, key: np.uint64, out: np.ndarray) -> None:
    """out[i]: 53 bits of splitmix64(key ^ splitmix64(runs[i] * golden + m1)), in [0, 1)."""
    for i in range(runs.shape[0]):
        z = runs[i] * _GOLDEN + _M1
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        z = z ^ (z >> _S31)
        z = key ^ z
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        z = z ^ (z >> _S31)
        out[i] = np.float64(z >> _S11) * _UNIT
