"""A role brief as plain text, wrapped for an 80-column terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from wargame.actors.agents import CLEAR_MARGIN
from wargame.actors.briefs import Brief

__all__ = ["brief_lines"]

WIDTH = 78


def brief_lines(brief: Brief, width: int = WIDTH) -> Iterator[str]:
    """The brief, wrapped at `width` columns (the TUI's dialog is narrower than a terminal)."""

    def _wrap(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent) or [
            indent
        ]

    yield f"{brief.name} ({brief.actor})"
    yield "=" * len(f"{brief.name} ({brief.actor})")
    yield from _wrap(brief.summary)
    yield ""
    weight = (
        "no part in weighted collective decisions"
        if brief.capability is None
        else f"weight in collective decisions {brief.capability:.2f}"
    )
    yield from _wrap(
        f"As an AI: {weight}; temperature {brief.temperature:g} score points, so it takes a "
        f"clearly worse option (by {CLEAR_MARGIN:g} point) {brief.errs:.0%} of the time."
    )
    for member, stances in brief.stances.items():
        yield ""
        whose = f" of {member}" if len(brief.stances) > 1 else ""
        yield f"Priorities{whose}, most important first:"
        for s in stances:
            yield f"  {s.label}: {s.ideal:.0f}/100, {s.salience:.0%} of its concern"
            yield from _wrap(f"leans to: {s.wants}", "      ")
            if s.quote:
                yield from _wrap(f'"{s.quote}"', "      ")
            if s.reason:
                yield from _wrap(f"why: {s.reason}", "      ")
            if s.assumption:
                spread = (
                    f" (Monte Carlo varies the ideal {s.ideal_range[0]:g}-{s.ideal_range[1]:g})"
                    if s.ideal_range
                    else ""
                )
                yield from _wrap(f"assumed: {s.assumption.rstrip('.')}{spread}.", "      ")
    if brief.red_lines:
        yield ""
        yield "Red lines:"
        for text, quote in brief.red_lines:
            yield from _wrap(f"- {text}", "  ")
            if quote:
                yield from _wrap(f'"{quote}"', "      ")
    if brief.rights:
        yield ""
        yield "Decision rights in this scenario:"
        for right, events in brief.rights.items():
            yield from _wrap(f"{right}: {'; '.join(events)}", "  ")
