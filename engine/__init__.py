"""The game engine: scenarios as data, a batched state, counter-based draws, a Mesa model.

The engine never prints and knows nothing of the terminal; interfaces call it and
render what it returns.
"""

ENGINE_VERSION = "0.2.2"
"""Changes whenever the same scenario, seed and decisions could give a different result."""

DEFAULT_CHUNK = 16384
"""Runs per chunk. Measured: smaller chunks pay Python's per-event cost more often."""

__all__ = ["DEFAULT_CHUNK", "ENGINE_VERSION"]
