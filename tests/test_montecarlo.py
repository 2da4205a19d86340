"""Monte Carlo at scale: identical results (and trajectories) whatever the chunking,
workers or cluster; interrupted batches resume; dead workers' chunks are redone; sampling
designs hold."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.half_sent import send_half_then
from wargame.engine.chunks import trajectory_schema
from wargame.engine.compiled import Scenario
from wargame.engine.errors import WargameError
from wargame.engine.executors import (
    BatchSpec,
    InlineExecutor,
    PlayedChunk,
    ProcessExecutor,
    run_chunks,
)
from wargame.engine.sampling import Design
from wargame.engine.store import ResultStore, trajectories_path
from wargame.tui.cli import main

RUNS = 2400


def run(out: Path, *extra: str) -> None:
    args = ["run", "madrid-2022", "--runs", str(RUNS), "--seed", "3", "--out", str(out), "--quiet"]
    assert main([*args, *extra]) == 0


# every number with a range (the actors' included) drawn per run, and every indicator at
# every turn kept: still the same tables
SAMPLED = ("--sample", "uniform", "--trajectories")


def tables(out: Path) -> tuple[pa.Table, pa.Table]:
    """A batch's results and its trajectories, as written."""
    return pq.read_table(out), pq.read_table(trajectories_path(out))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[pa.Table, pa.Table]:
    """One process, one chunk: the tables every other way of running must equal."""
    out = tmp_path_factory.mktemp("ref") / "r.parquet"
    run(out, *SAMPLED, "--workers", "1", "--chunk-size", str(RUNS))
    return tables(out)


@pytest.mark.parametrize(
    ("workers", "chunk"), [("1", "100"), ("1", "777"), ("2", "300"), ("2", "1000")]
)
def test_results_are_identical_whatever_the_chunks_and_workers(
    reference: tuple[pa.Table, pa.Table], tmp_path: Path, workers: str, chunk: str
) -> None:
    out = tmp_path / "r.parquet"
    run(out, *SAMPLED, "--workers", workers, "--chunk-size", chunk)
    results, trajectories = tables(out)
    assert results.equals(reference[0])
    assert trajectories.equals(reference[1])
    assert trajectories.num_rows == RUNS * 9  # the start and the end of 8 turns


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def dask_cluster() -> str:
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1."""
    pytest.importorskip(
        "distributed", reason="the dask extra is not installed (pip install '.[dask]')"
    )
    dask = shutil.which("dask", path=str(Path(sys.executable).parent))
    if dask is None:
        pytest.skip("the `dask` command is not installed beside this Python")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = ["--no-dashboard"]
    processes = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), *common],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    for _ in range(2):
        processes.append(
            subprocess.Popen(
                [dask, "worker", address, "--nthreads", "1", "--nworkers", "1", *common],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    from distributed import Client

    try:
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.filterwarnings("ignore")  # distributed warns about its own shutdown and ports
def test_a_dask_cluster_gives_the_same_table(
    reference: tuple[pa.Table, pa.Table], tmp_path: Path, dask_cluster: str
) -> None:
    out = tmp_path / "dask.parquet"
    run(out, *SAMPLED, "--scheduler", dask_cluster, "--chunk-size", "500")
    results, trajectories = tables(out)
    assert results.equals(reference[0])
    assert trajectories.equals(reference[1])


def _spec(scenario: Scenario, chunk: int = 300, trajectories: bool = True) -> BatchSpec:
    design = Design(scenario, "uniform", seed=3, runs=RUNS)
    return BatchSpec(
        "madrid-2022",
        scenario.digest,
        3,
        RUNS,
        chunk,
        design.describe(),
        trajectories=trajectories,
    )


def test_an_interrupted_batch_resumes_to_the_same_table(
    baseline: Scenario, reference: tuple[pa.Table, pa.Table], tmp_path: Path
) -> None:
    """Ctrl-C after three chunks keeps them (and their trajectories); --resume plays only
    the rest."""
    out = tmp_path / "r.parquet"
    spec = _spec(baseline)
    store = ResultStore(
        out, spec, {"scenario_id": baseline.id}, trajectory_schema=trajectory_schema(baseline)
    )
    store.start(resume=False, force=False)
    played = []

    def keep(index: int, chunk: PlayedChunk) -> None:
        store.add(index, chunk)
        played.append(index)
        if len(played) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_chunks(spec, store.missing(), InlineExecutor(), keep)
    store.close()  # as the interrupted process does when it exits
    manifest = json.loads(store.manifest_path.read_text())
    assert manifest["done"] == [0, 1, 2] and manifest["complete"] is False
    assert sorted(p.name for p in store.parts.glob("*.trajectories.arrow")) == [
        f"part-00000{i}.trajectories.arrow" for i in range(3)
    ]
    assert not out.exists()
    run(out, *SAMPLED, "--resume", "--chunk-size", "300", "--workers", "1")
    results, trajectories = tables(out)
    assert results.equals(reference[0])
    assert trajectories.equals(reference[1])


def test_resume_refuses_results_from_another_batch(
    baseline: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.parquet"
    store = ResultStore(out, _spec(baseline), {}, trajectory_schema=trajectory_schema(baseline))
    store.start(resume=False, force=False)
    store.close()
    args = [
        "run",
        "madrid-2022",
        "--runs",
        str(RUNS),
        "--out",
        str(out),
        "--chunk-size",
        "300",
        "--quiet",
        "--resume",
    ]
    assert main([*args, *SAMPLED, "--seed", "4"]) == 2
    assert "cannot resume" in capsys.readouterr().err
    assert main([*args, "--seed", "3", "--trajectories"]) == 2
    assert "it was started with other --sample, inputs varied (the batch's --sample: " in (
        capsys.readouterr().err
    )
    assert main([*args, "--sample", "uniform", "--seed", "3"]) == 2
    assert "cannot resume" in (err := capsys.readouterr().err)
    assert "it was started with --trajectories" in err
    manifest = json.loads(store.manifest_path.read_text())
    manifest["spec"]["engine_version"] = "0.0.1"
    store.manifest_path.write_text(json.dumps(manifest))
    assert main([*args, *SAMPLED, "--seed", "3"]) == 2
    assert "engine_version = '0.0.1'" in capsys.readouterr().err
    assert main(["run", "madrid-2022", "--runs", "10", "--out", str(out), "--quiet"]) == 2
    assert "already exists: add --resume" in capsys.readouterr().err


def test_a_dead_workers_chunks_are_redone(
    baseline: Scenario, reference: tuple[pa.Table, pa.Table]
) -> None:
    """SIGKILL one worker after the first chunk: the table is still complete and identical."""
    spec = _spec(baseline, chunk=200, trajectories=False)
    kept: dict[int, pa.Table] = {}
    killed = []

    def keep(index: int, chunk: PlayedChunk) -> None:
        kept[index] = chunk.results
        if not killed:
            victim = multiprocessing.active_children()[0]
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)
            time.sleep(0.2)

    run_chunks(spec, range(len(spec.chunks())), ProcessExecutor(2), keep)
    assert killed
    joined = pa.concat_tables([kept[i] for i in sorted(kept)])
    assert joined.equals(reference[0])


def _within(seconds: float, call: Callable[[], object]) -> object:
    """`call()`'s result, or a failure (not a hung suite) when it takes longer."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"still waiting after {seconds} s"
    return box[0]


def test_a_worker_that_dies_while_sending_a_chunk_breaks_the_pool() -> None:
    """Half a chunk in the pipe and a dead worker: the pool's own reader waits for the rest
    forever; the wait notices the death, and the chunk fails like any dead worker's (and
    run_chunks plays it again)."""
    executor = ProcessExecutor(2)
    try:
        future = executor.submit(send_half_then, "die")
        done = _within(30, lambda: executor.wait_any([future]))
        assert done == {future}
        with pytest.raises(BrokenProcessPool):
            future.result()
    finally:
        _within(30, lambda: executor.close(cancel=True))


def test_stopping_a_worker_while_it_sends_a_chunk_does_not_hang() -> None:
    """Ctrl-C while a worker is halfway through sending a chunk: the batch stops at once."""
    executor = ProcessExecutor(2)
    future = executor.submit(send_half_then, "hang")
    time.sleep(1.5)  # the worker is up and has sent half its result
    assert not future.done()
    _within(30, lambda: executor.close(cancel=True))


def test_a_second_ctrl_c_waits_until_the_workers_are_stopped() -> None:
    """Ctrl-C pressed twice (or `timeout -s INT`, which signals the process and then its
    group): the second arrives once the pool is stopped, not halfway through stopping it."""
    executor = ProcessExecutor(2)
    stop = executor._stop_workers
    reached = []

    def interrupted_stop() -> None:
        signal.raise_signal(signal.SIGINT)
        stop()
        reached.append("stopped")

    executor._stop_workers = interrupted_stop  # type: ignore[method-assign]
    executor.submit(time.sleep, 0.1).result()
    with pytest.raises(KeyboardInterrupt):
        executor.close(cancel=True)
    assert reached == ["stopped"]


@pytest.mark.parametrize("kind", ["uniform", "lhs", "sobol", "grid"])
def test_designs_record_their_inputs_and_replay(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each design's inputs are columns; chunking does not change them; replay --results
    gives the run's row back, sampled inputs included."""
    out, other = tmp_path / "a.parquet", tmp_path / "b.parquet"
    extra = ["--sample", kind, "--set", "threat_step=17", "--workers", "1"]
    if kind == "grid":
        extra += ["--vary", "p_restraint_2024,turkey.turkey_access.ideal", "--levels", "4"]
    run(out, *extra, "--chunk-size", "1000")
    run(other, *extra, "--chunk-size", "333")
    table = pq.read_table(out)
    assert table.equals(pq.read_table(other))
    inputs = [c for c in table.column_names if c.startswith("input_")]
    assert "input_p_restraint_2024" in inputs and "input_threat_step" not in inputs
    drawn = table.column("input_p_restraint_2024").to_numpy()
    assert drawn.min() >= 0.25 and drawn.max() <= 0.65 and len(np.unique(drawn)) > 1
    # the actors' numbers are inputs too
    ideal = table.column("input_turkey.turkey_access.ideal").to_numpy()
    assert ideal.min() >= 80 and ideal.max() <= 100 and len(np.unique(ideal)) > 1
    capsys.readouterr()
    assert (
        main(["replay", "madrid-2022", "--results", str(out), "--run", "1234", "--format", "json"])
        == 0
    )
    row = json.loads(capsys.readouterr().out)
    assert row.pop("trajectory")[-1]["unity"] == row["unity"]
    assert row == table.slice(1234, 1).to_pylist()[0]


def test_latin_hypercube_fills_every_stratum(baseline: Scenario) -> None:
    design = Design(baseline, "lhs", seed=9, runs=5000)
    values = design.inputs(np.arange(5000))["threat_step"]  # range 10..30
    strata = np.floor((values - 10) / 20 * 5000).astype(int)
    assert sorted(strata.tolist()) == list(range(5000))


def test_unknown_inputs_are_refused(baseline: Scenario) -> None:
    with pytest.raises(WargameError, match="did you mean 'threat_step'"):
        Design(baseline, "uniform", fixed={"threat_stp": 20.0})
    with pytest.raises(WargameError, match=r"did you mean 'turkey\.temperature'"):
        Design(baseline, "uniform", fixed={"turkey.temprature": 0.5})
    with pytest.raises(WargameError, match=r"outside its declared range, \[0.5, 0.9\]"):
        Design(baseline, "uniform", fixed={"p_house_flip": 1.5})
    with pytest.raises(WargameError, match="outside its declared range"):
        Design(baseline, "uniform", fixed={"p_house_flip": float("nan")})
    with pytest.raises(WargameError, match="no input with a range"):
        Design(baseline, "uniform", vary=("unity",))


def test_summary_breaks_down_by_branch_and_draws_histograms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.parquet"
    run(out, "--workers", "1")
    capsys.readouterr()
    plots = tmp_path / "plots"
    assert (
        main(
            ["summary", str(out), "--by", "posture_choice", "--hist", "unity", "--plot", str(plots)]
        )
        == 0
    )
    text = capsys.readouterr().out
    for expected in [
        "95% CI",
        "How runs ended",
        "Outcomes by midterms_2022",
        "Outcomes by election_2024",
        "Outcomes by posture_choice",
        "unity: 2,400 runs",
        "ratified",
    ]:
        assert expected in text, expected
    assert sorted(p.name for p in plots.iterdir()) == [
        "burden_sharing.png",
        "deterrence.png",
        "unity.png",
    ]
    assert (plots / "unity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_summary_of_a_file_that_is_not_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "r.parquet"
    bad.write_text("not parquet")
    assert main(["summary", str(bad)]) == 2
    assert "is not a readable Parquet results file" in capsys.readouterr().err


def test_sensitivity_ranks_the_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    """The chance of a restraint president drives unity more than the sizes of what a restraint
    administration does, or than its preferences."""
    assert (
        main(
            [
                "sensitivity",
                "madrid-2022",
                "--samples",
                "64",
                "--seed",
                "2",
                "--quiet",
                "--workers",
                "1",
                "--outcomes",
                "unity,burden_sharing",
                "--top",
                "3",
                "--vary",
                "p_restraint_2024,threat_step,aid_fatigue,pledge_growth,"
                "us_administration.admin_restraint.us_commitment.ideal",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Sobol indices for madrid-2022: 64 base samples" in out
    unity = out[out.index("unity: inputs ranked") : out.index("burden_sharing: inputs ranked")]
    first = next(line for line in unity.splitlines() if "±" in line)
    assert "p_restraint_2024" in first
    assert main(["sensitivity", "madrid-2022", "--samples", "100", "--quiet"]) == 2
    assert "must be a power of 2" in capsys.readouterr().err


def test_sensitivity_of_an_outcome_that_never_varies_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Greece and Cyprus score the same in every run of madrid-2022: SALib would divide by
    its zero variance (a warning) and rank every input 0 +- 0, as if each were measured to
    matter nothing."""
    argv = ["sensitivity", "madrid-2022", "--samples", "32", "--quiet", "--workers", "1"]
    argv += ["--vary", "p_house_flip,p_restraint_2024", "--outcomes", "score_greece_cyprus,unity"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(argv) == 0
    out = capsys.readouterr().out
    assert "score_greece_cyprus: the same in every run: no variance" in out
    assert "unity: inputs ranked by total index" in out
    assert main([*argv, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["constant"] == ["score_greece_cyprus"]
    assert {row["outcome"] for row in document["indices"]} == {"unity"}
