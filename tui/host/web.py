"""The browser page of a hosted game: textual-serve runs `wargame join --web` per visitor.

Started by `wargame host` as its own process (textual-serve owns its event loop and its
signals), which dies with the host whatever ends it.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from textual_serve.server import Server

from wargame.engine.lifetime import die_with_parent


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m wargame.tui.host.web")
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--game", required=True, help="the game server's HOST:PORT")
    parser.add_argument("--parent", type=int, required=True)
    args = parser.parse_args()
    die_with_parent(args.parent)
    command = shlex.join([sys.executable, "-m", "wargame.tui.cli", "join", args.game, "--web"])
    Server(command, host=args.bind, port=args.port, title="wargame").serve()


if __name__ == "__main__":
    main()
