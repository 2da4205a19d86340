"""The `wargame` command's entry point: a Ctrl-C while the program loads ends it quietly.

`wargame.tui.cli` imports what every command needs, and parses the command line, before
its own handlers are in place: a Ctrl-C in those first tenths of a second printed a
traceback from inside an import. Here it ends the command as a Ctrl-C later does.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # as tui.cli, which this module must not import before the guard


def main() -> int:
    try:
        from wargame.tui.cli import main as run

        return run()
    except KeyboardInterrupt:
        print("wargame: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
