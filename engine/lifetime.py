"""How `wargame`'s processes end: children die with their parent, and every process exits fast.

A batch's workers and a hosted game's web server must not outlive a `wargame` killed with
SIGKILL: on Linux the kernel kills the child when its parent dies (PR_SET_PDEATHSIG), and
everywhere a watchdog thread exits the child once its parent is gone.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent", "exit_without_final_collection"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, deathsig: bool = True) -> None:
    """Call first thing in a child: it ends when process `parent` does."""
    if deathsig and sys.platform.startswith("linux"):
        import ctypes  # here: every command imports this module, few start children

        # only when the child was started by the parent's main thread: the signal follows
        # the thread that started it, not the process
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(parent,), name="wargame-parent-watch", daemon=True
    ).start()


def _watch_parent(parent: int, every: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


_FREEZE_AT_EXIT = False


def exit_without_final_collection() -> None:
    """Skip the garbage collection Python runs as a process ends.

    That collection walks every object the imports made (Mesa brings in pandas, scipy and
    networkx) and frees nothing the operating system would not: it took 0.2 s after
    `import mesa` and 0.4 s in a batch worker, on every command and every worker. Freezing
    the objects first (`gc.freeze`, as the exit begins) leaves it nothing to walk. Files are
    closed where they are written, never left to a collector.
    """
    global _FREEZE_AT_EXIT
    if not _FREEZE_AT_EXIT:
        atexit.register(gc.freeze)
        _FREEZE_AT_EXIT = True
