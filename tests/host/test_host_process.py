"""A real `wargame host` process with four teams and a facilitator joined over WebSockets: a
game played to the end, a host killed with SIGKILL and resumed, teams rejoining with their
codes, and every refusal a message, never a crash."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import aiohttp
import pytest

from tests.host.helpers import SEED, TEAMS, Host, first_choice, play_until
from wargame.engine.errors import ReplayError
from wargame.engine.game import Game, GameSetup, state_digest
from wargame.tui.host.access import Access
from wargame.tui.host.client import HostClient
from wargame.tui.host.protocol import Advance, Choice, Decide, Hello, Refused, Snapshot
from wargame.tui.host.session import HostedGame


def first_option(snapshot: Snapshot) -> Decide:
    r = snapshot.request
    assert r is not None
    return first_choice(r["turn"], r["event"], r["actor"], r["role"], r["options"])


async def join_all(host: Host, seen: dict[str, list[Snapshot]]) -> dict[str, HostClient]:
    codes = host.codes()
    clients = {}
    for team in TEAMS:
        client = HostClient(
            f"127.0.0.1:{host.port}",
            Hello(team=team, code=codes[team]),
            on_snapshot=seen.setdefault(team, []).append,
        )
        await client.connect()
        clients[team] = client
    facilitator = HostClient(f"127.0.0.1:{host.port}", Hello(pin="1234"))
    await facilitator.connect()
    clients["facilitator"] = facilitator
    return clients


async def play(clients: dict[str, HostClient], until_turn: int) -> None:
    """Each team answers its own requests with its first option; the facilitator advances."""
    facilitator = clients["facilitator"]
    for _ in range(500):
        await asyncio.sleep(0.02)  # let every snapshot arrive
        state = facilitator.snapshot
        assert state is not None
        if state.done or state.turn >= until_turn:
            return
        asking = [c for t, c in clients.items() if t != "facilitator" and c.snapshot.request]
        if asking:
            reply = await asking[0].send(first_option(asking[0].snapshot))
        elif not state.waiting_for:
            reply = await facilitator.send(Advance())
        else:
            continue
        assert not isinstance(reply, Refused), reply.reason
    raise AssertionError("the game did not end")


def straight_game(tmp_path: Path) -> Game:
    """The same game in one process, the same answers: what the hosted game must end as."""
    game = Game.start(GameSetup("madrid-2022", SEED, TEAMS), save_path=tmp_path / "straight.json")
    play_until(HostedGame(game, Access.new(TEAMS, None)), lambda h: h.game.done)
    return game


def hidden_choices_leaked(team: str, snapshots: list[Snapshot], order: list[str]) -> list[dict]:
    """Another team's choice on an event not yet resolved when the snapshot was sent."""
    return [
        d
        for s in snapshots
        for d in s.decisions
        if d.get("kind", "choice") == "choice"
        and d["actor"] != team
        and (d["turn"], order.index(d["event"])) >= (s.turn, s.cursor)
    ]


async def test_a_hosted_game_survives_a_killed_host_and_ends_as_if_played_straight(
    host: Host, tmp_path: Path
) -> None:
    seen: dict[str, list[Snapshot]] = {}
    host.start()
    clients = await join_all(host, seen)
    await play(clients, until_turn=4)
    host.kill()  # SIGKILL mid-game: nothing but the save survives
    for client in clients.values():
        await client.close()
    host.start("--resume")
    clients = await join_all(host, seen)  # every team rejoins with the code it had
    await play(clients, until_turn=99)
    finished = clients["facilitator"].game()
    for client in clients.values():
        await client.close()
    assert finished.done
    saved = Game.load(host.save)
    straight = straight_game(tmp_path)
    assert state_digest(saved.model) == state_digest(straight.model)
    assert state_digest(finished.model) == state_digest(straight.model)
    order = [e.id for e in saved.scenario.events]
    for team in TEAMS:
        assert seen[team] and hidden_choices_leaked(team, seen[team], order) == []


async def test_every_bad_client_gets_a_refusal_and_the_host_goes_on(host: Host) -> None:
    host.start()
    codes = host.codes()
    with pytest.raises(ReplayError, match="wrong code for 'eu'"):
        await HostClient(f"127.0.0.1:{host.port}", Hello(team="eu", code="AAAAA")).connect()
    eu = HostClient(f"127.0.0.1:{host.port}", Hello(team="eu", code=codes["eu"]))
    await eu.connect()
    with pytest.raises(ReplayError, match="already joined from another screen"):
        await HostClient(f"127.0.0.1:{host.port}", Hello(team="eu", code=codes["eu"])).connect()
    reply = await eu.send(
        Decide(
            choice=Choice(turn=1, event="accession", actor="eu", role="decider", option="ratify")
        )
    )
    assert isinstance(reply, Refused) and "not your decision to make now" in reply.reason
    url = f"http://127.0.0.1:{host.port}/ws"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        for bad in ["not json", '{"type": "launch"}', '{"type": "decide"}', "x" * 70_000]:
            await ws.send_str(bad)
            if len(bad) > 65_536:
                message = await ws.receive()
                assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
                break
            answer = json.loads(await ws.receive_str())
            assert answer["type"] == "refused", answer
    # still serving: the EU's connection works, and a new team joins
    turkey = HostClient(f"127.0.0.1:{host.port}", Hello(team="turkey", code=codes["turkey"]))
    await turkey.connect()
    assert turkey.snapshot is not None and eu.connected
    await turkey.close()
    await eu.close()
    assert host.process is not None and host.process.poll() is None
    os.kill(host.process.pid, signal.SIGTERM)
    assert host.process.wait(timeout=20) == 0
