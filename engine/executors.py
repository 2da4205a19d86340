"""Monte Carlo at scale: chunks of runs on local processes or a Dask cluster, streamed to disk.

A `BatchSpec` names everything a chunk's result depends on (scenario file and hash, seed,
chunk layout, sampling design, whether trajectories are kept). `play_chunk(spec, first,
end)` is a pure function of it and runs in any process: it keeps one scenario and one
model per process and returns the chunk's tables as Arrow IPC files (a `PlayedChunk`),
bytes that a results store writes to disk as they are. `run_chunks` hands chunks to an
executor (this process, a pool of processes, or Dask), redoes the chunks of a worker that
died, and passes each finished chunk to a callback, in whatever order they finish. The
results never depend on which worker played which chunk.

Local workers die with the process that started them, however it ends: on Linux the
kernel kills them when their parent dies (PR_SET_PDEATHSIG), and everywhere a watchdog
thread in each worker exits when its parent is gone. An interrupted batch stops its
workers at once instead of waiting for the chunks in flight.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any, Protocol, cast

import numpy as np
import pyarrow as pa

from wargame.engine import ENGINE_VERSION
from wargame.engine.chunks import ChunkPlayer, iter_chunks
from wargame.engine.errors import RuntimeFailure, UsageError
from wargame.engine.lifetime import die_with_parent, exit_without_final_collection
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario

__all__ = [
    "BATCH_KEY",
    "BatchSpec",
    "Executor",
    "PlayedChunk",
    "digest_of",
    "play_chunk",
    "run_chunks",
    "table_from_ipc",
]

MAX_RETRIES = 3
LIVENESS_CHECK = 1.0  # seconds between looks for a worker that died unnoticed
BATCH_KEY = b"wargame.batch"  # in the metadata of every table a batch writes: its digest


@dataclass(frozen=True)
class BatchSpec:
    """Everything a chunk's results depend on; equal specs give equal results, anywhere."""

    scenario: str  # a bundled name or an absolute path, loaded by each worker
    scenario_sha256: str
    seed: int
    runs: int
    chunk_size: int
    design: Mapping[str, Any] = field(
        default_factory=lambda: {"kind": "none", "runs": 1, "seed": 0}
    )
    temperatures: Mapping[str, float] = field(default_factory=dict)
    draw_group: int = 1  # runs sharing their random draws (see ChunkPlayer)
    engine_version: str = ENGINE_VERSION
    trajectories: bool = False  # also keep every indicator at the end of every turn

    def chunks(self) -> list[tuple[int, int]]:
        return list(iter_chunks(0, self.runs, self.chunk_size))

    def describe(self) -> dict[str, Any]:
        return asdict(self)

    def digest(self) -> bytes:
        """What tags this batch's tables, so that a resumed batch never takes another's."""
        return digest_of(self.describe())


def digest_of(description: Mapping[str, Any]) -> bytes:
    """The digest of a batch from its description (`BatchSpec.describe`, or a manifest's)."""
    text = json.dumps(description, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest().encode()


@dataclass(frozen=True)
class PlayedChunk:
    """A chunk as a worker returns it: its results and (if the batch keeps them) its
    trajectories as Arrow IPC files, lz4-compressed, tagged with the batch's digest.

    The bytes cross from the worker as they are and become the store's part files as they
    are; the results table is decoded only where it is read (the store's final table)."""

    results_ipc: bytes
    trajectories_ipc: bytes | None = None

    @cached_property
    def results(self) -> pa.Table:
        return table_from_ipc(self.results_ipc)


_PLAYERS: dict[str, ChunkPlayer] = {}


def _player(spec: BatchSpec) -> ChunkPlayer:
    """This process's player for the spec: one scenario and one model, built once."""
    key = json.dumps(spec.describe(), sort_keys=True)
    player = _PLAYERS.get(key)
    if player is None:
        scenario = load_scenario(spec.scenario)
        if scenario.digest != spec.scenario_sha256:
            raise RuntimeFailure(
                f"the scenario {spec.scenario!r} on this worker differs from the one the batch "
                f"was started with (sha256 {scenario.digest[:12]}…, expected "
                f"{spec.scenario_sha256[:12]}…)"
            )
        design = Design.from_description(scenario, spec.design)
        _PLAYERS.clear()  # one batch at a time per process: never keep old models alive
        player = _PLAYERS[key] = ChunkPlayer(
            scenario, spec.seed, design, spec.temperatures, spec.draw_group
        )
    return player


def play_chunk(
    spec: BatchSpec, first: int, end: int, inputs: Mapping[str, np.ndarray] | None = None
) -> PlayedChunk:
    """Play runs [first, end) of the batch: its results table and, if the spec keeps them,
    its trajectories table (one record batch per turn)."""
    player = _player(spec)
    tag = spec.digest()
    if not spec.trajectories:
        return PlayedChunk(_ipc(player.play(first, end, inputs), tag))
    results, trajectories = player.play_with_trajectories(first, end, inputs)
    return PlayedChunk(_ipc(results, tag), _ipc(trajectories, tag))


def _ipc(table: pa.Table, tag: bytes) -> bytes:
    """The table as an IPC file, one record batch per chunk of the table, compressed: a
    chunk's trajectories are ten times its results, and every copy of them on the way to
    the writer (pickling, the pipe, the futures in flight, the part file) counts."""
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), BATCH_KEY: tag})
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression="lz4" if pa.Codec.is_available("lz4") else None)
    with pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    data: bytes = sink.getvalue().to_pybytes()
    return data


def table_from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_file(pa.py_buffer(data)).read_all()


class Executor(Protocol):
    """Where chunks run: this process, local processes, or a Dask cluster."""

    workers: int

    def submit(self, fn: Callable[..., PlayedChunk], *args: Any) -> Future[PlayedChunk]: ...

    def wait_any(self, futures: list[Any]) -> set[Any]: ...

    def restart(self) -> None: ...

    def close(self, cancel: bool) -> None: ...


class InlineExecutor:
    """Plays each chunk in this process when asked: no start-up cost, one core."""

    workers = 1

    def submit(self, fn: Callable[..., PlayedChunk], *args: Any) -> Future[PlayedChunk]:
        future: Future[PlayedChunk] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future

    def wait_any(self, futures: list[Any]) -> set[Any]:
        return set(futures)

    def restart(self) -> None:
        pass

    def close(self, cancel: bool) -> None:
        pass


def _worker_init(parent: int, deathsig: bool) -> None:
    """Workers leave Ctrl-C to the parent, which stops them cleanly, and die with it (only
    by the death signal when the pool was made by the main thread: the signal follows the
    thread that started the worker, not the process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent, deathsig)
    exit_without_final_collection()


class ProcessExecutor:
    """A pool of local processes (spawned: Mesa sets that start method anyway)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        main = threading.current_thread() is threading.main_thread()
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(os.getpid(), main),
        )

    def submit(self, fn: Callable[..., PlayedChunk], *args: Any) -> Future[PlayedChunk]:
        return self._pool.submit(fn, *args)

    def wait_any(self, futures: list[Any]) -> set[Any]:
        """The futures done once one is. A worker that died while it sent a chunk leaves the
        pool's reader waiting for the rest of the message, unaware of the death: then the
        workers are stopped, which ends the wait with the pool broken (see `_stop_workers`)."""
        while True:
            done = wait(futures, timeout=LIVENESS_CHECK, return_when=FIRST_COMPLETED).done
            if done or not futures:
                return done
            if any(process.exitcode is not None for process in self._workers()):
                self._stop_workers()

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def close(self, cancel: bool) -> None:
        with _signals_held():
            if cancel:  # the chunks in flight would be thrown away: stop them now
                self._stop_workers()
            self._pool.shutdown(wait=True, cancel_futures=cancel)

    def _workers(self) -> list[multiprocessing.Process]:
        """The pool's worker processes (none once it is shut down)."""
        return list((getattr(self._pool, "_processes", None) or {}).values())

    def _stop_workers(self) -> None:
        """Kill the workers, and free the pool's reader of a chunk one of them was sending.

        A worker killed while it sent a chunk (by Ctrl-C here, or by the system) leaves half
        a message in the results pipe. This process holds the pipe's writing end too (every
        pool does), so the pool's reader would wait for the rest of the message forever,
        and `shutdown` with it (Ctrl-C hung `wargame run`). Once the workers are dead,
        closing that end lets the reader see the pipe's end: the pool is broken, and its
        chunks are played again or dropped.
        """
        processes = self._workers()
        for process in processes:
            with contextlib.suppress(OSError, AttributeError):
                process.terminate()
        for process in processes:
            with contextlib.suppress(OSError, AttributeError, ValueError):
                process.join(5)
        writer = getattr(getattr(self._pool, "_result_queue", None), "_writer", None)
        if writer is not None:
            with contextlib.suppress(OSError):
                writer.close()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done, then arrive as they would have.

    Stopping a pool must not be cut short: a pool left with a blocked reader makes the
    process's exit wait for it forever. A second Ctrl-C pressed while the first is handled,
    or `timeout -s INT` (which signals the process, then its process group), would land in
    the middle of the first's clean-up.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    kept = {sig: signal.signal(sig, lambda sig, _: held.append(sig)) for sig in _HELD}
    try:
        yield
    finally:
        for sig, handler in kept.items():
            signal.signal(sig, handler)
        for number in dict.fromkeys(held):
            signal.raise_signal(number)


_HELD = (signal.SIGINT, signal.SIGTERM)


class DaskExecutor:
    """Chunks as tasks on an existing Dask cluster; Dask reruns a dead worker's tasks."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError(
                "--scheduler needs dask.distributed: pip install 'wargame[dask]'"
            ) from None
        try:
            self._client = Client(address, timeout="10s")
        except ValueError as exc:
            raise UsageError(f"--scheduler {address}: not a Dask address ({exc})") from None
        except (OSError, TimeoutError) as exc:
            raise RuntimeFailure(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.workers = max(1, sum(self._client.nthreads().values()))

    def submit(self, fn: Callable[..., PlayedChunk], *args: Any) -> Future[PlayedChunk]:
        # a distributed.Future: it has what run_chunks uses of concurrent.futures.Future
        future: Any = self._client.submit(fn, *args, pure=False, retries=MAX_RETRIES)
        return cast(Future[PlayedChunk], future)

    def wait_any(self, futures: list[Any]) -> set[Any]:
        from distributed import wait as dask_wait

        return set(dask_wait(futures, return_when="FIRST_COMPLETED").done)

    def restart(self) -> None:
        pass

    def close(self, cancel: bool) -> None:
        self._client.close()


def make_executor(workers: int, scheduler: str | None) -> Executor:
    if scheduler:
        return DaskExecutor(scheduler)
    if workers <= 1:
        return InlineExecutor()
    return ProcessExecutor(workers)


def run_chunks(
    spec: BatchSpec,
    chunk_indices: Iterable[int],
    executor: Executor,
    on_done: Callable[[int, PlayedChunk], None],
    inputs_for: Callable[[int, int], Mapping[str, np.ndarray]] | None = None,
) -> None:
    """Play the given chunks of the batch and hand each finished one to `on_done`.

    At most two chunks per worker are in flight, so memory stays bounded. A chunk whose
    worker died is played again (up to MAX_RETRIES times). Ctrl-C cancels what has not
    started; what finished has already been handed over.
    """
    layout = spec.chunks()
    queue = list(chunk_indices)
    queue.reverse()
    running: dict[Future[PlayedChunk], int] = {}
    tries: dict[int, int] = {}

    def submit(index: int) -> None:
        first, end = layout[index]
        extra = (inputs_for(first, end),) if inputs_for is not None else ()
        running[executor.submit(play_chunk, spec, first, end, *extra)] = index

    try:
        while queue or running:
            broken = False
            while queue and len(running) < 2 * executor.workers and not broken:
                index = queue.pop()
                try:
                    submit(index)
                except BrokenProcessPool:  # a worker died since the last chunk finished
                    queue.append(index)
                    broken = True
            lost = []
            for future in sorted(executor.wait_any(list(running)), key=running.__getitem__):
                index = running.pop(future)
                try:
                    chunk = future.result()
                except BrokenProcessPool:
                    lost.append(index)
                    continue
                on_done(index, chunk)
            if lost or broken:
                lost += list(running.values())  # the whole pool went down with the worker
                running.clear()
                for index in lost:
                    tries[index] = tries.get(index, 0) + 1
                    if tries[index] > MAX_RETRIES:
                        raise RuntimeFailure(
                            f"chunk {index} failed {MAX_RETRIES} times: a worker died each time"
                        )
                executor.restart()
                queue.extend(sorted(set(lost), reverse=True))
    except BaseException:
        executor.close(cancel=True)
        raise
    executor.close(cancel=False)
