"""Killing `wargame run` leaves nothing running: its workers die with it, by SIGKILL or
SIGTERM, and a SIGTERM stops the batch as Ctrl-C does (what finished is kept, the results
folder is released). A real process tree, read from /proc."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wargame.tui.cli import main

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc"
)


def _parents() -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            out[int(entry.name)] = int(ppid)
    return out


def descendants(pid: int) -> set[int]:
    parents = _parents()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    return pids & set(_parents())


def start_batch(out: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    """`wargame run` on two workers with far more runs than the test waits for; returns the
    process and its descendants once both workers are up and the first chunk is in. Its
    stderr goes to `out` + `.err`."""
    command = [
        sys.executable,
        "-c",
        "import sys; from wargame.tui.cli import main; sys.exit(main())",
    ]
    command += ["run", "madrid-2022", "--runs", str(10**7), "--chunk-size", "2000"]
    command += ["--workers", "2", "--quiet", "--out", str(out)]
    with open(out.with_name("stderr.txt"), "wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    parts = out.with_name(out.name + ".parts")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, out.with_name("stderr.txt").read_text()
        tree = descendants(process.pid)
        if len(tree) >= 2 and parts.exists() and any(parts.glob("*.arrow")):
            return process, tree
        time.sleep(0.2)
    process.kill()
    process.wait()
    raise AssertionError("the batch did not start its workers within two minutes")


def wait_gone(pids: set[int], seconds: float = 15) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def test_sigkill_leaves_no_worker_alive(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the workers notice their parent is gone and exit."""
    process, tree = start_batch(tmp_path / "r.parquet")
    process.kill()
    process.wait(timeout=10)
    assert not wait_gone(tree), f"still alive after the parent was killed: {alive(tree)}"


def test_sigterm_stops_like_ctrl_c(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.parquet"
    process, tree = start_batch(out)
    # while it runs, nobody else may write to its folder
    assert main(["run", "madrid-2022", "--runs", "10", "--out", str(out), "--force"]) == 1
    assert "another wargame run (process " in capsys.readouterr().err
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 130
    err = out.with_name("stderr.txt").read_text()
    assert "interrupted: " in err and "are kept in " in err and "Traceback" not in err
    assert not wait_gone(tree), f"still alive after SIGTERM: {alive(tree)}"
    assert not out.with_name("r.parquet.lock").exists()
    assert main(["run", "madrid-2022", "--runs", "10", "--out", str(out), "--force"]) == 0
