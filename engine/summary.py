"""Summaries of a results table: what an analyst reads first.

Numbers get their mean with a 95 % confidence interval and the 5th, 50th and 95th
percentiles; facts and event outcomes get the share of runs ending with each label.
Each column is summarised on its own, so a table on disk is read one column at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["LabelSummary", "NumberSummary", "summarise_column", "summarise_file", "summarise_table"]

_Z95 = 1.959963984540054


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
    shares: dict[str, float]  # label (or "(did not occur)") -> share of runs


def summarise_column(name: str, column: pa.ChunkedArray | pa.Array) -> NumberSummary | LabelSummary:
    if pa.types.is_dictionary(column.type) or pa.types.is_string(column.type):
        counts = pc.value_counts(pc.fill_null(pc.cast(column, pa.string()), "(did not occur)"))
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
