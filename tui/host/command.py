"""`wargame host`: start (or resume) a hosted game and serve it until Ctrl-C.

It prints one line per team to read out or write on the board: the address to join, and
the team's code. With `--web-port`, a browser is all a team needs (the game's Textual app
served by textual-serve, in a process that dies with the host).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from aiohttp import web

from wargame.engine.errors import UsageError, expected_one_of
from wargame.engine.game import Game, GameSetup, autosave_dir
from wargame.engine.scenario import load_scenario
from wargame.tui.host.access import Access, access_path
from wargame.tui.host.server import HostServer
from wargame.tui.host.session import HostedGame

__all__ = ["host_command"]


def _new(args: argparse.Namespace, saves: Path) -> tuple[Game, Access]:
    scenario = load_scenario(args.scenario)
    actors = [a.id for a in scenario.actors]
    if not args.teams:
        raise UsageError(f"--teams: which actors do teams play? (of {', '.join(actors)})")
    teams = [t.strip() for t in args.teams.split(",") if t.strip()]
    for team in teams:
        if team not in actors:
            raise UsageError(f"--teams: unknown actor {expected_one_of(team, actors)}")
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
    ref = args.scenario if Path(args.scenario).suffix == "" else str(Path(args.scenario).resolve())
    save = saves / f"hosted-{scenario.id}-{time.strftime('%Y%m%d-%H%M%S')}-{seed}.json"
    game = Game.start(GameSetup(ref, seed, tuple(teams)), save_path=save)
    game.autosave()
    access = Access.new(teams, args.facilitator_pin)
    access.save(access_path(save))
    return game, access


def _resumed(args: argparse.Namespace, saves: Path) -> tuple[Game, Access]:
    if args.resume == "latest":
        hosted = [p for p in saves.glob("hosted-*.json") if access_path(p).exists()]
        if not hosted:
            raise UsageError(f"no hosted game to resume in {saves}")
        save = max(hosted, key=lambda p: p.stat().st_mtime)
    else:
        save = Path(args.resume)
    game = Game.load(save, autosave_to=save)
    access = Access.load(access_path(save))
    if args.facilitator_pin:
        access = access.with_pin(args.facilitator_pin)
        access.save(access_path(save))
    return game, access


def _addresses(bind: str) -> list[str]:
    """Where teams can reach this machine: the bound address, or every LAN one."""
    if bind not in ("0.0.0.0", "::"):
        return [bind]
    found = {"127.0.0.1"}
    with contextlib.suppress(OSError):
        found |= {i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    return sorted(found)


def _announce(hosted: HostedGame, args: argparse.Namespace) -> None:
    game = hosted.game
    host = _addresses(args.bind)[-1]
    print(f"Hosting {game.scenario.spec.title}, seed {game.setup.seed}")
    print(f"Saved after every step in {game.save_path}")
    if args.web_port:
        print(f"Browsers: http://{host}:{args.web_port}  (each team enters its name and code)")
    print("Terminals:")
    for team, code in hosted.access.codes.items():
        join = f"wargame join {host}:{args.port} --team {team} --code {code}"
        print(f"  {team:<20} code {code}   {join}")
    pin = " --pin PIN" if hosted.access.pin_hash else ""
    print(f"Facilitator: wargame join {host}:{args.port} --facilitator{pin}")
    print("After a crash: wargame host --resume" + (f" --saves {args.saves}" if args.saves else ""))
    sys.stdout.flush()


def _web(args: argparse.Namespace) -> subprocess.Popen[bytes] | None:
    if not args.web_port:
        return None
    game = (
        f"127.0.0.1:{args.port}" if args.bind in ("0.0.0.0", "::") else f"{args.bind}:{args.port}"
    )
    command = [
        sys.executable,
        "-m",
        "wargame.tui.host.web",
        "--bind",
        args.bind,
        "--port",
        str(args.web_port),
        "--game",
        game,
        "--parent",
        str(os.getpid()),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _serve(hosted: HostedGame, args: argparse.Namespace) -> None:
    runner = web.AppRunner(HostServer(hosted).app())
    await runner.setup()
    try:
        await web.TCPSite(runner, args.bind, args.port).start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.bind}:{args.port}: {exc.strerror}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    _announce(hosted, args)
    web_server = _web(args)
    try:
        await stop.wait()
    finally:
        if web_server is not None:
            web_server.terminate()
        await runner.cleanup()


def host_command(args: argparse.Namespace) -> int:
    saves = args.saves or autosave_dir()
    game, access = _resumed(args, saves) if args.resume else _new(args, saves)
    asyncio.run(_serve(HostedGame(game, access), args))
    print("host stopped; resume with: wargame host --resume")
    return 0
