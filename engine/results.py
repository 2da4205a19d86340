"""Writing a batch's results: Parquet streamed chunk by chunk, atomically, with a manifest.

The table is written to a temporary file beside the target and renamed into place
only when every chunk is in, so a reader never sees half a file under the final name.
The manifest (JSON beside the table) records what produced it: scenario and its
hash, seed, runs, chunking, engine version and parameters.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from engine import ENGINE_VERSION
from engine.scenario import Scenario

__all__ = ["manifest", "manifest_path", "write_atomic_json", "write_parquet"]


def manifest_path(out: Path) -> Path:
    return out.with_name(out.name + ".manifest.json")


def manifest(
    scenario: Scenario, *, seed: int, runs: int, chunk_size: int, done: int
) -> dict[str, Any]:
    """What produced a results table, enough to reproduce or replay any of its runs."""
    return {
        "scenario": scenario.id,
        "scenario_file": scenario.file,
        "scenario_sha256": scenario.digest,
        "engine_version": ENGINE_VERSION,
        "seed": seed,
        "runs": runs,
        "runs_done": done,
        "chunk_size": chunk_size,
        "parameters": scenario.parameters,
    }


def write_atomic_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_parquet(out: Path, schema: pa.Schema, tables: Iterable[pa.Table]) -> int:
    """Stream `tables` into `out` (one row group each); returns the rows written.

    If the stream stops early (an exception, Ctrl-C), what was finished is kept as
    `<out>.partial` and the exception goes on.
    """
    tmp = out.with_name(f".{out.name}.tmp")
    rows = 0
    writer = pq.ParquetWriter(tmp, schema, compression="zstd")
    try:
        for table in tables:
            writer.write_table(table)
            rows += table.num_rows
    except BaseException:
        writer.close()
        os.replace(tmp, out.with_name(out.name + ".partial"))
        raise
    writer.close()
    os.replace(tmp, out)
    return rows
