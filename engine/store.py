"""Where a batch's results live on disk while it runs, and how it resumes.

    results.parquet                  the final table, written when every chunk is in
    results.parquet.manifest.json    what produced it, and which chunks are done
    results.parquet.parts/           one Parquet file per finished chunk, until the end

Each part and the manifest are written to a temporary name and renamed, so a crash
leaves either the old file or the new one. A resumed batch plays only the chunks the
manifest does not list, and refuses results made from another scenario, seed, layout,
design or engine version.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from engine.errors import WargameError
from engine.montecarlo import BatchSpec

__all__ = ["ResultStore", "manifest_path", "read_manifest"]

_MUST_MATCH = (
    "scenario_sha256",
    "engine_version",
    "seed",
    "runs",
    "chunk_size",
    "design",
    "temperatures",
)


def manifest_path(results: Path) -> Path:
    return results.with_name(results.name + ".manifest.json")


def read_manifest(results: Path) -> dict[str, Any]:
    """The manifest beside a results file; a clear error when it is missing or unreadable."""
    path = manifest_path(results)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WargameError(f"no manifest beside {results} (expected {path.name})") from None
    except (OSError, ValueError) as exc:
        raise WargameError(f"cannot read {path}: {exc}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("spec"), dict):
        raise WargameError(f"{path} is not a wargame results manifest (no 'spec')")
    return manifest


class ResultStore:
    """A batch's results directory: parts, manifest, and the final table."""

    def __init__(self, out: Path, spec: BatchSpec, extra: dict[str, Any] | None = None) -> None:
        self.out = out
        self.spec = spec
        self.parts = out.with_name(out.name + ".parts")
        self.manifest_path = manifest_path(out)
        self.extra = extra or {}
        self.done: set[int] = set()

    # -- starting and resuming -------------------------------------------------------------

    def start(self, *, resume: bool, force: bool) -> None:
        """Begin a new batch, or pick up an interrupted one; never clobber results silently."""
        if resume:
            self._resume()
            return
        if (self.out.exists() or self.manifest_path.exists() or self.parts.exists()) and not force:
            raise WargameError(
                f"{self.out} (or its manifest or parts) already exists: add --resume to finish an "
                "interrupted batch, --force to replace it, or choose another --out"
            )
        for path in (self.out, self.manifest_path):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.parts, ignore_errors=True)
        self.parts.mkdir(parents=True)
        self._write_manifest()

    def _resume(self) -> None:
        manifest = read_manifest(self.out)
        recorded = manifest["spec"]
        wanted = self.spec.describe()
        for key in _MUST_MATCH:
            if json.dumps(recorded.get(key), sort_keys=True) != json.dumps(
                wanted[key], sort_keys=True
            ):
                raise WargameError(
                    f"cannot resume {self.out}: it was made with {key} = {recorded.get(key)!r}, "
                    f"this run has {wanted[key]!r}"
                )
        self.parts.mkdir(parents=True, exist_ok=True)
        for leftover in self.parts.glob("*.tmp"):  # a part being written when it stopped
            leftover.unlink()
        self.done = {i for i in manifest.get("done", []) if self._part(i).exists()}

    # -- while running ---------------------------------------------------------------------

    def _part(self, index: int) -> Path:
        return self.parts / f"part-{index:06d}.parquet"

    def missing(self) -> list[int]:
        return [i for i in range(len(self.spec.chunks())) if i not in self.done]

    def add(self, index: int, table: pa.Table) -> None:
        """Keep a finished chunk: its part file first, then the manifest that lists it."""
        part = self._part(index)
        tmp = part.with_name(part.name + ".tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, part)
        self.done.add(index)
        self._write_manifest()

    def runs_done(self) -> int:
        layout = self.spec.chunks()
        return sum(layout[i][1] - layout[i][0] for i in self.done)

    def _write_manifest(self, complete: bool = False) -> None:
        data = {
            "scenario": self.extra.get("scenario_id"),
            "complete": complete,
            "runs_done": self.runs_done(),
            "spec": self.spec.describe(),
            "done": sorted(self.done),
            **self.extra,
        }
        tmp = self.manifest_path.with_name(f".{self.manifest_path.name}.tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.manifest_path)

    # -- at the end ------------------------------------------------------------------------

    def finish(self) -> int:
        """Join the parts in run order into the final table; returns its row count."""
        if self.missing():
            raise WargameError(f"{len(self.missing())} chunks are still missing")
        tmp = self.out.with_name(f".{self.out.name}.tmp")
        rows = 0
        writer: pq.ParquetWriter | None = None
        try:
            for index in range(len(self.spec.chunks())):
                table = pq.read_table(self._part(index))
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
                writer.write_table(table)
                rows += table.num_rows
        finally:
            if writer is not None:
                writer.close()
        os.replace(tmp, self.out)
        self._write_manifest(complete=True)
        shutil.rmtree(self.parts, ignore_errors=True)
        return rows
