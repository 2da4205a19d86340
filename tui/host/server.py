"""The host's WebSocket server: one connection per client, every message through the game.

Messages are handled one at a time under a lock, so the game sees them in one order; after
every change each connected client gets its own snapshot. A team can be connected from one
screen at a time; a closed laptop's connection is dropped by the heartbeat and the team
joins again with its code.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from aiohttp import WSMsgType, web
from pydantic import ValidationError

from wargame.engine.errors import WargameError
from wargame.tui.host.protocol import Ack, Hello, Refused, parse_client
from wargame.tui.host.session import Client, HostedGame

__all__ = ["HostServer"]

MAX_MESSAGE = 64 * 1024  # bytes: a decision is a few hundred


class HostServer:
    def __init__(
        self, hosted: HostedGame, on_change: Callable[[HostedGame], None] | None = None
    ) -> None:
        self.hosted = hosted
        self.connections: dict[web.WebSocketResponse, Client] = {}
        self.lock = asyncio.Lock()
        self.on_change = on_change  # e.g. the host's console redraws the board
        self.last_change = time.monotonic()

    def app(self) -> web.Application:
        app = web.Application()
        app.add_routes([web.get("/ws", self.websocket)])
        return app

    async def _send(self, ws: web.WebSocketResponse, message: object) -> None:
        if not ws.closed:
            await ws.send_str(message.model_dump_json())  # type: ignore[attr-defined]

    async def _broadcast(self) -> None:
        for ws, client in list(self.connections.items()):
            await self._send(ws, self.hosted.snapshot(client))

    def _connected(self, team: str) -> bool:
        return any(c.team == team and not ws.closed for ws, c in self.connections.items())

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=10, max_msg_size=MAX_MESSAGE)
        await ws.prepare(request)
        client: Client | None = None
        try:
            async for raw in ws:
                if raw.type != WSMsgType.TEXT:
                    await self._send(ws, Refused(reason="messages are JSON text"))
                    continue
                try:
                    message = parse_client(raw.data)
                except ValidationError as exc:
                    error = exc.errors(include_url=False)[0]
                    where = ".".join(str(p) for p in error["loc"])
                    await self._send(
                        ws,
                        Refused(
                            reason=f"not a message this host understands: {where}: {error['msg']}"
                        ),
                    )
                    continue
                async with self.lock:
                    client = await self._receive(ws, client, message)
        finally:
            self.connections.pop(ws, None)
        return ws

    async def _receive(
        self, ws: web.WebSocketResponse, client: Client | None, message: object
    ) -> Client | None:
        if client is None:
            if not isinstance(message, Hello):
                await self._send(ws, Refused(reason="say hello first (your team and code)"))
                return None
            try:
                client = self.hosted.join(message)
            except WargameError as exc:
                await self._send(ws, Refused(reason=str(exc)))
                return None
            if client.team is not None and self._connected(client.team):
                await self._send(
                    ws, Refused(reason=f"{client.team} is already joined from another screen")
                )
                return None
            self.connections[ws] = client
            await self._send(ws, self.hosted.welcome(client))
            await self._send(ws, self.hosted.snapshot(client))
            return client
        if isinstance(message, Hello):
            await self._send(ws, Refused(reason="already joined"))
            return client
        try:
            done = self.hosted.handle(client, message)  # type: ignore[arg-type]
        except WargameError as exc:
            await self._send(ws, Refused(reason=str(exc)))
            return client
        await self._send(ws, Ack(of=done))
        self.last_change = time.monotonic()
        await self._broadcast()
        if self.on_change is not None:
            self.on_change(self.hosted)
        return client
