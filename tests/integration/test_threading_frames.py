"""Threading mode (no gevent: Werkzeug, or gunicorn's threads on `run:app`) bounds WebSocket
messages as run.py does: refused at the frame header, not read whole (core/threading_ws.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from core.config import ROOT
from tests.integration.test_hostile_clients import _close_code
from tests.live import WAIT, RunPy, listening, raw_websocket, ws_frame

LIMIT = 64 * 1024
SERVE = """
import sys
from core import create_app
from core.extensions import socketio
from core.schema import upgrade_database
app = create_app()
upgrade_database(app)
socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), allow_unsafe_werkzeug=True, log_output=False)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunPy]:
    """The app in threading mode on 127.0.0.1, in a process of its own without gevent."""
    live = RunPy(tmp_path_factory.mktemp("threading"), ASYNC_MODE="threading")
    log = open(live.log_path, "ab")  # noqa: SIM115 (closed below)
    live.proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(live.port)], cwd=ROOT, env=live.env, stdout=log, stderr=log
    )
    try:
        for _ in range(int(WAIT * 10 * 3)):  # start-up: at most 3 x WAIT
            if live.proc.poll() is not None or listening(live.port, 0.1):
                break
            time.sleep(0.1)
        assert listening(live.port), live.log()
        yield live
    finally:
        live.stop()
        log.close()


def test_a_frame_announcing_100_mb_is_refused_at_its_header(server):
    hostile = raw_websocket(server)
    hostile.sendall(ws_frame(100 * 1024 * 1024, b"4" + b"x" * 4096))  # "4": an Engine.IO message
    assert _close_code(hostile) == 1009
    hostile.close()


def test_fragments_adding_up_past_the_limit_are_refused(server):
    hostile = raw_websocket(server)
    piece = 40 * 1024
    hostile.sendall(ws_frame(piece, b"4" + b"x" * (piece - 1), opcode=0x1, fin=False))
    hostile.sendall(ws_frame(piece, opcode=0x0, fin=False))  # the second one announces too much
    assert _close_code(hostile) == 1009
    hostile.close()


def test_a_message_under_the_limit_still_goes_through(server):
    sock = raw_websocket(server)
    try:
        # A Socket.IO connect to /participant with a stale token of 60 KB: it reaches the app,
        # which answers it (connect_error), so the message was read and handled whole.
        token = "x" * (LIMIT - 4096)
        connect = f'40/participant,{{"token":"{token}"}}'.encode()
        sock.sendall(ws_frame(len(connect), connect))
        sock.settimeout(WAIT)
        data = b""
        while b"44/participant," not in data:
            chunk = sock.recv(65536)
            assert chunk, "the server closed the connection"
            data += chunk
    finally:
        sock.close()
