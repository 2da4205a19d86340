"""Peak resident memory of a command and all its worker processes together.

Samples /proc every 0.2 s (Linux) and prints the peak of the whole process tree's RSS:

    python benchmarks/peak_memory.py wargame run madrid-2022 --runs 10000000 --seed 1 \\
        --out /tmp/e7.parquet --quiet
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def tree_rss_kib(pid: int) -> int:
    """RSS of a process and, recursively, of its children (KiB); 0 for one that has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    own = next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
    )
    return own + sum(tree_rss_kib(int(child)) for child in children)


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    started = time.monotonic()
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss_kib(process.pid))
        time.sleep(0.2)
    print(
        f"exit {process.returncode} after {time.monotonic() - started:.0f} s; "
        f"peak RSS of the process tree: {peak / 1024:,.0f} MiB"
    )
    return process.returncode


if __name__ == "__main__":
    raise SystemExit(main())
