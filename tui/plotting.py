"""matplotlib for `--plot`, an optional dependency: imported only when a PNG is asked for."""

from __future__ import annotations

from typing import Any

from wargame.engine.errors import UsageError

__all__ = ["pyplot"]


def pyplot() -> Any:
    """matplotlib.pyplot drawing to files (no display), or a UsageError saying how to get it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("--plot needs matplotlib: pip install 'wargame[plot]'") from None
    return plt
