"""A tiny SMTP server on 127.0.0.1 that keeps the messages it receives (tests only)."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes
from email.message import Message
from typing import Any


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        self.wfile.write(b"220 sink ready\r\n")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 sink\r\n")
            elif verb == "MAIL":
                recipients = []
                self.wfile.write(b"250 OK\r\n")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                sink.messages.append((recipients, message_from_bytes(data)))
                self.wfile.write(b"250 kept\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.sink = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def settings(self) -> dict[str, Any]:
        return {"host": "127.0.0.1", "port": self.port, "user": None, "password": None,
                "from": "Sounding Board <reviews@example.org>", "security": "none"}  # fmt: skip

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
