"""Summaries of a results table: what an analyst reads first.

Numbers get their mean with a 95 % confidence interval and the 5th, 50th and 95th
percentiles; facts and event outcomes get the share of runs ending with each label, with
a 95 % (Wilson) interval; outcomes can be broken down by an event's branches. Each column
is read on its own, so a table of ten million rows never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = [
    "Breakdown",
    "LabelSummary",
    "NumberSummary",
    "breakdown",
    "sobol_table_rows",
    "summarise_column",
    "summarise_file",
    "summarise_table",
    "wilson",
]

_Z95 = 1.959963984540054
NOT_OCCURRED = "(did not occur)"


@dataclass(frozen=True)
class NumberSummary:
    name: str
    n: int
    mean: float
    ci_low: float
    ci_high: float
    p5: float
    p50: float
    p95: float


@dataclass(frozen=True)
class LabelSummary:
    name: str
    n: int
    shares: dict[str, float]  # label (or NOT_OCCURRED) -> share of runs, largest first

    def interval(self, label: str) -> tuple[float, float]:
        return wilson(self.shares[label], self.n)


@dataclass(frozen=True)
class Breakdown:
    """Mean outcomes per branch of one event: branch -> (runs, {outcome: mean})."""

    event: str
    rows: dict[str, tuple[int, dict[str, float]]]


def wilson(share: float, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion (sound near 0 and 1, unlike the normal one)."""
    if n == 0:
        return (float("nan"), float("nan"))
    z2 = _Z95**2
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z95 * np.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (float(centre - half), float(centre + half))


def _labels(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return pc.fill_null(pc.cast(column, pa.string()), NOT_OCCURRED)


def summarise_column(name: str, column: pa.ChunkedArray | pa.Array) -> NumberSummary | LabelSummary:
    if pa.types.is_dictionary(column.type) or pa.types.is_string(column.type):
        counts = pc.value_counts(_labels(column))
        n = len(column)
        shares = {str(c["values"]): int(c["counts"]) / n for c in counts.to_pylist()}
        return LabelSummary(name, n, dict(sorted(shares.items(), key=lambda kv: -kv[1])))
    values = np.asarray(column, dtype=np.float64)
    n = len(values)
    mean = float(values.mean()) if n else float("nan")
    half = _Z95 * float(values.std(ddof=1)) / np.sqrt(n) if n > 1 else float("nan")
    p5, p50, p95 = (
        (float(q) for q in np.percentile(values, [5, 50, 95])) if n else (float("nan"),) * 3
    )
    return NumberSummary(name, n, mean, mean - half, mean + half, p5, p50, p95)


def summarise_table(
    table: pa.Table, skip: Iterable[str] = ("run",)
) -> list[NumberSummary | LabelSummary]:
    return [
        summarise_column(name, table.column(name))
        for name in table.column_names
        if name not in skip
    ]


def summarise_file(
    path: Path, skip: Iterable[str] = ("run",)
) -> list[NumberSummary | LabelSummary]:
    """Summaries of a Parquet results file, reading one column at a time."""
    names = pq.read_schema(path).names
    skip = set(skip)
    return [
        summarise_column(n, pq.read_table(path, columns=[n]).column(n))
        for n in names
        if n not in skip
    ]


def breakdown(path: Path, event: str, outcomes: Sequence[str]) -> Breakdown:
    """Mean of each outcome per branch (option taken) of `event`, reading only those columns."""
    table = pq.read_table(path, columns=[f"event_{event}", *outcomes])
    branch = np.asarray(_labels(table.column(f"event_{event}")).to_numpy(zero_copy_only=False))
    rows = {}
    for label in sorted(set(branch.tolist())):
        chosen = branch == label
        means = {o: float(np.asarray(table.column(o))[chosen].mean()) for o in outcomes}
        rows[label] = (int(chosen.sum()), means)
    return Breakdown(event, rows)


def sobol_table_rows(names: Sequence[str], indices: Mapping[str, Any]) -> list[dict[str, Any]]:
    """SALib's first-order and total indices per input, ranked by total index."""
    rows = [
        {
            "input": name,
            "S1": float(indices["S1"][i]),
            "S1_conf": float(indices["S1_conf"][i]),
            "ST": float(indices["ST"][i]),
            "ST_conf": float(indices["ST_conf"][i]),
        }
        for i, name in enumerate(names)
    ]
    return sorted(rows, key=lambda r: -r["ST"])
