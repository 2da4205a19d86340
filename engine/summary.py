"""Summaries of a results table: what an analyst reads first.

Numbers get their mean with a 95 % confidence interval and the 5th, 50th and 95th
percentiles; facts and event outcomes get the share of runs ending with each label, with
a 95 % (Wilson) interval; outcomes can be broken down by an event's branches. The file is
read in a few passes over its row groups, each gathering as many numeric columns as fit
in GATHER_BYTES, so a table of ten million rows never sits in memory whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wargame.engine.errors import ResultsError

__all__ = [
    "Breakdown",
    "LabelSummary",
    "NumberSummary",
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


def _numpy(column: pa.Array, dtype: type[np.generic]) -> np.ndarray:
    """A column without nulls as a numpy array of `dtype`, read from its buffer.

    pyarrow's own `to_numpy` imports pandas wherever it is installed (Mesa installs it):
    0.2 s of every summary, for nothing a summary uses.
    """
    typed = pc.cast(column, pa.from_numpy_dtype(dtype))
    width = np.dtype(dtype).itemsize
    return np.frombuffer(
        typed.buffers()[1], dtype=dtype, count=len(typed), offset=typed.offset * width
    )


def _numbers(path: Path, name: str, column: pa.Array) -> np.ndarray:
    """A numeric column's values as float64, or a clear error for a file not written so."""
    if column.null_count:
        raise ResultsError(f"{path}: column {name!r} has runs without a value")
    try:
        return _numpy(column, np.float64)
    except (pa.ArrowException, ValueError) as exc:
        raise ResultsError(f"{path}: column {name!r} is not a number ({exc})") from None


def _codes(column: pa.Array) -> tuple[np.ndarray, list[str]]:
    """A label column as codes into its labels; code 0 is NOT_OCCURRED (a null).

    Nulls are found from the validity bitmap: `pc.fill_null` took a quarter of a summary.
    """
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    indices = column.indices
    codes = _numpy(indices, np.intp) + 1  # a null's slot holds any value: set to 0 below
    if indices.null_count:
        bits = np.frombuffer(indices.buffers()[0], dtype=np.uint8)
        valid = np.unpackbits(bits, count=indices.offset + len(indices), bitorder="little")
        codes[valid[indices.offset :] == 0] = 0
    return codes, [NOT_OCCURRED, *column.dictionary.to_pylist()]


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


class _Labels:
    """A label column's labels, numbered as first met, and how many runs have each."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.counts = np.zeros(0, dtype=np.intp)

    def add(self, column: pa.Array) -> np.ndarray:
        """Count a batch of the column; returns its runs' label numbers."""
        codes, labels = _codes(column)
        ours = np.array([self.ids.setdefault(k, len(self.ids)) for k in labels], dtype=np.intp)
        numbers: np.ndarray = ours[codes]
        tally = np.bincount(numbers, minlength=len(self.ids))
        tally[: len(self.counts)] += self.counts
        self.counts = tally
        return numbers

    def summary(self, name: str, rows: int) -> LabelSummary:
        ordered = sorted(zip(self.ids, self.counts.tolist()), key=lambda kv: -kv[1])
        return LabelSummary(name, rows, {k: c / rows for k, c in ordered if c})


class _Branches:
    """One event's branch in every run and, per branch, the sum of each outcome: a
    breakdown gathered while the file is read for its summaries."""

    def __init__(self, event: str, rows: int, labels: _Labels) -> None:
        self.event = event
        self.labels = labels
        self.numbers = np.empty(rows, dtype=np.intp)
        self.sums: dict[str, np.ndarray] = {}

    def add_outcome(self, name: str, values: np.ndarray) -> None:
        self.sums[name] = np.bincount(self.numbers, weights=values, minlength=len(self.labels.ids))

    def breakdown(self) -> Breakdown:
        runs = self.labels.counts
        rows = {
            label: (int(runs[i]), {o: float(s[i] / runs[i]) for o, s in self.sums.items()})
            for label, i in sorted(self.labels.ids.items())
            if runs[i] > 0
        }
        return Breakdown(self.event, rows)


def summarise_file(
    path: Path,
    skip: Iterable[str] = ("run",),
    *,
    branches: Sequence[str] = (),
    outcomes: Sequence[str] = (),
) -> tuple[list[NumberSummary | LabelSummary], list[Breakdown]]:
    """Summaries of a Parquet results file, in the order of its columns, and the mean of
    each of `outcomes` per branch of each event in `branches` (its column `event_<id>`).

    A numeric column is gathered into one float64 array (8 bytes a run: quantiles need every
    value); a label column is only counted, in the first pass, where each event broken
    down also keeps its branch per run. Ten million runs stay well under a gigabyte.
    """
    schema = pq.read_schema(path)
    rows = pq.ParquetFile(path).metadata.num_rows
    skipped = set(skip)
    fields = [f for f in schema if f.name not in skipped]
    label_names = [
        f.name for f in fields if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)
    ]
    numbers = [f.name for f in fields if f.name not in label_names]
    wanted = [(o, numbers) for o in outcomes] + [(f"event_{e}", label_names) for e in branches]
    missing = [name for name, among in wanted if name not in among]
    if missing:
        raise ValueError(f"{path}: no column {missing[0]!r} to break down")
    labels = {name: _Labels() for name in label_names}
    split = {f"event_{e}": _Branches(e, rows, labels[f"event_{e}"]) for e in branches}
    per_pass = max(1, GATHER_BYTES // max(8 * rows, 1))
    passes = [numbers[i : i + per_pass] for i in range(0, len(numbers), per_pass)] or [[]]
    found: dict[str, NumberSummary | LabelSummary] = {}
    for number, names in enumerate(passes):
        counted = label_names if number == 0 else []
        values = {name: np.empty(rows) for name in names}
        start = 0
        for batch in _batches(path, [*names, *counted]):
            end = start + batch.num_rows
            for name in names:
                values[name][start:end] = _numbers(path, name, batch[name])
            for name in counted:
                branch = labels[name].add(batch[name])
                if name in split:
                    split[name].numbers[start:end] = branch
            start = end
        for name in names:
            if name in outcomes:
                for event in split.values():
                    event.add_outcome(name, values[name])
        # numpy's partition lets go of the GIL: the columns' quantiles on every core
        with ThreadPoolExecutor(os.cpu_count()) as pool:
            found.update(zip(names, pool.map(_number_summary, names, values.values())))
        del values
    for name, tally in labels.items():
        found[name] = tally.summary(name, rows)
    return [found[f.name] for f in fields], [branch.breakdown() for branch in split.values()]


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
