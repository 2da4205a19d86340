"""Where a batch's results live on disk while it runs, and how it resumes.

    results.parquet                  the final table, written when every chunk is in
    results.parquet.manifest.json    what produced it, and which chunks are done
    results.parquet.parts/           one Parquet file per finished chunk, until the end
    results.parquet.lock             held (flock) by the one run writing here

Each part and the manifest are written to a temporary name and renamed, so a crash
leaves either the old file or the new one. One run at a time writes to a results
folder: a second `run`, `--resume` or `--force` into it is refused while the lock is
held (the operating system releases it when the holder dies, even by SIGKILL). A
resumed batch plays only the chunks the manifest lists and whose part files check out
(readable, the expected columns, exactly the chunk's runs, written by this batch), and
refuses results made from another scenario, seed, layout, design or engine version.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from wargame.engine.errors import RecordError, ResultsError, RuntimeFailure
from wargame.engine.executors import BatchSpec
from wargame.engine.files import os_reason
from wargame.engine.records import ManifestRecord, read_record

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
_BATCH_KEY = b"wargame.batch"  # a part's Parquet metadata: the sha256 of its batch's spec


def manifest_path(results: Path) -> Path:
    return results.with_name(results.name + ".manifest.json")


def read_manifest(results: Path) -> dict[str, Any]:
    """The manifest beside a results file, checked by its schema; a clear error when it is
    missing, unreadable or damaged."""
    path = manifest_path(results)
    if not path.exists() and not path.is_symlink():
        raise ResultsError(f"no manifest beside {results} (expected {path.name})")
    try:
        return read_record(path, ManifestRecord).model_dump()
    except RecordError as exc:
        raise ResultsError(f"{path} is not a usable wargame results manifest: {exc}") from None


def _batch_digest(spec: BatchSpec) -> bytes:
    return hashlib.sha256(json.dumps(spec.describe(), sort_keys=True).encode()).hexdigest().encode()


def _failed(action: str, path: Path, exc: OSError) -> RuntimeFailure:
    return RuntimeFailure(f"cannot {action} {path}: {os_reason(exc)}")


class ResultStore:
    """A batch's results directory: lock, parts, manifest, and the final table."""

    def __init__(
        self,
        out: Path,
        spec: BatchSpec,
        extra: dict[str, Any] | None = None,
        schema: pa.Schema | None = None,
    ) -> None:
        self.out = out
        self.spec = spec
        self.parts = out.with_name(out.name + ".parts")
        self.manifest_path = manifest_path(out)
        self.lock_path = out.with_name(out.name + ".lock")
        self.extra = extra or {}
        self.schema = schema  # the columns every part must have, when known
        self.done: set[int] = set()
        self._lock: int | None = None
        self._batch = _batch_digest(spec)

    # -- one writer at a time ----------------------------------------------------------------

    def lock(self) -> None:
        """Take the results folder for this run, or refuse if another run holds it."""
        if self._lock is not None:
            return
        while True:
            try:
                self.out.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise _failed("create the lock file", self.lock_path, exc) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
                os.close(fd)
                raise RuntimeFailure(
                    f"another wargame run (process {holder}) is writing to {self.out}: wait "
                    "for it to finish or stop it, or choose another --out"
                ) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.lock_path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a lock file that its last holder removed meanwhile
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._lock = fd

    def close(self) -> None:
        """Release the folder (the lock file goes with it)."""
        if self._lock is None:
            return
        # in a read-only folder the file stays; the lock itself goes with the descriptor
        with contextlib.suppress(OSError):
            self.lock_path.unlink(missing_ok=True)
        os.close(self._lock)
        self._lock = None

    # -- starting and resuming -------------------------------------------------------------

    def start(self, *, resume: bool, force: bool) -> None:
        """Begin a new batch, or pick up an interrupted one; never clobber results silently."""
        self.lock()
        if resume:
            self._resume()
            return
        if (self.out.exists() or self.manifest_path.exists() or self.parts.exists()) and not force:
            raise ResultsError(
                f"{self.out} (or its manifest or parts) already exists: add --resume to finish an "
                "interrupted batch, --force to replace it, or choose another --out"
            )
        try:
            for path in (self.out, self.manifest_path):
                path.unlink(missing_ok=True)
            shutil.rmtree(self.parts, ignore_errors=True)
            self.parts.mkdir(parents=True)
        except OSError as exc:
            raise _failed("replace the results in", self.out.parent, exc) from None
        self._write_manifest()

    def _resume(self) -> None:
        try:
            manifest = read_manifest(self.out)
        except ResultsError as exc:
            raise ResultsError(
                f"cannot resume: {exc}; delete it and {self.parts.name}, or run with --force"
            ) from None
        recorded = manifest["spec"]
        wanted = self.spec.describe()
        for key in _MUST_MATCH:
            if json.dumps(recorded.get(key), sort_keys=True) != json.dumps(
                wanted[key], sort_keys=True
            ):
                raise ResultsError(
                    f"cannot resume {self.out}: it was made with {key} = {recorded.get(key)!r}, "
                    f"this run has {wanted[key]!r}"
                )
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
            for leftover in self.parts.glob("*.tmp"):  # a part being written when it stopped
                leftover.unlink()
        except OSError as exc:
            raise _failed("prepare", self.parts, exc) from None
        self.done = {i for i in manifest["done"] if self._part(i).exists() and self._check_part(i)}

    def _check_part(self, index: int) -> bool:
        """A part the manifest lists must be this batch's chunk, whole; else say what to do."""
        layout = self.spec.chunks()
        part = self._part(index)
        if not 0 <= index < len(layout):
            return False
        first, end = layout[index]
        try:
            if not part.is_file():
                raise ValueError("it is not a file")
            metadata = pq.read_schema(part).metadata or {}
            if metadata.get(_BATCH_KEY) != self._batch:
                raise ValueError("it was written by another batch")
            schema = pq.read_schema(part)
            if self.schema is not None and not schema.equals(self.schema, check_metadata=False):
                raise ValueError("its columns are not this batch's")
            runs = pq.read_table(part, columns=["run"]).column("run").to_numpy()
            if not np.array_equal(runs, np.arange(first, end)):
                raise ValueError(f"it does not hold exactly runs {first} to {end - 1}")
        except Exception as exc:  # pyarrow raises several kinds for a damaged file
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise ResultsError(
                f"cannot resume {self.out}: {part} is damaged ({reason}); delete it and run "
                "again with --resume to play that chunk again, or use --force to start over"
            ) from None
        return True

    # -- while running ---------------------------------------------------------------------

    def _part(self, index: int) -> Path:
        return self.parts / f"part-{index:06d}.parquet"

    def missing(self) -> list[int]:
        return [i for i in range(len(self.spec.chunks())) if i not in self.done]

    def add(self, index: int, table: pa.Table) -> None:
        """Keep a finished chunk: its part file first, then the manifest that lists it."""
        part = self._part(index)
        tmp = part.with_name(part.name + ".tmp")
        tagged = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), _BATCH_KEY: self._batch}
        )
        try:
            pq.write_table(tagged, tmp, compression="zstd")
            os.replace(tmp, part)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _failed("write", part, exc) from None
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
        try:
            tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, self.manifest_path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _failed("write", self.manifest_path, exc) from None

    # -- at the end ------------------------------------------------------------------------

    def finish(self) -> int:
        """Join the parts in run order into the final table; returns its row count."""
        if self.missing():
            raise ResultsError(f"{len(self.missing())} chunks are still missing")
        tmp = self.out.with_name(f".{self.out.name}.tmp")
        rows = 0
        writer: pq.ParquetWriter | None = None
        try:
            for index in range(len(self.spec.chunks())):
                table = pq.read_table(self._part(index))
                table = table.replace_schema_metadata(None)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
                writer.write_table(table)
                rows += table.num_rows
            if writer is not None:
                writer.close()
                writer = None
            os.replace(tmp, self.out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _failed("write", self.out, exc) from None
        finally:
            if writer is not None:
                writer.close()
        self._write_manifest(complete=True)
        shutil.rmtree(self.parts, ignore_errors=True)
        return rows
