"""Everything a batch's summary holds, computed once for the terminal and for exports.

`wargame summary` prints it as tables and charts or writes it as CSV or JSON; both read
the same `BatchSummary`, so a number in a paper is the number on the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from wargame.engine.per_turn import Fan, branches_of, fans
from wargame.engine.summary import Breakdown, LabelSummary, NumberSummary, summarise_file

__all__ = ["BatchSummary", "summarise_batch"]


@dataclass(frozen=True)
class BatchSummary:
    """A batch's numbers: end-of-game summaries, breakdowns by branch, spread over turns."""

    title: str
    results: Path
    summaries: list[NumberSummary | LabelSummary]
    breakdowns: list[Breakdown] = field(default_factory=list)
    fans: dict[str, list[Fan]] = field(default_factory=dict)  # indicator -> all runs, branches

    @property
    def numbers(self) -> list[NumberSummary]:
        return [s for s in self.summaries if isinstance(s, NumberSummary)]

    @property
    def labels(self) -> list[LabelSummary]:
        return [s for s in self.summaries if isinstance(s, LabelSummary)]


def summarise_batch(
    title: str,
    results: Path,
    *,
    outcomes: Sequence[str],
    branches: Sequence[str] = (),
    trajectories: Path | None = None,
    indicators: Sequence[str] = (),
    split: Sequence[str] = (),
) -> BatchSummary:
    """The summary of a results file: every column, the mean `outcomes` per branch of each
    event in `branches`, and, from its trajectories, the spread of `indicators` per turn over
    all runs and per branch of each event in `split`."""
    columns = pq.read_schema(results).names
    present = [o for o in outcomes if o in columns]
    per_turn: dict[str, list[Fan]] = {}
    if trajectories is not None and indicators:
        per_turn = fans(trajectories, indicators, [branches_of(results, e) for e in split])
    summaries, breakdowns = summarise_file(results, branches=branches, outcomes=present)
    return BatchSummary(title, results, summaries, breakdowns, per_turn)
