"""Text from outside (scenarios, results files, saves, file names) made safe for a terminal.

Scenario files cannot hold control characters (`engine.yamlio` refuses them), but a
results file, a save or a file name can, and any of them can hold `[...]` that Rich and
Textual would read as markup (styles, links, even `@click` actions). Everything the
interfaces print that did not come from this program's own text goes through
`terminal_safe` first.
"""

from __future__ import annotations

from rich.markup import escape

from wargame.engine.text import escape_controls

__all__ = ["terminal_safe"]


def terminal_safe(text: object, *, markup: bool = False) -> str:
    """`text` with control characters written out (`\\x1b`) and, with `markup`, with
    Rich/Textual markup escaped so that it shows literally."""
    safe = escape_controls(str(text))
    return escape(safe) if markup else safe
