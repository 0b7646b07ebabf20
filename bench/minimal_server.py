"""A minimal Flask-SocketIO server speaking the phone side of our protocol: the yardstick for load.py.

Same stack and settings as run.py (gevent + gevent-websocket pywsgi, Flask-SocketIO, the same
ping and buffer settings) but no database, no templates, no results: the join endpoint hands
out a token, `sync` returns a fixed session of 10 skills x 3 criteria, `submit_rating` and
`submit_comment` ack {"ok": true}. Whatever Sounding Board does beyond this is what load.py's
ratio measures.

    .venv/bin/python bench/minimal_server.py --host 127.0.0.1 --port 5099
"""

from __future__ import annotations

if __name__ == "__main__":
    from gevent import monkey

    monkey.patch_all()

import argparse
import itertools
import secrets
from typing import Any

from flask import Flask, jsonify
from flask_socketio import ConnectionRefusedError, SocketIO

SKILLS = 10
CRITERIA = (("relevance", 1, 4), ("importance", 1, 5), ("clarity", 1, 4))

app = Flask(__name__)
socketio = SocketIO()
tokens: dict[str, str] = {}
_numbers = itertools.count(1)


def session_payload(code: str) -> dict[str, Any]:
    """The shape of Sounding Board's SESSION payload (docs/protocol.md), with made-up ids."""
    return {
        "code": code,
        "title": "Minimal",
        "state": "live",
        "pacing": "self",
        "current_skill_id": None,
        "criteria": [
            {
                "id": 100 + i,
                "key": key,
                "label": key.title(),
                "measure": key,
                "scale_min": lo,
                "scale_max": hi,
            }
            for i, (key, lo, hi) in enumerate(CRITERIA)
        ],
        "items": [{"skill_id": 1 + i, "status": "open", "round": 1, "position": i} for i in range(SKILLS)],
    }


@app.post("/api/sessions/<code>/join")
def join(code: str) -> Any:
    token = secrets.token_urlsafe(24)
    tokens[token] = f"P{next(_numbers):02d}"
    return jsonify({"ok": True, "token": token, "participant": tokens[token]})


@socketio.on("connect", namespace="/participant")
def connect(auth: Any = None) -> None:
    if not isinstance(auth, dict) or auth.get("token") not in tokens:
        raise ConnectionRefusedError({"ok": False, "error": "unknown_participant"})


@socketio.on("sync", namespace="/participant")
def sync(_payload: Any = None) -> dict[str, Any]:
    return {"ok": True, "session": session_payload("MINIMAL"), "answers": {}}


@socketio.on("submit_rating", namespace="/participant")
def submit_rating(_payload: Any = None) -> dict[str, Any]:
    return {"ok": True}


@socketio.on("submit_comment", namespace="/participant")
def submit_comment(_payload: Any = None) -> dict[str, Any]:
    return {"ok": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5099)
    args = parser.parse_args()
    socketio.init_app(
        app, async_mode="gevent", ping_interval=10, ping_timeout=20, max_http_buffer_size=64 * 1024
    )
    print(f"Minimal server is running on http://{args.host}:{args.port}/", flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=False)


if __name__ == "__main__":
    main()
