"""Running `wargame` in this process as a user would, with a time limit: the exit status,
what it printed, and how long it took. Shared by the corpus and the fuzzing tests."""

from __future__ import annotations

import contextlib
import io
import signal
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from unittest import mock

from wargame.engine.text import CONTROLS
from wargame.tui.cli import main

__all__ = ["Hang", "Outcome", "run_main"]


class Hang(BaseException):
    """The command ran past its time limit (a BaseException: nothing in main may catch it)."""


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    seconds: float

    def problems(self) -> list[str]:
        """What no command may ever do, whatever its input: each found, in words."""
        found = []
        if self.code not in (0, 1, 2):
            found.append(f"exit status {self.code}")
        text = self.out + self.err
        if "Traceback" in text:
            found.append("a traceback")
        if "internal error" in self.err:
            found.append("an internal error")
        control = CONTROLS.search(text)
        if control:
            found.append(f"a raw control character {control.group()!r} reached the terminal")
        return found


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_main(argv: Sequence[str], seconds: float = 30) -> Outcome:
    """`wargame ARGV` in this process; the game's window is not opened (`play` stops after
    every check it makes before the game would start)."""
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with (
        mock.patch("wargame.tui.app.app.WargameApp.run", return_value=None),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        _time_limit(seconds),
    ):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return Outcome(code, out.getvalue(), err.getvalue(), time.perf_counter() - started)
