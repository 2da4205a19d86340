"""A client of a hosted game: a team's screen (or the facilitator's), over one WebSocket.

It joins with a `hello`, then keeps the latest snapshot the host sends and rebuilds the game
from it locally (the engine replays the decisions it was shown), so a client renders with
the same code as a game on one machine, and holds nothing the host did not send. A request
waits for the host's `ack` or `refused`.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path

import aiohttp

from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Decision, DecisionRequest
from wargame.engine.errors import ReplayError, RuntimeFailure
from wargame.engine.game import Game, GameSetup, Position, Rollback, replay
from wargame.engine.scenario import load_scenario
from wargame.tui.host.protocol import (
    Ack,
    Advance,
    Decide,
    Facilitate,
    Hello,
    Refused,
    Snapshot,
    Welcome,
    parse_server,
)

__all__ = ["HostClient", "local_game", "request_of"]


def _scenario(welcome: Welcome) -> Scenario:
    """The host's scenario: bundled by name, or rebuilt from the files it sent."""
    if not welcome.files:
        scenario = load_scenario(welcome.scenario)
    else:
        folder = Path(tempfile.gettempdir()) / f"wargame-host-{welcome.sha256[:16]}"
        for name, text in welcome.files.items():
            path = (folder / name).resolve()
            if not path.is_relative_to(folder.resolve()):
                raise ReplayError(f"the host sent a file outside its scenario folder: {name!r}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        scenario = load_scenario(folder / welcome.scenario)
    if scenario.digest != welcome.sha256:
        raise ReplayError(
            f"the host plays another version of {welcome.scenario!r} than this wargame has"
        )
    return scenario


def local_game(welcome: Welcome, snapshot: Snapshot, scenario: Scenario | None = None) -> Game:
    """The game as this client may see it, replayed here from the snapshot's decisions."""
    scenario = scenario or _scenario(welcome)
    setup = GameSetup(welcome.scenario, welcome.seed, tuple(welcome.humans), welcome.temperatures)
    decisions = [Decision.from_dict(d) for d in snapshot.decisions]
    # other teams' pending choices are not shown: the replay may stop at their decision
    at = Position(snapshot.turn, snapshot.cursor, pending=bool(snapshot.waiting_for))
    model = replay(scenario, setup, decisions, at)
    game = Game(scenario, setup, model=model)
    game.paused = snapshot.paused
    game.journal = [Rollback(**r) for r in snapshot.journal]
    return game


def request_of(snapshot: Snapshot | None) -> DecisionRequest | None:
    """The decision the host asks this client for, if any (the local replay may stop at
    another team's hidden choice on the same event first)."""
    if snapshot is None or snapshot.request is None:
        return None
    data = dict(snapshot.request)
    data["options"] = tuple(data["options"])
    return DecisionRequest(**data)


class HostClient:
    """One connection to a host; `snapshot` is the latest view it sent."""

    def __init__(
        self,
        address: str,
        hello: Hello,
        on_snapshot: Callable[[Snapshot], None] | None = None,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.url = address if "://" in address else f"http://{address}"
        self.hello = hello
        self.on_snapshot = on_snapshot
        self.on_lost = on_lost  # the host went away (not closed from this side)
        self.welcome: Welcome | None = None
        self.snapshot: Snapshot | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._replies: asyncio.Queue[Ack | Refused] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None
        self._scenario: Scenario | None = None

    async def connect(self, timeout: float = 10.0) -> None:
        """Join: raises RuntimeFailure if the host cannot be reached, ReplayError if it
        refuses (a wrong code, a team already joined). A failed join leaves nothing open."""
        self._session = self._session or aiohttp.ClientSession()
        self._replies = asyncio.Queue()
        try:
            await self._join(timeout)
        except BaseException:
            await self.close()
            raise
        self._reader = asyncio.create_task(self._read())

    async def _join(self, timeout: float) -> None:
        assert self._session is not None
        try:
            self._ws = await self._session.ws_connect(f"{self.url}/ws", heartbeat=10)
        except (aiohttp.ClientError, OSError) as exc:
            raise RuntimeFailure(f"cannot reach the host at {self.url}: {exc}") from None
        await self._ws.send_str(self.hello.model_dump_json())
        async with asyncio.timeout(timeout):
            while self.snapshot is None or self.welcome is None:
                message = parse_server(await self._ws.receive_str())
                if isinstance(message, Refused):
                    raise ReplayError(f"the host refused: {message.reason}")
                if isinstance(message, Welcome):
                    self.welcome = message
                elif isinstance(message, Snapshot):
                    self._keep(message)

    def _keep(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        if self.on_snapshot is not None:
            self.on_snapshot(snapshot)

    async def _read(self) -> None:
        assert self._ws is not None
        async for raw in self._ws:
            if raw.type != aiohttp.WSMsgType.TEXT:
                continue
            message = parse_server(raw.data)
            if isinstance(message, Snapshot):
                self._keep(message)
            elif isinstance(message, Ack | Refused):
                await self._replies.put(message)
        # a request waiting for its answer gets one now, not after its timeout
        await self._replies.put(Refused(reason="the connection to the host was lost"))
        if self.on_lost is not None:
            self.on_lost()

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def send(
        self, message: Decide | Advance | Facilitate, timeout: float = 30
    ) -> Ack | Refused:
        """Send one message and wait for the host's answer to it."""
        if self._ws is None or self._ws.closed:
            raise RuntimeFailure("not connected to the host")
        await self._ws.send_str(message.model_dump_json())
        async with asyncio.timeout(timeout):
            return await self._replies.get()

    def game(self) -> Game:
        """The game as the last snapshot shows it, replayed locally."""
        if self.welcome is None or self.snapshot is None:
            raise RuntimeFailure("not joined yet")
        if self._scenario is None:
            self._scenario = _scenario(self.welcome)
        return local_game(self.welcome, self.snapshot, self._scenario)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        self._ws = self._session = None
