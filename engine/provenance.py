"""What made a batch: the command, when, which code and which scenario, for its manifest.

A results file cited in a paper must say how to make it again: the command line, the
engine's and the libraries' versions, the scenario file and its digest, and the commit of
the checkout the code (and the scenario) came from when there is one.

The commit is read from the repository's files (`.git/HEAD`, its ref, `packed-refs`), never
by running `git`: git is often absent, and running it in a folder that came from someone
else runs that folder's configured hooks and helpers. Uncommitted changes are therefore not
detected. Anything unreadable gives no commit, never an error.
"""

from __future__ import annotations

import platform
import re
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from wargame.engine import ENGINE_VERSION
from wargame.engine.compiled import Scenario
from wargame.engine.errors import FileRefused
from wargame.engine.files import read_limited

__all__ = ["git_commit", "library_versions", "provenance", "utc_now"]

_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_SMALL = 4096  # HEAD, a ref, a .git file
_PACKED_REFS = 16 << 20
# installed packages live here: a repository above them is not the code's checkout
_INSTALL_DIRS = frozenset({"site-packages", "dist-packages"})


def utc_now() -> str:
    """The time now, ISO 8601 in UTC to the second (e.g. 2024-05-01T12:00:00Z)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def library_versions() -> dict[str, str]:
    """Python's and the numeric libraries' versions: what a chunk's numbers depend on."""
    versions = {"python": platform.python_version()}
    for name in ("numpy", "mesa", "pyarrow"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def provenance(scenario: Scenario, command: str) -> dict[str, Any]:
    """The manifest's `provenance` for a batch started now by `command`."""
    code = Path(__file__).resolve().parent
    return {
        "command": command,
        "started": utc_now(),
        "finished": None,
        "engine_version": ENGINE_VERSION,
        "versions": library_versions(),
        "scenario_path": str(Path(scenario.file).resolve()),
        "scenario_sha256": scenario.digest,
        "git_commit": git_commit(code),
        "scenario_git_commit": git_commit(Path(scenario.file).resolve().parent),
        "resumed": [],
    }


def _read(path: Path, limit: int = _SMALL) -> str | None:
    try:
        return read_limited(path, limit).decode("utf-8").strip()
    except (FileRefused, UnicodeDecodeError):
        return None


def _git_dir(folder: Path) -> Path | None:
    """The git directory of the checkout holding `folder`, if any (worktrees included)."""
    for candidate in (folder, *folder.parents):
        if candidate.name in _INSTALL_DIRS:
            return None
        dot_git = candidate / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = _read(dot_git) or ""
            if not text.startswith("gitdir:"):
                return None
            target = Path(text.removeprefix("gitdir:").strip())
            return target if target.is_absolute() else (candidate / target).resolve()
    return None


def _resolve_ref(git_dir: Path, ref: str) -> str | None:
    """The commit a ref (`refs/heads/main`) points to: loose, then packed."""
    if ".." in ref.split("/") or not ref.startswith("refs/"):
        return None
    common = git_dir
    pointer = _read(git_dir / "commondir")
    if pointer:
        common = (git_dir / pointer).resolve()
    for folder in (git_dir, common):
        value = _read(folder / ref)
        if value and _SHA.fullmatch(value):
            return value
    packed = _read(common / "packed-refs", _PACKED_REFS) or ""
    for line in packed.splitlines():
        sha, _, name = line.partition(" ")
        if name == ref and _SHA.fullmatch(sha):
            return sha
    return None


def git_commit(folder: Path) -> str | None:
    """The commit checked out in the repository holding `folder`, or None (no repository,
    an installed package, or files that cannot be read)."""
    try:
        git_dir = _git_dir(folder)
        if git_dir is None:
            return None
        head = _read(git_dir / "HEAD")
        if head is None:
            return None
        if _SHA.fullmatch(head):  # a detached HEAD
            return head
        if head.startswith("ref:"):
            return _resolve_ref(git_dir, head.removeprefix("ref:").strip())
    except OSError:
        return None
    return None
