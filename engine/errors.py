"""Every exception the engine raises, in one place.

    WargameError
     ├── ScenarioError     a scenario or actor file is wrong: carries every Problem found
     ├── DecisionError     an outside decision does not fit the decision it answers
     ├── ReplayError       a decision log or save does not belong to this scenario or engine
     ├── ResultsError      a results folder is damaged or from another batch: says how to go on
     ├── UsageError        what was asked cannot be done as asked: an unknown name, an argument
     │                     out of bounds, a path of the wrong kind
     └── RuntimeFailure    the machine failed the command (disk full, no permission, lock held,
                           workers lost): exit status 1, where bad input gives 2

Not errors of the user's, also here so that every exception has one home:

    ExprError      an expression is refused (the loader turns it into a Problem)
    RecordError    a save or manifest file cannot be used (its reader adds the path)
    FileRefused    a file from outside cannot be read within the limits
    NeedDecision   a signal, not a failure: a rule needs a human's decision first

Messages say what was wrong, the bad value, what was expected and, where a near miss
exists, "did you mean". Interfaces print them; the engine never does.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wargame.engine.decisions import DecisionRequest

__all__ = [
    "DecisionError",
    "ExprError",
    "FileRefused",
    "NeedDecision",
    "Problem",
    "RecordError",
    "ReplayError",
    "ResultsError",
    "RuntimeFailure",
    "ScenarioError",
    "UsageError",
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


class UsageError(WargameError):
    """What was asked cannot be done as asked: an unknown name, an argument out of bounds, a
    path of the wrong kind (exit status 2, like any bad input)."""


class ExprError(Exception):
    """An expression is refused; `offset` is the column inside the expression text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class NeedDecision(Exception):
    """Raised inside a rule when a human's decision is needed and not yet given."""

    def __init__(self, request: DecisionRequest) -> None:
        super().__init__(f"waiting for {request.actor} on {request.event}")
        self.request = request


class RecordError(Exception):
    """A record file cannot be used; the message says why (the caller adds the path)."""


class FileRefused(Exception):
    """A file cannot be read as input; the message says why (the caller adds the path)."""


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
