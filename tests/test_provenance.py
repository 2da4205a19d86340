"""A results manifest says how to make its results again: the command, when, which code
(versions, git commit) and which scenario; reading the commit never runs git and never
fails."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from wargame.engine import ENGINE_VERSION
from wargame.engine.executors import BatchSpec, play_chunk
from wargame.engine.provenance import git_commit, library_versions
from wargame.engine.records import ManifestRecord, check_record
from wargame.engine.sampling import Design
from wargame.engine.scenario import bundled_scenarios, load_scenario
from wargame.engine.store import ResultStore
from wargame.tui.cli import main

SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"


def manifest(out: Path) -> dict[str, Any]:
    return json.loads(out.with_name(out.name + ".manifest.json").read_text())


def test_the_manifest_records_the_command_versions_times_and_scenario(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    argv = ["run", "madrid-2022", "--runs", "200", "--seed", "9", "--out", str(out), "--quiet"]
    assert main(argv) == 0
    recorded = manifest(out)
    check_record(recorded, ManifestRecord)  # the schema accepts what the store writes
    made = recorded["provenance"]
    assert made["command"] == shlex.join(["wargame", *argv])
    assert made["engine_version"] == ENGINE_VERSION
    assert made["versions"] == library_versions()
    assert set(made["versions"]) == {"python", "numpy", "mesa", "pyarrow"}
    assert made["started"] <= made["finished"] and made["finished"].endswith("Z")
    assert made["scenario_path"] == str(bundled_scenarios()["madrid-2022"].resolve())
    assert made["scenario_sha256"] == recorded["spec"]["scenario_sha256"]
    assert made["resumed"] == []
    here = git_commit(Path(__file__).resolve().parent)
    assert made["git_commit"] == here  # a checkout's commit, or None in an installed copy


def test_a_resumed_batch_keeps_its_start_and_adds_the_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.parquet"
    argv = ["run", "madrid-2022", "--runs", "900", "--chunk-size", "300", "--out", str(out)]
    argv += ["--quiet", "--workers", "1"]
    assert main(argv) == 0
    # as if it had stopped after one chunk: the manifest lists one, not finished
    first = {**manifest(out)["provenance"], "finished": None}
    scenario = load_scenario("madrid-2022")
    design = Design(scenario, "none", seed=1, runs=900)
    spec = BatchSpec("madrid-2022", scenario.digest, 1, 900, 300, design.describe())
    store = ResultStore(out, spec, {"scenario_id": "madrid-2022"}, provenance=first)
    store.start(resume=False, force=True)
    store.add(0, play_chunk(spec, 0, 300))
    store.close()
    stopped = manifest(out)
    assert stopped["provenance"]["finished"] is None and stopped["complete"] is False
    check_record(stopped, ManifestRecord)
    assert main([*argv, "--resume"]) == 0
    done = manifest(out)["provenance"]
    assert done["started"] == first["started"] and done["command"] == first["command"]
    assert [s["command"] for s in done["resumed"]] == [shlex.join(["wargame", *argv, "--resume"])]
    assert done["resumed"][0]["versions"] == library_versions()
    assert done["finished"] is not None


def _repo(root: Path, head: str) -> Path:
    git = root / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text(head)
    return git


def test_a_branch_a_packed_ref_and_a_detached_head(tmp_path: Path) -> None:
    git = _repo(tmp_path, "ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    inside = tmp_path / "scenarios" / "deep"
    inside.mkdir(parents=True)
    assert git_commit(inside) == SHA
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{OTHER} refs/heads/main\n")
    assert git_commit(inside) == OTHER
    (git / "HEAD").write_text(SHA)
    assert git_commit(inside) == SHA


def test_a_worktree_reads_its_own_head_and_the_shared_refs(tmp_path: Path) -> None:
    main_git = _repo(tmp_path / "main", "ref: refs/heads/main\n")
    (main_git / "refs" / "heads" / "feature").write_text(OTHER)
    worktree_git = main_git / "worktrees" / "wt"
    worktree_git.mkdir(parents=True)
    (worktree_git / "HEAD").write_text("ref: refs/heads/feature\n")
    (worktree_git / "commondir").write_text("../..\n")
    checkout = tmp_path / "wt"
    checkout.mkdir()
    (checkout / ".git").write_text(f"gitdir: {worktree_git}\n")
    assert git_commit(checkout) == OTHER


@pytest.mark.parametrize(
    "damage",
    ["no repository", "garbage HEAD", "unknown branch", "ref escapes", "binary", "site-packages"],
)
def test_no_commit_is_none_never_an_error(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    if damage != "no repository":
        git = _repo(folder, "ref: refs/heads/main\n")
        (git / "refs" / "heads" / "main").write_text(SHA)
        if damage == "garbage HEAD":
            (git / "HEAD").write_text("not a ref at all")
        elif damage == "unknown branch":
            (git / "HEAD").write_text("ref: refs/heads/gone\n")
        elif damage == "ref escapes":
            (git / "HEAD").write_text("ref: refs/../../../etc/passwd\n")
        elif damage == "binary":
            (git / "HEAD").write_bytes(b"\xff\xfe\x00")
        elif damage == "site-packages":  # an installed copy inside someone's project
            folder = folder / "venv" / "lib" / "site-packages" / "wargame"
            folder.mkdir(parents=True)
    assert git_commit(folder) is None
