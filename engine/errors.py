"""Every exception the engine raises, in one place.

    WargameError
     ├── ScenarioError     a scenario or actor file is wrong: carries every Problem found
     ├── DecisionError     an outside decision does not fit the decision it answers
     └── ReplayError       a decision log or save does not belong to this scenario or engine

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
    "ScenarioError",
    "WargameError",
    "expected_one_of",
]


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


def expected_one_of(got: object, allowed: Iterable[str]) -> str:
    """The tail every message uses: the bad value, the allowed set and a close match."""
    allowed = sorted(allowed)
    shown = ", ".join(repr(a) for a in allowed[:12]) + (", …" if len(allowed) > 12 else "")
    text = f"got {got!r}; expected one of {shown}" if allowed else f"got {got!r}"
    if isinstance(got, str):
        close = difflib.get_close_matches(got, allowed, n=1, cutoff=0.6)
        if close:
            text += f"; did you mean {close[0]!r}?"
    return f"({text})"
