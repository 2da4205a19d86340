"""Paths typed on the command line, checked before any work starts.

A folder where a file is expected, a file where a folder is expected, a missing parent
folder, a folder without write permission: each is one sentence naming the option and
the path (a usage error, exit status 2), found before a batch computes for an hour and
then fails to write, and before the game opens full-screen.
"""

from __future__ import annotations

import os
from pathlib import Path

from wargame.engine.errors import UsageError

__all__ = ["input_file", "output_file", "output_folder"]


def _writable(folder: Path, option: str, path: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            f"{option} {path}: cannot write in {folder} (no permission, or a read-only folder)"
        )


def input_file(path: Path, option: str) -> Path:
    """An existing, readable regular file."""
    try:
        if path.is_dir():
            raise UsageError(f"{option} {path}: is a folder; expected a file")
        if not path.exists():
            raise UsageError(f"{option} {path}: no such file")
        if not path.is_file():
            raise UsageError(f"{option} {path}: is not a regular file")
    except OSError as exc:  # a symlink loop, a name too long
        raise UsageError(f"{option} {path}: {exc.strerror or exc}") from None
    if not os.access(path, os.R_OK):
        raise UsageError(f"{option} {path}: no permission to read it")
    return path


def output_file(path: Path, option: str) -> Path:
    """A file this command may create or replace: its folder exists and is writable."""
    try:
        if path.is_dir():
            raise UsageError(f"{option} {path}: is a folder; expected a file name")
        if path.exists() and not path.is_file():
            raise UsageError(f"{option} {path}: is not a regular file")
        parent = path.absolute().parent
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"{option} {path}: {path.parent} is a file, not a folder")
        if not parent.exists():
            raise UsageError(
                f"{option} {path}: the folder {path.parent} does not exist (create it first)"
            )
    except OSError as exc:
        raise UsageError(f"{option} {path}: {exc.strerror or exc}") from None
    _writable(parent, option, path)
    return path


def output_folder(path: Path, option: str) -> Path:
    """A folder this command may write in: it exists, or it can be made in an existing,
    writable folder."""
    try:
        if path.exists() and not path.is_dir():
            raise UsageError(f"{option} {path}: is a file; expected a folder")
        if path.is_dir():
            _writable(path, option, path)
            return path
        parent = path.absolute().parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise UsageError(f"{option} {path}: {parent} is a file, not a folder")
    except OSError as exc:
        raise UsageError(f"{option} {path}: {exc.strerror or exc}") from None
    _writable(parent, option, path)
    return path
