"""How much work any input may ask for: the limits every reader and checker enforces.

A scenario, an actor file, a save or a results manifest may come from anyone. Reading,
validating and compiling it takes bounded time and memory whatever it holds, because
each of these limits is checked before the work it bounds, and crossing one is a clear
message naming the file, the place and the limit (never a hang, a MemoryError or a
RecursionError). The bundled baseline uses a small fraction of each.
"""

from __future__ import annotations

__all__ = [
    "MAX_CHUNK_SIZE",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_EXPR_CHARS",
    "MAX_EXPR_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INT_DIGITS",
    "MAX_LEVELS",
    "MAX_LITERAL",
    "MAX_NODES",
    "MAX_OPTIONS",
    "MAX_RUNS",
    "MAX_SAVE_BYTES",
    "MAX_SCALAR_CHARS",
    "MAX_VALUE",
    "MAX_WORKERS",
    "MIN_SOBOL_SAMPLES",
]

# -- files ---------------------------------------------------------------------------------

MAX_FILE_BYTES = 1 << 20
"""A scenario or actor file: 1 MiB (the baseline scenario is 30 KiB; pure-Python YAML reads
about a megabyte a second)."""

MAX_SAVE_BYTES = 16 << 20
"""A save or a results manifest (JSON): 16 MiB, thousands of games' worth of decisions."""

MAX_DEPTH = 64
"""Nesting of mappings and lists in a YAML file (the baseline needs 6)."""

MAX_NODES = 100_000
"""Values in one YAML file, counting every use of an alias: what stops "billion laughs"."""

MAX_SCALAR_CHARS = 20_000
"""One YAML value (a narrative, a quote, an expression)."""

MAX_INT_DIGITS = 30
"""Digits of an integer written in a file or an expression."""

# -- expressions ---------------------------------------------------------------------------

MAX_EXPR_CHARS = 2_000
"""One expression's text (the baseline's longest is under 100)."""

MAX_EXPR_DEPTH = 50
"""Nesting of one expression's syntax tree: operators, calls, `not`, `-`, parentheses."""

MAX_LITERAL = 1e12
"""The largest number an expression may write (the game's scales run 0..100)."""

MAX_VALUE = 1e12
"""Every arithmetic result is clipped to [-MAX_VALUE, MAX_VALUE]: no overflow to infinity."""

MAX_EXPONENT = 8
"""`x ** n` takes a whole-number literal n from 0 to this."""

# -- scenarios -----------------------------------------------------------------------------

MAX_OPTIONS = 1_000
"""Options of one event (results store the chosen option as int16)."""

# -- command-line work ---------------------------------------------------------------------

MAX_RUNS = 10**9
"""Runs of one batch (the design's largest use is 10^7)."""

MAX_CHUNK_SIZE = 1 << 20
"""Runs per chunk: one chunk's state lives in one process's memory."""

MAX_WORKERS = 256
"""Local worker processes."""

MAX_LEVELS = 1_000
"""Grid levels per varied input."""

MIN_SOBOL_SAMPLES = 32
"""Base samples of a Sobol design: fewer give confidence intervals that mean nothing."""
