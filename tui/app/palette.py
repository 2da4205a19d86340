"""The colours of the game's text, taken from its stylesheet (`wargame.tcss`).

Accounts, previews and strips are Rich text built by pure functions; they are drawn with a
`Palette` whose styles a screen reads from its component classes (`.palette--up` and so on),
so that every colour lives in the stylesheet.
"""

from __future__ import annotations

from dataclasses import fields

from textual.widget import Widget

from wargame.tui.story import Palette

__all__ = ["PALETTE_CLASSES", "palette_of"]

PALETTE_CLASSES = {f"palette--{f.name}" for f in fields(Palette)}


def palette_of(widget: Widget) -> Palette:
    """The palette as `widget`'s stylesheet sets it (the widget declares PALETTE_CLASSES)."""
    return Palette(
        **{
            f.name: widget.get_component_rich_style(f"palette--{f.name}", partial=True)
            for f in fields(Palette)
        }
    )
