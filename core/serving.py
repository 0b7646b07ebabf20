"""The gevent server run.py starts: bounded WebSocket messages, connections capped per address.

gevent-websocket (what Flask-SocketIO uses under gevent) reads a whole frame, whatever size its
header announces, before Engine.IO can refuse it; here a message is refused as soon as a header
takes it past the limit. Long-polling bodies are refused by Engine.IO from their Content-Length
before they are read.
"""

from __future__ import annotations

import json
import logging
import resource
import socket
import struct
import time
from collections import Counter
from typing import Any

from gevent import pywsgi
from geventwebsocket.exceptions import ProtocolError, WebSocketError
from geventwebsocket.handler import WebSocketHandler
from geventwebsocket.websocket import Header, WebSocket

log = logging.getLogger("soundingboard")

MESSAGE_TOO_BIG = 1009  # RFC 6455 close code


class BoundedWebSocket(WebSocket):
    """A WebSocket whose messages may not exceed `limit` bytes, checked on each frame header."""

    __slots__ = ("limit", "received")

    def __init__(self, environ: dict[str, Any], stream: Any, handler: Any, limit: int) -> None:
        super().__init__(environ, stream, handler)
        self.limit, self.received = limit, 0

    def read_frame(self) -> tuple[Any, bytes]:
        header = Header.decode_header(self.stream)
        if header.flags:
            raise ProtocolError
        if header.opcode in (self.OPCODE_TEXT, self.OPCODE_BINARY):
            self.received = 0  # a new message starts
        if header.opcode in (self.OPCODE_TEXT, self.OPCODE_BINARY, self.OPCODE_CONTINUATION):
            self.received += header.length
            if self.received > self.limit:
                log.warning("closed a WebSocket whose message announced %d bytes", self.received)
                self.close(MESSAGE_TOO_BIG, b"message too big")
                raise ProtocolError("message too big")  # receive() answers None: the connection ends
        if not header.length:
            return header, b""
        payload = self.raw_read(header.length)  # type: ignore[misc]
        if len(payload) != header.length:
            raise ProtocolError("unexpected end of the frame's payload")
        if header.mask:
            payload = header.unmask_payload(payload)
        return header, payload

    def close(self, code: int = 1000, message: bytes = b"") -> None:
        """Send a close frame that carries its code (gevent-websocket's drops it), once."""
        if self.closed:  # type: ignore[has-type]
            return
        try:
            self.send_frame(struct.pack("!H", code) + self._encode_bytes(message), self.OPCODE_CLOSE)
        except WebSocketError:
            pass  # the peer is gone; the socket is closed all the same
        finally:
            self.closed = True  # type: ignore[misc]
            self.stream = self.raw_write = self.raw_read = self.environ = None  # type: ignore[misc]


class GuardedHandler(WebSocketHandler):
    """gevent-websocket's handler, with the bounded WebSocket swapped in before the app runs.

    A request body the application left unread (it refused it: Engine.IO past 64 KiB, Flask past
    MAX_CONTENT_LENGTH) ends the connection instead of being read to its end, as pywsgi would
    do to keep the connection alive: a body announcing 100 MB would hold the connection that long.
    """

    def run_application(self) -> None:
        if self._socketio_body_too_large():
            self.application = _too_large  # this request only: Engine.IO never sees it
        try:
            super().run_application()
        finally:
            body = getattr(self, "wsgi_input", None)
            if body is not None and (body.chunked_input or body.position < (body.content_length or 0)):
                self.close_connection = True
                body.content_length, body.chunked_input = body.position, False  # nothing left to discard

    def _socketio_body_too_large(self) -> bool:
        """A long-polling POST whose Content-Length is over the message limit.

        Engine.IO would refuse it too, but then close its session and wait for a poll that a
        script sending only POSTs never makes, holding the request open.
        """
        try:
            length = int(self.environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return (
            str(self.environ.get("PATH_INFO", "")).startswith("/socket.io")
            and length > self.server.max_message
        )

    def run_websocket(self) -> Any:
        plain = self.websocket  # type: ignore[has-type]
        self.websocket = BoundedWebSocket(plain.environ, plain.stream, self, self.server.max_message)
        self.environ["wsgi.websocket"] = self.websocket
        return super().run_websocket()


def _too_large(_environ: dict[str, Any], start_response: Any) -> list[bytes]:
    body = json.dumps(
        {"ok": False, "error": "bad_payload", "message": "A message may not exceed 64 KiB."}
    ).encode()
    start_response(
        "413 Content Too Large",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Connection", "close")],
    )
    return [body]


class Server(pywsgi.WSGIServer):
    """pywsgi with the guarded handler and at most `per_address` open connections per client address.

    A venue's phones each hold one or two connections (a WebSocket, briefly a long-poll while it
    upgrades), and each phone has its own address on the local network. Hundreds of connections
    from one address are a runaway script or an attack; refusing them keeps file descriptors for
    the room. 0 turns the cap off (behind a proxy every connection comes from the proxy).
    """

    handler_class = GuardedHandler

    def __init__(self, listener: Any, application: Any, *, max_message: int, per_address: int) -> None:
        super().__init__(listener, application, log=None)
        self.max_message, self.per_address = max_message, per_address
        self.open_by_address: Counter[str] = Counter()
        self._warned: dict[str, float] = {}
        self.stop_requested = False

    def start(self) -> None:
        """Listen and accept, unless stopped meanwhile: listening looks the host's name up (pywsgi's
        SERVER_NAME), which yields to gevent's hub, where a Ctrl+C's handler may stop the server.
        gevent's own start() then accepts on the socket that stop() closed and removed."""
        if self.stop_requested:
            return
        self.init_socket()
        if self.stop_requested:
            self.close()
            return
        self._stop_event.clear()
        try:
            self.start_accepting()
        except BaseException:
            self.close()
            raise

    def stop(self, timeout: float | None = None) -> None:
        self.stop_requested = True
        super().stop(timeout)

    def handle(self, sock: Any, address: Any) -> None:
        host = str(address[0]) if isinstance(address, tuple) and address else ""
        if self.per_address and self.open_by_address[host] >= self.per_address:
            self._refuse(sock, host)
            return
        self.open_by_address[host] += 1
        try:
            super().handle(sock, address)
        finally:
            self.open_by_address[host] -= 1
            if self.open_by_address[host] <= 0:
                del self.open_by_address[host]

    def _refuse(self, sock: Any, host: str) -> None:
        if time.monotonic() - self._warned.get(host, -3600.0) > 60:
            self._warned[host] = time.monotonic()
            log.warning("refused connections from %s: it already holds %d", host, self.per_address)
        body = json.dumps(
            {
                "ok": False,
                "error": "too_many_connections",
                "message": f"This address holds {self.per_address} connections already; close some, retry.",
            }
        ).encode()
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
            f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        try:
            sock.sendall(head + body)
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(0.5)  # read what the client already sent, so that closing does not reset
            sock.recv(65536)  # the connection before it has read the answer
        except OSError:
            pass
        finally:
            sock.close()


def raise_open_files_limit() -> tuple[int, int]:
    """Raise the soft limit on open files (1,024 on many laptops) to the hard limit; return (old, new).

    Each phone holds a socket: with the soft limit, about a thousand connections lock out the rest.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1_048_576)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            return soft, soft
        return soft, target
    return soft, soft
