"""One hostile or clumsy client must not stall the room: oversized messages, floods, file limits."""

from __future__ import annotations

import json
import resource
import socket
import struct
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import (
    CLIENT_WARNINGS,
    WAIT,
    RunPy,
    collect_client_sockets,  # noqa: F401  (autouse: collects the clients' sockets)
    current_rating,
    live_session,
    phone_client,
    raw_websocket,
    running,
    ws_frame,
)

LIMIT = 64 * 1024
pytestmark = CLIENT_WARNINGS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunPy]:
    with running(tmp_path_factory.mktemp("hostile"), MAX_CONNECTIONS_PER_ADDRESS="40") as live:
        yield live


def _close_code(sock: socket.socket) -> int | None:
    """Read until the server's close frame (its code) or the end of the connection (None)."""
    sock.settimeout(WAIT)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            raise AssertionError("the server kept the connection open, still reading the message") from None
        except ConnectionResetError:
            return None
        if not chunk:
            break
        data += chunk
        index = data.find(b"\x88")  # FIN + close opcode, unmasked from the server
        if index >= 0 and len(data) >= index + 4:
            return int(struct.unpack("!H", data[index + 2 : index + 4])[0])
    return None


class HonestPhone:
    """A joined phone rating in a loop on its own thread; it keeps every ack it gets."""

    def __init__(self, server: RunPy) -> None:
        self.client = phone_client(server, live_session(server))
        self.rating = current_rating(self.client)
        self.acks: list[dict[str, object]] = []
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        value = 1
        while not self.stop.is_set():
            value = value % 4 + 1
            try:
                self.acks.append(
                    self.client.call(
                        "submit_rating",
                        {**self.rating, "value": value},
                        namespace="/participant",
                        timeout=WAIT,
                    )
                )
            except Exception as exc:  # a timeout is what this test is about
                self.failures.append(repr(exc))
            time.sleep(0.05)

    def __enter__(self) -> HonestPhone:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(WAIT + 5)
        self.client.disconnect()


def test_a_frame_announcing_100_mb_is_refused_at_its_header(server):
    with HonestPhone(server) as phone:
        hostile = raw_websocket(server)
        hostile.sendall(ws_frame(100 * 1024 * 1024, b"4" + b"x" * 4096))  # "4": an Engine.IO message
        assert _close_code(hostile) == 1009
        hostile.close()
        time.sleep(0.5)
    assert phone.failures == []
    assert phone.acks and all(a["ok"] for a in phone.acks)


def test_fragments_adding_up_past_the_limit_are_refused(server):
    hostile = raw_websocket(server)
    piece = 40 * 1024
    hostile.sendall(ws_frame(piece, b"4" + b"x" * (piece - 1), opcode=0x1, fin=False))
    hostile.sendall(ws_frame(piece, opcode=0x0, fin=False))  # the second one announces too much
    assert _close_code(hostile) == 1009
    hostile.close()


def test_a_message_under_the_limit_still_goes_through(server):
    client = phone_client(server, live_session(server))
    try:
        state = client.call("sync", {}, namespace="/participant", timeout=WAIT)["session"]
        reply = client.call(
            "submit_comment",
            {"skill_id": state["current_skill_id"], "text": "é" * 1000},
            namespace="/participant",
            timeout=WAIT,
        )
        assert reply["ok"] is True
    finally:
        client.disconnect()


def test_a_long_poll_body_over_the_limit_is_refused_before_it_is_read(server):
    with urllib.request.urlopen(f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=WAIT) as answer:
        opened = answer.read().decode()
    sid = json.loads(opened[opened.index("{") :])["sid"]
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as sock:
        sock.sendall(
            f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: x\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {100 * 1024 * 1024}\r\n\r\n".encode()
            + b"x" * 1024
        )
        status = sock.recv(65536).split(b"\r\n", 1)[0]
    assert status.split()[1] in (b"400", b"413"), status


def test_connections_beyond_the_cap_per_address_are_refused_with_a_clear_error(server):
    held = [socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) for _ in range(40)]
    try:
        time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as extra:
            extra.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while chunk := extra.recv(4096):
                answer += chunk
        head, body = answer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 503")
        assert json.loads(body)["error"] == "too_many_connections"
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + WAIT  # once they are closed, the address may connect again
    while True:
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as again:
            again.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            if again.recv(64).startswith(b"HTTP/1.1 200"):
                break
        assert time.monotonic() < deadline, "closed connections were never counted off"
        time.sleep(0.2)


def _lower_soft_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


def test_run_py_raises_the_open_files_limit(tmp_path: Path):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard <= 256:
        pytest.skip(f"the hard limit ({hard}) leaves nothing to raise")
    server = RunPy(tmp_path).start(preexec=_lower_soft_limit)
    try:
        assert server.proc is not None
        limits = Path(f"/proc/{server.proc.pid}/limits").read_text()
        soft = next(line for line in limits.splitlines() if line.startswith("Max open files")).split()[3]
        assert int(soft) > 256
        assert "Open files: limit raised from 256 to" in server.log()
    finally:
        server.stop()
