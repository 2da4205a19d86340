"""The game engine: scenarios as data, a batched state, counter-based draws, a Mesa model.

The engine never prints and knows nothing of the terminal; interfaces call it and
render what it returns.
"""

ENGINE_VERSION = "0.2.2"
"""Changes whenever the same scenario, seed and decisions could give a different result."""

DEFAULT_CHUNK = 32768
"""Runs per chunk. Measured (one process, 262,144 runs, games per CPU-second): 64,000 at
4,096, 121,000-136,000 at 16,384, 147,000-153,000 at 32,768, 151,000 at 65,536; smaller
chunks pay Python's per-event cost more often. Peak memory of a 10^6-run `wargame run` on
two workers: 927 MiB at 16,384, 1,013 MiB at 32,768, 1,149 MiB at 65,536."""

TRAJECTORY_CHUNK = 8192
"""Runs per chunk when every turn is kept: a chunk's trajectories are ten times its
results, and at this size a 10^6-run batch stays under 1 GiB on two workers
(benchmarks/peak_memory.py: 841 MiB; at 16,384, 1,068 MiB before the coordinating process
stopped importing Mesa)."""

__all__ = ["DEFAULT_CHUNK", "ENGINE_VERSION", "TRAJECTORY_CHUNK"]
