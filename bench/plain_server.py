"""A plain python-socketio server (no Flask, no database): one handler that acks; load.py's floor.

python-socketio's own `socketio.Server` on gevent's pywsgi with gevent-websocket, the same ping
and buffer settings as run.py. The join endpoint hands out a token, `sync` returns the same fixed
session as bench/minimal_server.py, and `submit_rating` / `submit_comment` answer {"ok": true}.
What Flask-SocketIO adds is the distance to minimal_server.py; what Sounding Board adds on top,
the distance to that.

    .venv/bin/python bench/plain_server.py --host 127.0.0.1 --port 5098
"""

from __future__ import annotations

if __name__ == "__main__":
    from gevent import monkey

    monkey.patch_all()

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import Any

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from minimal_server import session_payload  # noqa: E402  (the same fixed session)

sio = socketio.Server(async_mode="gevent", ping_interval=10, ping_timeout=20, max_http_buffer_size=64 * 1024)
tokens: set[str] = set()


def join(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """POST /api/sessions/<code>/join -> {"ok": true, "token": ...}; anything else 404."""
    path = environ.get("PATH_INFO", "")
    if environ.get("REQUEST_METHOD") != "POST" or not path.endswith("/join"):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    token = secrets.token_urlsafe(24)
    tokens.add(token)
    body = json.dumps({"ok": True, "token": token, "participant": f"P{len(tokens):02d}"}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


@sio.on("connect", namespace="/participant")
def connect(_sid: str, _environ: Any, auth: Any = None) -> None:
    if not isinstance(auth, dict) or auth.get("token") not in tokens:
        raise socketio.exceptions.ConnectionRefusedError({"ok": False, "error": "unknown_participant"})


@sio.on("sync", namespace="/participant")
def sync(_sid: str, _payload: Any = None) -> dict[str, Any]:
    return {"ok": True, "session": session_payload("PLAIN"), "answers": {}}


@sio.on("submit_rating", namespace="/participant")
def submit_rating(_sid: str, _payload: Any = None) -> dict[str, Any]:
    return {"ok": True}


@sio.on("submit_comment", namespace="/participant")
def submit_comment(_sid: str, _payload: Any = None) -> dict[str, Any]:
    return {"ok": True}


def main() -> None:
    from gevent import pywsgi
    from geventwebsocket.handler import WebSocketHandler

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5098)
    args = parser.parse_args()
    app = socketio.WSGIApp(sio, join)
    print(f"Plain python-socketio server is running on http://{args.host}:{args.port}/", flush=True)
    pywsgi.WSGIServer((args.host, args.port), app, handler_class=WebSocketHandler, log=None).serve_forever()


if __name__ == "__main__":
    main()
