"""Reading a file whose name came from outside: regular files only, and never more than a limit.

`open()` on a FIFO waits for a writer forever, `/dev/zero` never ends, a directory or a
symlink loop raises an OSError whose text depends on the platform. `read_limited` opens
without blocking, looks at what it opened, and reads at most `limit` bytes, so each of
these becomes one `FileRefused` with a sentence a person can act on.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from wargame.engine.errors import FileRefused

__all__ = ["os_reason", "read_limited"]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, refused past `limit` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileRefused(os_reason(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"it is {_kind(mode)}, not a file")
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileRefused(f"it is larger than {limit:,} bytes (the limit)")
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(os_reason(exc)) from None
    finally:
        os.close(fd)


def os_reason(exc: OSError) -> str:
    """An OSError as a short reason, without repeating the path."""
    reasons = {
        errno.ENOENT: "no such file",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "a read-only file system",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.ELOOP: "a loop of symbolic links",
        errno.EISDIR: "it is a folder, not a file",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.ENAMETOOLONG: "the name is too long",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
