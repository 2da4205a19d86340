"""The browser page of a hosted game: textual-serve runs `wargame join --web` per visitor.

Started by `wargame host` as its own process (textual-serve owns its event loop and its
signals), which dies with the host whatever ends it.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from aiohttp import web
from textual_serve.server import Server

from wargame.engine.lifetime import die_with_parent


class _Server(Server):
    """textual-serve's page names its script, styles and websocket by one fixed URL, made of
    the bound address: with `--bind 0.0.0.0` a student's browser was sent to 0.0.0.0. Here
    they use the address the browser asked for (its Host header) instead."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # the page is rendered before any other request runs: nothing awaits in between
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m wargame.tui.host.web")
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--game", required=True, help="the game server's HOST:PORT")
    parser.add_argument("--parent", type=int, required=True)
    args = parser.parse_args()
    die_with_parent(args.parent)
    command = shlex.join([sys.executable, "-m", "wargame.tui.cli", "join", args.game, "--web"])
    _Server(command, host=args.bind, port=args.port, title="wargame").serve()


if __name__ == "__main__":
    main()
