"""Summaries of a results table: what an analyst reads first.

Numbers get their mean with a 95 % confidence interval and the 5th, 50th and 95th
percentiles; facts and event outcomes get the share of runs ending with each label, with
a 95 % (Wilson) interval; outcomes can be broken down by an event's branches. The file is
read in a few passes over its row groups, each gathering as many numeric columns as fit
in GATHER_BYTES, so a table of ten million rows never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    "summarise_file",
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


def _number_summary(name: str, values: np.ndarray) -> NumberSummary:
    """Mean, its 95 % interval and quantiles; `values` is reordered in place."""
    n = len(values)
    if n == 0:
        nan = float("nan")
        return NumberSummary(name, 0, nan, nan, nan, nan, nan, nan)
    mean = float(values.mean())
    half = _Z95 * float(values.std(ddof=1)) / np.sqrt(n) if n > 1 else float("nan")
    p5, p50, p95 = (float(q) for q in np.percentile(values, [5, 50, 95], overwrite_input=True))
    return NumberSummary(name, n, mean, mean - half, mean + half, p5, p50, p95)


_BATCH = 1 << 20
GATHER_BYTES = 1 << 26
"""The most memory the numeric columns gathered by one pass over the file may take."""


def _batches(path: Path, columns: Sequence[str]) -> Iterator[pa.RecordBatch]:
    """The columns in batches of about a million rows; the memory pool is emptied after."""
    try:
        yield from pq.ParquetFile(path).iter_batches(
            batch_size=_BATCH, columns=list(columns), use_threads=True
        )
    finally:
        pa.default_memory_pool().release_unused()


def _count_labels(column: pa.Array, counts: dict[str, int]) -> None:
    """Add the column's label counts (NOT_OCCURRED for a null) to `counts`."""
    if pa.types.is_dictionary(column.type):  # count the codes, not the strings
        codes = pc.fill_null(column.indices, -1).to_numpy().astype(np.int64) + 1  # 0: null
        tally = np.bincount(codes, minlength=len(column.dictionary) + 1).tolist()
        pairs = list(zip([NOT_OCCURRED, *column.dictionary.to_pylist()], tally))
    else:
        pairs = [(i["values"], i["counts"]) for i in pc.value_counts(_labels(column)).to_pylist()]
    for label, count in pairs:
        if count:
            counts[label] = counts.get(label, 0) + int(count)


def summarise_file(
    path: Path, skip: Iterable[str] = ("run",)
) -> list[NumberSummary | LabelSummary]:
    """Summaries of a Parquet results file, in the order of its columns.

    A numeric column is gathered into one float64 array (8 bytes a run: quantiles need every
    value); a label column is only counted, in the first pass. Ten million runs stay well
    under a gigabyte.
    """
    schema = pq.read_schema(path)
    rows = pq.ParquetFile(path).metadata.num_rows
    skipped = set(skip)
    fields = [f for f in schema if f.name not in skipped]
    labels = {
        f.name for f in fields if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)
    }
    numbers = [f.name for f in fields if f.name not in labels]
    per_pass = max(1, GATHER_BYTES // max(8 * rows, 1))
    passes = [numbers[i : i + per_pass] for i in range(0, len(numbers), per_pass)] or [[]]
    found: dict[str, NumberSummary | LabelSummary] = {}
    counts: dict[str, dict[str, int]] = {name: {} for name in labels}
    for number, names in enumerate(passes):
        counted = list(counts) if number == 0 else []
        values = {name: np.empty(rows) for name in names}
        start = 0
        for batch in _batches(path, [*names, *counted]):
            for name in names:
                values[name][start : start + batch.num_rows] = batch[name].to_numpy()
            for name in counted:
                _count_labels(batch[name], counts[name])
            start += batch.num_rows
        for name in names:
            found[name] = _number_summary(name, values.pop(name))
    for name, tally in counts.items():
        ordered = sorted(tally.items(), key=lambda kv: -kv[1])
        found[name] = LabelSummary(name, rows, {k: c / rows for k, c in ordered})
    return [found[f.name] for f in fields]


def breakdown(path: Path, event: str, outcomes: Sequence[str]) -> Breakdown:
    """Mean of each outcome per branch (option taken) of `event`, in batches."""
    runs: dict[str, int] = {}
    sums: dict[str, dict[str, float]] = {}
    for batch in _batches(path, [f"event_{event}", *outcomes]):
        branch = np.asarray(_labels(batch.column(0)).to_numpy(zero_copy_only=False))
        for label in set(branch.tolist()):
            chosen = branch == label
            runs[label] = runs.get(label, 0) + int(chosen.sum())
            total = sums.setdefault(label, dict.fromkeys(outcomes, 0.0))
            for i, outcome in enumerate(outcomes, start=1):
                total[outcome] += float(batch.column(i).to_numpy()[chosen].sum())
    rows = {
        label: (runs[label], {o: sums[label][o] / runs[label] for o in outcomes})
        for label in sorted(runs)
    }
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
