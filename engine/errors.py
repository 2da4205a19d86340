"""Every exception the engine raises, in one place.

    WargameError
     ├── ScenarioError     a scenario or actor file is wrong: carries every Problem found
     ├── DecisionError     an outside decision does not fit the decision it answers
     ├── ReplayError       a decision log or save does not belong to this scenario or engine
     ├── ResultsError      a results folder is damaged or from another batch: says how to go on
     └── RuntimeFailure    the machine failed the command (disk full, no permission, lock held,
                           workers lost): exit status 1, where bad input gives 2

Messages say what was wrong, the bad value, what was expected and, where a near miss
exists, "did you mean". Interfaces print them; the engine never does.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "DecisionError",
    "Problem",
    "ReplayError",
    "ResultsError",
    "RuntimeFailure",
    "ScenarioError",
    "WargameError",
    "expected_one_of",
    "short_repr",
]

SHOWN_CHARS = 80
"""At most this much of a bad value is repeated in a message (a file's contents never are)."""


class WargameError(Exception):
    """Base of every error the engine raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, at one place."""

    file: str
    line: int
    col: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}:{self.line}:{self.col}: {where}{self.message}"


class ScenarioError(WargameError):
    """A scenario or actor file is invalid; `problems` lists all that were found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.col, p.where))
        super().__init__("\n".join(str(p) for p in self.problems))


class DecisionError(WargameError):
    """An outside decision names an event, actor or option that is not pending or not allowed."""


class ReplayError(WargameError):
    """A log or save cannot be replayed on this scenario or engine version."""


class ResultsError(WargameError):
    """A results folder cannot be resumed or read: damaged, empty or from another batch."""


class RuntimeFailure(WargameError):
    """The input was fine but the machine failed the command: it exits with status 1."""


def short_repr(value: object, limit: int = SHOWN_CHARS) -> str:
    """`repr(value)`, cut to `limit` characters with the full length said: a message never
    floods the terminal or repeats a whole file."""
    if isinstance(value, int) and value.bit_length() > 3 * limit:
        return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f"{len(value):,} characters" if isinstance(value, str) else f"{len(text):,} as text"
    return f"{text[: limit - 1]}… ({size})"


def expected_one_of(got: object, allowed: Iterable[str]) -> str:
    """The tail every message uses: the bad value, the allowed set and a close match."""
    allowed = sorted(allowed)
    shown = ", ".join(repr(a) for a in allowed[:12]) + (", …" if len(allowed) > 12 else "")
    got_text = short_repr(got)
    text = f"got {got_text}; expected one of {shown}" if allowed else f"got {got_text}"
    if isinstance(got, str) and len(got) <= SHOWN_CHARS:
        close = difflib.get_close_matches(got, allowed, n=1, cutoff=0.6)
        if close:
            text += f"; did you mean {close[0]!r}?"
    return f"({text})"
