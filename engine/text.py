"""Characters that must never reach a terminal from data: what they are, and how to show them.

A terminal obeys control characters: ESC starts sequences that retitle the window, move
the cursor, clear the screen or (in some terminals) write files; a carriage return or a
backspace overwrites what was printed; bidirectional overrides make text read differently
from what it is. Scenario files may not contain any of them (`engine.yamlio` refuses
them), and interfaces pass every other text through `escape_controls` before printing.
"""

from __future__ import annotations

import re

__all__ = ["CONTROLS", "escape_controls", "first_control"]

CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""C0 controls but tab and newline, DEL, C1 controls, and Unicode's invisible direction
marks and line separators."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control character written out as a visible escape (`\\x1b`)."""
    return CONTROLS.sub(_escaped, text)


def first_control(text: str) -> tuple[int, str] | None:
    """(position, escaped character) of the first control character in `text`, or None."""
    match = CONTROLS.search(text)
    return (match.start(), _escaped(match)) if match else None
