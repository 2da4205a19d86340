"""Results folders that cannot be silently corrupted: one writer at a time, every part
checked on resume, the manifest checked by its schema, write failures said plainly."""

from __future__ import annotations

import errno
import json
import shlex
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wargame.engine.compiled import Scenario
from wargame.engine.errors import ResultsError, RuntimeFailure
from wargame.engine.executors import BATCH_KEY, BatchSpec, play_chunk
from wargame.engine.sampling import Design
from wargame.engine.store import ResultStore
from wargame.tui.cli import main

RUNS = 900
CHUNK = 300


def spec(scenario: Scenario, seed: int = 3) -> BatchSpec:
    design = Design(scenario, "none", seed=seed, runs=RUNS)
    return BatchSpec("madrid-2022", scenario.digest, seed, RUNS, CHUNK, design.describe())


def run_args(out: Path, *extra: str) -> list[str]:
    return [
        "run",
        "madrid-2022",
        "--runs",
        str(RUNS),
        "--seed",
        "3",
        "--chunk-size",
        str(CHUNK),
        "--workers",
        "1",
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished batch and, beside it, its parts kept back before they were joined."""
    folder = tmp_path_factory.mktemp("complete")
    out = folder / "r.parquet"
    assert main(run_args(out)) == 0
    return out


def read_ipc(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def write_ipc(table: pa.Table, path: Path) -> None:
    """Write a part as a worker does, with the batch's tag the table carries."""
    assert BATCH_KEY in (table.schema.metadata or {})
    with pa.ipc.new_file(str(path), table.schema) as writer:
        writer.write_table(table)


def interrupted(folder: Path, scenario: Scenario, seed: int = 3, chunks: int = 2) -> ResultStore:
    """A results folder left by a batch stopped after `chunks` chunks (its lock released)."""
    out = folder / "r.parquet"
    batch = spec(scenario, seed)
    store = ResultStore(out, batch, {"scenario_id": scenario.id})
    store.start(resume=False, force=False)
    for index, (first, end) in enumerate(batch.chunks()[:chunks]):
        store.add(index, play_chunk(batch, first, end))
    store.close()
    return store


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(
    baseline: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two --resume at once left an unreadable file and a manifest saying 'complete'; a
    --force with another seed mixed two batches. Now the second is refused at once."""
    out = tmp_path / "r.parquet"
    first = ResultStore(out, spec(baseline), {})
    first.start(resume=False, force=False)
    for extra in ([], ["--force"], ["--resume"]):
        assert main(run_args(out, *extra)) == 1
        err = capsys.readouterr().err
        assert err.startswith("wargame: another wargame run (process ")
        assert f"is writing to {out}: wait for it to finish" in err and "Traceback" not in err
    assert json.loads(first.manifest_path.read_text())["done"] == []  # nothing touched
    first.close()
    assert not first.lock_path.exists()
    assert main(run_args(out, "--resume")) == 0


def test_the_lock_is_released_when_a_run_ends(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    assert main(run_args(out)) == 0
    assert main(run_args(out, "--force")) == 0
    assert not out.with_name("r.parquet.lock").exists()


def test_a_part_from_another_batch_is_refused(
    baseline: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to duplicate runs silently (same runs, another seed)."""
    ours = interrupted(tmp_path / "ours", baseline, seed=3)
    theirs = interrupted(tmp_path / "theirs", baseline, seed=4)
    shutil.copy(theirs.parts / "part-000001.arrow", ours.parts / "part-000001.arrow")
    assert main(run_args(ours.out, "--resume")) == 2
    err = capsys.readouterr().err
    assert err == (
        f"wargame: cannot resume {ours.out}: {ours.parts / 'part-000001.arrow'} is damaged "
        "(it was written by another batch); delete it and run again with --resume to play "
        "that chunk again, or use --force to start over\n"
    )
    (ours.parts / "part-000001.arrow").unlink()
    assert main(run_args(ours.out, "--resume")) == 0


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "other columns", "folder"])
def test_a_damaged_part_is_found_on_resume(
    baseline: Scenario,
    tmp_path: Path,
    complete: Path,
    capsys: pytest.CaptureFixture[str],
    damage: str,
) -> None:
    """An empty part used to drop 2,000 rows silently; a malformed one gave a traceback."""
    store = interrupted(tmp_path, baseline)
    part = store.parts / "part-000000.arrow"
    table = read_ipc(part)
    if damage == "empty":
        write_ipc(table.slice(0, 0), part)  # with this batch's tag: only its rows are lost
        reason = "it does not hold exactly runs 0 to 299"
    elif damage == "garbage":
        part.write_bytes(b"ARROW1 this is not Arrow")
        reason = ""
    elif damage == "truncated":
        part.write_bytes(part.read_bytes()[:300])
        reason = ""
    elif damage == "other columns":
        write_ipc(table.drop_columns(["unity"]), part)
        reason = "its columns are not this batch's"
    else:
        part.unlink()
        part.mkdir()
        reason = "it is not a file"
    assert main(run_args(store.out, "--resume")) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"wargame: cannot resume {store.out}: {part} is damaged (")
    assert reason in err and "Traceback" not in err
    assert "delete it and run again with --resume" in err
    if part.is_dir():
        part.rmdir()
    else:
        part.unlink()
    assert main(run_args(store.out, "--resume")) == 0
    assert pq.read_table(store.out).equals(pq.read_table(complete))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not readable JSON: Expecting property name"),
        ("[1, 2]", "the file: input should be a valid dictionary"),
        ('{"spec": {}}', "scenario: field required"),
        ("[" * 100_000 + "]" * 100_000, "not readable JSON: nested too deeply"),
    ],
)
def test_a_damaged_manifest_is_rebuilt_from_the_parts(
    baseline: Scenario,
    tmp_path: Path,
    complete: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    """Each part carries its batch's digest: the parts that check out say which chunks are
    done, so a damaged manifest costs nothing that was played (it advised deleting them)."""
    store = interrupted(tmp_path, baseline)
    store.manifest_path.write_text(content)
    assert main(run_args(store.out, "--resume")) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"note: {store.manifest_path} is not a usable ")
    assert message in err and "Traceback" not in err
    assert f"rebuilt from the 2 chunks kept in {store.parts}" in err
    assert pq.read_table(store.out).equals(pq.read_table(complete))


def test_a_damaged_manifest_without_parts_says_how_to_go_on(
    baseline: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = interrupted(tmp_path, baseline)
    store.manifest_path.write_text("{not json")
    shutil.rmtree(store.parts)
    assert main(run_args(store.out, "--resume")) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"wargame: cannot resume: {store.manifest_path} is not a usable ")
    assert err.rstrip().endswith("run with --force")
    assert main(run_args(store.out, "--force")) == 0


def test_parts_of_another_batch_are_never_taken_for_a_damaged_manifest(
    baseline: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = interrupted(tmp_path, baseline, seed=4)
    store.manifest_path.write_text("{not json")
    assert main(run_args(store.out, "--resume")) == 2  # this command's batch has seed 3
    assert "it was written by another batch" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (("spec", "runs"), float("inf"), "spec.runs: input should be a valid integer"),
        (("spec", "runs"), 10**12, "spec.runs: input should be less than or equal to 1000000000"),
        (("spec", "seed"), "3", "spec.seed: input should be a valid integer (got '3')"),
        (("spec", "design"), None, "spec.design: input should be a valid dictionary"),
        (("done",), [0, "1"], "done.1: input should be a valid integer"),
        (("spec", "chunk_size"), 0, "spec.chunk_size: input should be greater than or equal to 1"),
    ],
)
def test_a_manifest_with_wrong_types_is_damaged_not_a_traceback(
    baseline: Scenario,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: tuple[str, ...],
    value: object,
    message: str,
) -> None:
    """`Infinity`, a huge number or text where a number belongs: a sentence, not an
    OverflowError or a TypeError, in run --resume, replay --results and summary."""
    store = interrupted(tmp_path, baseline)
    data = json.loads(store.manifest_path.read_text())
    target = data
    for part in field[:-1]:
        target = target[part]
    target[field[-1]] = value
    store.manifest_path.write_text(json.dumps(data))
    store.out.write_bytes(b"")
    assert main(["replay", "madrid-2022", "--run", "1", "--results", str(store.out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    store.out.unlink()
    assert main(run_args(store.out, "--resume")) == 0  # the parts say what was done
    err = capsys.readouterr().err
    assert message in err and "rebuilt from the 2 chunks" in err and "Traceback" not in err


def test_replay_results_checks_the_run_index(
    complete: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", "madrid-2022", "--run", str(RUNS), "--results", str(complete)]) == 2
    assert f"has runs 0 to {RUNS - 1} (got {RUNS})" in capsys.readouterr().err


def test_a_full_disk_is_one_message_and_keeps_what_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No traceback; exit status 1 (the machine failed, not the input); the chunks written
    before the disk filled are kept and the batch resumes once there is room."""

    out = tmp_path / "r.parquet"
    real = Path.write_bytes
    written = []

    def fill_up(path: Path, data: bytes) -> int:
        if path.name.endswith(".arrow.tmp"):
            if len(written) == 2:
                real(path, data[:100])  # the disk filled part of the way through
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(path)
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    assert main(run_args(out)) == 1
    err = capsys.readouterr().err
    parts = out.with_name("r.parquet.parts")
    assert err == (
        f"wargame: cannot write {parts / 'part-000002.arrow'}: the disk is full; 2 of 3 "
        f"chunks (600 runs) are kept in {parts}; finish with: "
        f"{shlex.join(['wargame', *run_args(out)])} --resume\n"
    )
    assert json.loads(out.with_name("r.parquet.manifest.json").read_text())["done"] == [0, 1]
    assert not list(out.with_name("r.parquet.parts").glob("*.tmp"))
    assert not list(tmp_path.glob(".*.tmp"))  # nor the final table begun meanwhile
    monkeypatch.setattr(Path, "write_bytes", real)
    assert main(run_args(out, "--resume")) == 0


def test_a_folder_that_becomes_read_only_mid_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import wargame.engine.store

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(wargame.engine.store.os, "replace", refuse)
    out = tmp_path / "r.parquet"
    assert main(run_args(out)) == 1
    err = capsys.readouterr().err
    assert err.startswith("wargame: cannot write ") and "a read-only file system" in err


def test_store_errors_are_the_documented_kinds(baseline: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    first = ResultStore(out, spec(baseline))
    first.start(resume=False, force=False)
    with pytest.raises(RuntimeFailure, match="another wargame run"):
        ResultStore(out, spec(baseline)).start(resume=True, force=False)
    first.close()
    out.with_name("r.parquet.manifest.json").write_text("{}")
    shutil.rmtree(out.with_name("r.parquet.parts"))  # else the manifest is rebuilt from them
    with pytest.raises(ResultsError, match="cannot resume"):
        ResultStore(out, spec(baseline)).start(resume=True, force=False)


def test_chunks_finishing_out_of_order_give_the_table_in_run_order(
    baseline: Scenario, tmp_path: Path, complete: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The final table is written while the batch runs, each chunk once those before it are
    in: chunks handed over last to first still give the table of `run`, and each of its row
    groups gathers whole chunks; nothing is named `r.parquet` before the last one is in."""
    import wargame.engine.store

    monkeypatch.setattr(wargame.engine.store, "ROW_GROUP_RUNS", 2 * CHUNK)
    batch = spec(baseline)
    store = ResultStore(tmp_path / "r.parquet", batch, {"scenario_id": baseline.id})
    store.start(resume=False, force=False)
    for index, (first, end) in reversed(list(enumerate(batch.chunks()))):
        assert not store.out.exists()
        store.add(index, play_chunk(batch, first, end))
    assert store.finish() == RUNS
    store.close()
    assert pq.read_table(store.out).equals(pq.read_table(complete))
    groups = pq.ParquetFile(store.out).metadata
    assert [groups.row_group(i).num_rows for i in range(groups.num_row_groups)] == [600, 300]


def test_a_resumed_batch_writes_the_final_table_again_from_its_parts(
    baseline: Scenario, tmp_path: Path, complete: Path
) -> None:
    """A stop leaves no half-written final table behind; --resume starts it again from the
    parts it finds, then plays the rest."""
    store = interrupted(tmp_path, baseline)
    assert not list(tmp_path.glob(".*.tmp")) and not store.out.exists()
    assert main(run_args(store.out, "--resume")) == 0
    assert pq.read_table(store.out).equals(pq.read_table(complete))
