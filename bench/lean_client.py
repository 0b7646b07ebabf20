"""A lean Socket.IO client for the load generator: the phones' side of docs/protocol.md, no more.

python-socketio's AsyncClient spends about 0.2-0.3 ms of CPU per acknowledged call (a queue and
a writer task per connection, a task per received event, its packet classes): in a closed loop
of 1,000 phones the generator took 0.8 of a core on a 2-core machine, and so measured itself as
much as the servers (bench/README.md). This client speaks the same wire protocol (Engine.IO 4
and Socket.IO 5 over a WebSocket, text packets only) with the subset of AsyncClient's interface
the benches use (`on`, `connect`, `call`, `emit`, `disconnect`, `connected`): each frame is
parsed once in one reader task, a call is a frame sent and a future resolved by its ack.

What it leaves out: binary packets (the phone protocol has none), the polling transport, and
reconnection (the benches' phones reconnect by hand).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp


class ConnectionError(Exception):  # noqa: A001 - python-socketio's name for the same failure
    """The server refused or dropped the connection to the namespace."""


class LeanClient:
    """One phone's connection: one namespace, events in, calls and emits out."""

    def __init__(self, http_session: aiohttp.ClientSession, request_timeout: float = 30) -> None:
        self.http = http_session
        self.timeout = request_timeout
        self.handlers: dict[str, Callable[[Any], Awaitable[None] | None]] = {}
        self.namespace = "/"
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task[None] | None = None
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.ids = itertools.count(1)
        self.joined: asyncio.Future[Any] | None = None
        self.connected = False

    def on(self, event: str, handler: Callable[[Any], Awaitable[None] | None], namespace: str = "/") -> None:
        self.handlers[event] = handler

    async def connect(
        self,
        url: str,
        auth: dict[str, Any] | None = None,
        transports: list[str] | None = None,
        namespaces: list[str] | None = None,
        wait_timeout: float = 30,
    ) -> None:
        """Open the WebSocket, take the Engine.IO handshake, connect to the namespace with `auth`."""
        self.namespace = (namespaces or ["/"])[0]
        parts = urlsplit(url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        endpoint = urlunsplit((scheme, parts.netloc, "/socket.io/", "EIO=4&transport=websocket", ""))
        timeout = aiohttp.ClientWSTimeout(ws_receive=None, ws_close=self.timeout)
        self.ws = await self.http.ws_connect(endpoint, timeout=timeout, autoping=False, max_msg_size=0)
        opened = await asyncio.wait_for(self.ws.receive_str(), wait_timeout)
        if not opened.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opened[:80]!r}")
        loop = asyncio.get_running_loop()
        self.joined = loop.create_future()
        self.reader = asyncio.create_task(self._read())
        await self.ws.send_str(f"40{self._prefix()}{json.dumps(auth or {}, separators=(',', ':'))}")
        try:
            await asyncio.wait_for(self.joined, wait_timeout)
        except BaseException:
            await self.disconnect()
            raise
        self.connected = True

    def _prefix(self) -> str:
        return "" if self.namespace == "/" else f"{self.namespace},"

    async def call(
        self, event: str, data: Any = None, namespace: str | None = None, timeout: float = 60
    ) -> Any:
        """Emit `event` with an ack id and return the ack's first argument."""
        if self.ws is None or not self.connected:
            raise ConnectionError("not connected")
        ack_id = next(self.ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.acks[ack_id] = future
        packet = json.dumps([event, data], separators=(",", ":"))
        try:
            await self.ws.send_str(f"42{self._prefix()}{ack_id}{packet}")
            return await asyncio.wait_for(future, timeout)  # TimeoutError: no ack in time
        finally:
            self.acks.pop(ack_id, None)

    async def emit(self, event: str, data: Any = None, namespace: str | None = None) -> None:
        if self.ws is None or not self.connected:
            raise ConnectionError("not connected")
        await self.ws.send_str(f"42{self._prefix()}{json.dumps([event, data], separators=(',', ':'))}")

    async def disconnect(self) -> None:
        ws, self.ws, self.connected = self.ws, None, False
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.send_str(f"41{self._prefix()}")
            with contextlib.suppress(Exception):
                await ws.close()
        if self.reader is not None and self.reader is not asyncio.current_task():
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader
        self._fail(ConnectionError("disconnected"))

    def _fail(self, error: Exception) -> None:
        for future in [*self.acks.values(), self.joined]:
            if future is not None and not future.done():
                future.set_exception(error)

    async def _read(self) -> None:
        """Every frame: Engine.IO pings answered, Socket.IO packets of our namespace dispatched."""
        assert self.ws is not None
        prefix = self._prefix()
        try:
            async for message in self.ws:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    break
                text = message.data
                kind = text[:1]
                if kind == "2":  # Engine.IO ping
                    await self.ws.send_str("3")
                    continue
                if kind == "1":  # Engine.IO close
                    break
                if kind != "4":
                    continue
                body = text[2:]
                if prefix and body.startswith(prefix):
                    body = body[len(prefix) :]
                await self._packet(text[1:2], body)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a dropped socket fails the calls waiting on it
            self._fail(ConnectionError(str(exc)))
        finally:
            self.connected = False
            self._fail(ConnectionError("the server closed the connection"))

    async def _packet(self, kind: str, body: str) -> None:
        if kind == "2":  # EVENT: ["name", data, ...]
            name, *args = json.loads(body[body.index("[") :])
            handler = self.handlers.get(name)
            if handler is not None:
                outcome = handler(*args[:1])
                if outcome is not None:
                    await outcome
        elif kind == "3":  # ACK: <id>[data, ...]
            start = body.index("[")
            future = self.acks.get(int(body[:start]))
            if future is not None and not future.done():
                args = json.loads(body[start:])
                future.set_result(args[0] if args else None)
        elif kind == "0" and self.joined is not None and not self.joined.done():  # CONNECT accepted
            self.joined.set_result(json.loads(body) if body else None)
        elif kind == "4" and self.joined is not None and not self.joined.done():  # CONNECT_ERROR
            self.joined.set_exception(ConnectionError(body))
        elif kind == "1":  # the server disconnected the namespace
            self._fail(ConnectionError("disconnected by the server"))
            self.connected = False
