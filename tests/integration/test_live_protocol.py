"""The protocol over real sockets (run.py under gevent): what a phone's Socket.IO client sees."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

import pytest
import socketio

from tests.live import (
    CLIENT_WARNINGS,
    WAIT,
    RunPy,
    collect_client_sockets,  # noqa: F401  (autouse: collects the clients' sockets)
    join,
    live_session,
    phone_client,
    raw_websocket,
    running,
    ws_frame,
)

pytestmark = CLIENT_WARNINGS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunPy]:
    with running(tmp_path_factory.mktemp("live-protocol")) as live:
        yield live


def _refusal(server: RunPy, namespace: str, auth: Any) -> Any:
    """Connect and return the `data` of the refusal (socket.io-client's `err.data`).

    The CONNECT_ERROR packet carries {"message": TEXT, "data": ACK}; the JavaScript client makes
    an Error of it with `err.message` and `err.data`, python-socketio passes the whole dict.
    """
    client = socketio.Client(reconnection=False)
    errors: queue.Queue[Any] = queue.Queue()
    client.on("connect_error", errors.put, namespace=namespace)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            server.url, namespaces=[namespace], transports=["websocket"], auth=auth, wait_timeout=WAIT
        )
    client.disconnect()
    packet = errors.get(timeout=WAIT)
    assert isinstance(packet, dict) and packet["message"] == packet["data"]["message"], packet
    return packet["data"]


def test_a_stale_token_is_refused_with_the_documented_data(server):
    data = _refusal(server, "/participant", {"token": "stale-token-from-last-week"})
    assert data["ok"] is False and data["error"] == "unknown_participant"
    assert data["message"]


def test_a_dashboard_without_sign_in_is_refused_with_data(server):
    code = live_session(server)
    data = _refusal(server, "/facilitator", {"code": code})
    assert data == {"ok": False, "error": "not_authorized", "message": data["message"]}


def test_a_joined_phone_connects_and_unknown_events_are_answered(server):
    code = live_session(server)
    client = phone_client(server, code)
    try:
        assert client.call("sync", {}, namespace="/participant", timeout=WAIT)["ok"] is True
        reply = client.call(
            "open_item", {"code": code, "skill_id": 1}, namespace="/participant", timeout=WAIT
        )
        assert reply["error"] == "unknown_event"
    finally:
        client.disconnect()


def test_a_payload_too_deep_to_decode_is_answered_bad_payload(server):
    """A packet python-socketio cannot decode used to be dropped without an answer."""
    code = live_session(server)
    token = join(server, code)
    ws = raw_websocket(server)
    try:
        ws.recv(4096)  # Engine.IO open
        connect = ('40/participant,{"token":"' + token + '"}').encode()
        ws.sendall(ws_frame(len(connect), connect))
        assert b"40/participant" in ws.recv(4096)
        for payload in ("[" * 5000 + "]" * 5000, '{"skill_id": ' + "9" * 200 + "}"):
            packet = ('42/participant,7["submit_rating",' + payload + "]").encode()
            ws.sendall(ws_frame(len(packet), packet))
            answer = b""
            while b"43/participant,7" not in answer:
                answer += ws.recv(4096)
            assert b'"error":"bad_payload"' in answer.replace(b" ", b"")
    finally:
        ws.close()
