"""Threading mode's WebSocket (simple-websocket on wsproto), with messages bounded like run.py's.

Without gevent (`SOUNDINGBOARD_ASYNC_MODE=threading`: Werkzeug, or gunicorn's threads on
`run:app`) Engine.IO hands each WebSocket to simple-websocket without a size limit, and checks
`max_http_buffer_size` only once the whole message is in memory: a frame announcing 1 GiB was
read and kept to its end. Here a message is refused (close code 1009) as soon as the header of
one of its frames takes it past the limit, after at most one read of the socket (4 KiB), as
core/serving.py does under gevent. simple-websocket's own `max_message_size` stays set beneath,
counting what actually arrived (after decompression): it holds even if wsproto's frame decoder,
read here through private names, changes shape.
"""

from __future__ import annotations

import logging
from typing import Any

import simple_websocket
from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from wsproto.events import CloseConnection
from wsproto.frame_protocol import CloseReason

log = logging.getLogger("soundingboard")


def announced(connection: Any) -> int:
    """Bytes of the current data frame still to come, as its header says (0 between frames)."""
    inner = getattr(connection, "connection", None)  # wsproto.connection.Connection once open
    decoder = getattr(getattr(inner, "_proto", None), "_frame_decoder", None)
    header = getattr(decoder, "header", None)
    if header is None or header.opcode.iscontrol():
        return 0
    return int(header.payload_len - decoder.payload_consumed)  # type: ignore[union-attr]


class BoundedServer(simple_websocket.Server):  # type: ignore[misc]
    """simple-websocket's server side, refusing a message whose frame headers announce too much."""

    def _handle_events(self) -> bool:
        keep_going: bool = super()._handle_events()
        size = self.incoming_message_len + announced(self.ws)
        if keep_going and size > self.max_message_size:
            log.warning("closed a WebSocket whose message announced %d bytes", size)
            self.sock.send(self.ws.send(CloseConnection(CloseReason.MESSAGE_TOO_BIG, "message too big")))
            self.connected = False  # before waking the reader, which then sees the end
            self.event.set()
            return False
        return keep_going


class BoundedWebSocketWSGI(SimpleWebSocketWSGI):  # type: ignore[misc]
    """Engine.IO's threading WebSocket wrapper, with the server's message limit passed down."""

    def __init__(self, handler: Any, server: Any, **kwargs: Any) -> None:
        super().__init__(handler, server, max_message_size=server.max_http_buffer_size, **kwargs)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.ws = BoundedServer(environ, **self.server_args)
        answer = self.app(self)
        if self.ws.mode == "gunicorn":
            raise StopIteration()
        if self.ws.mode == "werkzeug":
            raise ConnectionError()
        return answer


def install(eio_server: Any) -> None:
    """Make this Engine.IO server (threading mode) open its WebSockets bounded."""
    eio_server._async = {**eio_server._async, "websocket": BoundedWebSocketWSGI}
