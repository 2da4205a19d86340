"""Child processes that die with the process that started them, however it ends.

A batch's workers and a hosted game's web server must not outlive a `wargame` killed with
SIGKILL: on Linux the kernel kills the child when its parent dies (PR_SET_PDEATHSIG), and
everywhere a watchdog thread exits the child once its parent is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, deathsig: bool = True) -> None:
    """Call first thing in a child: it ends when process `parent` does."""
    if deathsig and sys.platform.startswith("linux"):
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
