"""Benchmarks: figures printed, never asserted. Run from the repository's root as modules,
e.g. `python -m benchmarks.montecarlo`, so that they can import one another."""
