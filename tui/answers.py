"""What a summary is asked to show (`--by`, `--hist`, `--fan`), checked against the files.

Every name is checked before anything is computed or printed, and `run` checks them before
its batch starts: a typo costs a second, not an hour of Monte Carlo followed by a message.
A refused name gets a did-you-mean and the full list of the valid ones.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from wargame.engine.compiled import Scenario
from wargame.engine.errors import UsageError, short_repr

__all__ = ["Answers", "check_answers", "numeric_columns"]

ALL = "all"


@dataclass(frozen=True)
class Answers:
    """The summary's extra parts, by the names the files use."""

    branches: list[str]  # event ids to break outcomes down by: the scenario's, then --by
    split: list[str]  # event ids the fan charts are split by (--by only)
    hist: list[str]  # numeric columns drawn as terminal histograms
    fan: list[str]  # indicators shown turn by turn (empty without trajectories)


def numeric_columns(schema: pa.Schema, skip: Sequence[str] = ("run", "turn")) -> list[str]:
    """The columns holding numbers (not labels), in order."""
    return [
        f.name
        for f in schema
        if f.name not in skip and (pa.types.is_floating(f.type) or pa.types.is_integer(f.type))
    ]


def _refuse(option: str, what: str, got: str, allowed: Sequence[str]) -> UsageError:
    close = difflib.get_close_matches(got, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    listed = ", ".join(allowed) if allowed else "(none)"
    return UsageError(f"{option}: no {what} {short_repr(got)}{hint} The valid ones: {listed}")


def _names(values: Sequence[str] | None) -> list[str]:
    """Repeated options and comma-separated lists alike: `--fan a,b --fan c`."""
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


def check_answers(
    args: argparse.Namespace,
    results: pa.Schema,
    trajectories: pa.Schema | None,
    scenario: Scenario | None,
) -> Answers:
    """The names `args` asks for, resolved against the columns of the results and of their
    trajectories (None: the batch kept none); UsageError for the first that is not there."""
    events = [c.removeprefix("event_") for c in results.names if c.startswith("event_")]
    split = []
    for name in _names(getattr(args, "by", None)):
        event = name.removeprefix("event_") if name not in events else name
        if event not in events:
            raise _refuse("--by", "event", name, events)
        split.append(event)
    defaults = [b for b in (scenario.spec.branches if scenario else []) if b in events]
    numeric = numeric_columns(results)
    hist = _names(getattr(args, "hist", None))
    for name in hist:
        if name not in numeric:
            raise _refuse("--hist", "numeric column", name, numeric)
    asked = _names(getattr(args, "fan", None))
    fan: list[str] = []
    if trajectories is None:
        if asked:
            raise UsageError(
                "--fan: these results have no trajectories; run the batch again with "
                "--trajectories to keep every indicator at every turn"
            )
    else:
        indicators = numeric_columns(trajectories)
        fan = indicators if asked == [ALL] else asked or _default_fans(scenario, indicators)
        for name in fan:
            if name not in indicators:
                raise _refuse("--fan", "indicator", name, [*indicators, ALL])
    return Answers(
        branches=list(dict.fromkeys([*defaults, *split])),
        split=list(dict.fromkeys(split)),
        hist=hist,
        fan=list(dict.fromkeys(fan)),
    )


def _default_fans(scenario: Scenario | None, indicators: Sequence[str]) -> list[str]:
    """The scenario's derived outcomes (unity, deterrence...): what a reader looks at first."""
    if scenario is not None:
        return [n for n, _ in scenario.outcomes if n in indicators]
    return [c for c in ("unity", "deterrence", "burden_sharing") if c in indicators]
