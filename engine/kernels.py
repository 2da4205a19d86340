"""Compiled loops for the engine's hottest steps: one code path for every batch size.

A kernel is a plain Python function over arrays whose last axis is the run axis, written
as a loop over runs with scalar arithmetic (what numba compiles). It is the only
implementation of its step: a large batch calls it compiled by numba, a small one (a
game, a replay, a test of a few runs) calls the very same function uncompiled, so that
neither pays numba's import and compile time where a loop over a handful of runs costs
nothing. Both give the same bits: the loops use IEEE double arithmetic in the same order,
and `math.exp` and `math.tanh` are the C library's in both (numba calls it too).

Compiled kernels are cached on disk by numba (`cache=True`), so a batch's workers and the
next batch load them instead of compiling again. The cache is the user's
(`$XDG_CACHE_HOME/wargame/numba`, else `~/.cache/wargame/numba`; numba's own
`NUMBA_CACHE_DIR` wins), never the installed package's folders: files there that pip does
not know of outlived `pip uninstall` and turned the next install of `wargame` into a
namespace package that shadowed it (the README's two quick-start commands, run one after
the other in one environment, left `wargame` unable to start). `WARGAME_JIT=0` (or numba's own
`NUMBA_DISABLE_JIT=1`) runs every kernel uncompiled, e.g. to step through one in a
debugger.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import numpy as np

__all__ = ["JIT", "JIT_MIN_RUNS", "Kernel", "cache_folder", "kernel", "uncompiled"]

JIT_MIN_RUNS = 256
"""Batches with fewer runs call kernels uncompiled (numba would cost more than it saves)."""

F = TypeVar("F", bound=Callable[..., Any])


class Kernel(Generic[F]):
    """A loop over runs, called compiled for a large batch and as plain Python for a small one.

    The first argument of a call must be an array whose last axis is the run axis: its
    length picks the path, until the kernel has been compiled in this process.
    """

    def __init__(self, fn: F) -> None:
        self.py_func = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__
        self._compiled: Callable[..., Any] | None = None

    def __call__(self, *args: Any) -> Any:
        # once compiled, it serves small calls too (an event of a large batch that fires in
        # a few runs): the same bits, without a Python loop over them
        compiled = self._compiled if JIT else None
        if compiled is None:
            if args[0].shape[-1] < JIT_MIN_RUNS or not JIT:
                with np.errstate(over="ignore"):  # uint64 hashing wraps around on purpose
                    return self.py_func(*args)
            compiled = self.compiled()
        return compiled(*args)

    def compiled(self) -> Callable[..., Any]:
        """The numba-compiled function (compiled, or loaded from numba's cache, on first use)."""
        if self._compiled is None:
            # numba reads its cache folder as it is imported (spawned workers inherit it)
            os.environ.setdefault("NUMBA_CACHE_DIR", cache_folder())
            import numba  # imported here: games and replays never need it

            self._compiled = numba.njit(cache=True, nogil=True, error_model="numpy")(self.py_func)
        return self._compiled


def cache_folder() -> str:
    """Where compiled kernels are kept: the user's cache folder (see the module docstring)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "wargame", "numba")


def kernel(fn: F) -> Kernel[F]:
    """Declare `fn` a kernel (see `Kernel`)."""
    return Kernel(fn)


JIT = os.environ.get("WARGAME_JIT", "1") != "0"
"""Whether kernels may run compiled (`WARGAME_JIT=0` says no; tests switch it off to
compare the two paths)."""


@contextmanager
def uncompiled() -> Iterator[None]:
    """Every kernel called in the block runs as plain Python, even one compiled before: to
    compare both paths, or to step through a kernel in a debugger."""
    global JIT
    saved, JIT = JIT, False
    try:
        yield
    finally:
        JIT = saved
