"""How long a decision takes to reach every client of a hosted game (loopback).

Starts `wargame host` with four teams, joins them and a facilitator over WebSockets, plays a
whole game (each team answers its own requests with its first option; the facilitator
advances), and prints, over every decision and advance, the time from sending it to each
other client holding the snapshot that shows it: median and maximum. Then what a `wargame
join` screen adds before it can draw a snapshot: rebuilding the game from it (the engine
replays the decisions it shows), for every snapshot one team received.

    python -m benchmarks.host_latency
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from tests.host.helpers import TEAMS, Host, free_port
from tests.host.test_host_process import first_option
from wargame.engine.scenario import load_scenario
from wargame.tui.host.client import HostClient, local_game
from wargame.tui.host.protocol import Advance, Hello, Snapshot


async def measure(saves: Path) -> tuple[list[float], list[float]]:
    host = Host(saves, free_port())
    host.start()
    codes = host.codes()
    arrived: dict[str, dict[int, float]] = {}
    received: list[Snapshot] = []  # every snapshot the first team was sent

    def stamp(name: str):  # type: ignore[no-untyped-def]
        def keep(snapshot: Snapshot) -> None:
            arrived.setdefault(name, {}).setdefault(snapshot.version, time.perf_counter())
            if name == TEAMS[0]:
                received.append(snapshot)

        return keep

    clients = {
        team: HostClient(f"127.0.0.1:{host.port}", Hello(team=team, code=codes[team]), stamp(team))
        for team in TEAMS
    }
    clients["facilitator"] = HostClient(
        f"127.0.0.1:{host.port}", Hello(pin="1234"), stamp("facilitator")
    )
    for client in clients.values():
        await client.connect()
    delays: list[float] = []
    try:
        for _ in range(500):
            facilitator = clients["facilitator"]
            state = facilitator.snapshot
            assert state is not None
            if state.done:
                break
            asking = [c for t, c in clients.items() if t != "facilitator" and c.snapshot.request]
            sender = asking[0] if asking else facilitator
            if not asking and state.waiting_for:
                await asyncio.sleep(0.005)
                continue
            version = state.version + 1
            sent = time.perf_counter()
            await sender.send(first_option(sender.snapshot) if asking else Advance())
            while any(version not in arrived.get(name, {}) for name in clients):
                await asyncio.sleep(0.001)
            delays += [
                arrived[name][version] - sent for name in clients if clients[name] is not sender
            ]
        welcome = clients[TEAMS[0]].welcome
        assert welcome is not None
    finally:
        for client in clients.values():
            await client.close()
        host.stop()
    scenario = load_scenario(welcome.scenario)
    rebuilds = []
    for snapshot in received:
        start = time.perf_counter()
        local_game(welcome, snapshot, scenario)
        rebuilds.append(time.perf_counter() - start)
    return delays, rebuilds


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        delays, rebuilds = asyncio.run(measure(Path(folder)))
    print(
        f"{len(delays)} deliveries (a decision or advance reaching another client), loopback: "
        f"median {statistics.median(delays) * 1000:.1f} ms, max {max(delays) * 1000:.1f} ms"
    )
    print(
        f"{len(rebuilds)} snapshots rebuilt into a game by a join screen: "
        f"median {statistics.median(rebuilds) * 1000:.1f} ms, max {max(rebuilds) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
