"""The host command's arguments (kept apart from its server, so `wargame --help` stays quick)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_host_arguments"]


def add_host_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        nargs="?",
        default="madrid-2022",
        metavar="SCENARIO",
        help="a bundled scenario name or a path (default madrid-2022)",
    )
    parser.add_argument(
        "--teams",
        default=None,
        metavar="ACTOR,...",
        help="the actors played by teams, e.g. nato,eu,us_congress,turkey",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed (default: random, shown)")
    parser.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; the LAN address, "
        "e.g. 192.168.1.20, or 0.0.0.0 to let a classroom join)",
    )
    parser.add_argument("--port", type=int, default=8765, help="game port (default 8765)")
    parser.add_argument(
        "--web-port",
        type=int,
        default=8000,
        help="port of the browser page (default 8000; 0: no browser page)",
    )
    parser.add_argument("--facilitator-pin", default=None, metavar="PIN")
    parser.add_argument("--saves", type=Path, default=None, help="folder for the game's save")
    parser.add_argument(
        "--resume",
        nargs="?",
        const="latest",
        default=None,
        metavar="SAVE",
        help="go on with a hosted game after a crash (default: the latest)",
    )
