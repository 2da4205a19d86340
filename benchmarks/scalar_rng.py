"""The engine's counter-based draws, one at a time on Python integers.

A draw is a pure function of (seed, run, turn, draw site): splitmix64's finaliser applied
to the coordinates, as in `engine.rng`, here on Python ints masked to 64 bits. The part
that depends only on (seed, site, turn) is the same for every game, so it is cached; a
game keys its own draws by its run.
"""

from __future__ import annotations

from functools import cache

from wargame.engine.rng import site_id

__all__ = ["draw_key", "run_key", "site", "uniform"]

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_UNIT = 2.0**-53


def _mix(z: int) -> int:
    """splitmix64's finaliser: a bijection on 64-bit integers with full avalanche."""
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


@cache
def site(*parts: str) -> int:
    """The library's number for a draw site (a hash of its name), looked up once."""
    return site_id(*parts)


@cache
def draw_key(seed: int, site_number: int, turn: int) -> int:
    """What a draw's hash takes from its seed, site and turn (shared by every run)."""
    key = _mix(((seed % 2**64) * _GOLDEN + _GOLDEN) & _MASK)
    key = _mix(key ^ (((site_number % 2**64) * _GOLDEN) & _MASK))
    return _mix(key ^ ((turn % 2**64 + _GOLDEN) & _MASK))


def run_key(run: int) -> int:
    """What a draw's hash takes from the run index (computed once per game)."""
    return _mix((run * _GOLDEN + _M1) & _MASK)


def uniform(key: int, run_hash: int) -> float:
    """A uniform float in [0, 1) from a draw key and a run's key: 53 random bits."""
    return (_mix(key ^ run_hash) >> 11) * _UNIT
