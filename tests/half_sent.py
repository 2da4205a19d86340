"""Pool tasks whose result a worker sends only in part, as a worker killed mid-send does
(imported by the workers of tests/test_montecarlo.py, which spawn)."""

from __future__ import annotations

import os
import time
from multiprocessing import connection


def send_half_then(then: str) -> bytes:
    """Run in a pool's worker: its result leaves half sent, then the worker dies ("die") or
    hangs until it is stopped ("hang")."""
    send = connection.Connection._send  # type: ignore[attr-defined]

    def half(self: connection.Connection, buf: bytes, write: object = os.write) -> None:
        if len(buf) <= 1 << 16:  # the message's length, sent first
            send(self, buf)
            return
        os.write(self.fileno(), bytes(buf[: len(buf) // 2]))
        if then == "die":
            os._exit(1)
        time.sleep(3600)

    connection.Connection._send = half  # type: ignore[attr-defined]
    return b"x" * 1_000_000
