"""Closing every socket of a person or an account at once, whichever process holds it.

A Socket.IO room lives in the memory of each process: with several processes (a Redis message
queue, docs/deploy.md) one process cannot list the sockets another holds, and python-socketio
closes a socket only by its sid. So the rooms that must be closable (a participant's
`person:<id>`, an account's `user:<id>`) are also kept as Redis sets of sids; closing one
disconnects each sid through the server, which hands a sid it does not hold to the message
queue, and the process holding it closes it and runs its disconnect handler. With one process
(no queue) the local room is enough. The sets hold only random sids, never who is behind them.
Only Redis queues are accepted (`core.config.check_message_queue` refuses the others at start).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app

from core.config import REDIS_SCHEMES
from core.extensions import socketio

KEY = "sb:sockets:{install}:{namespace}:{room}"
KEEP = 2 * 24 * 3600  # seconds: a set outlives its sockets only if a process died holding them


def _redis() -> Any:
    """The Redis client beside the message queue, or None with one process."""
    url = current_app.config.get("SB_MESSAGE_QUEUE")
    if not url or not str(url).startswith(REDIS_SCHEMES):  # any other queue is refused at start
        return None
    client = current_app.extensions.get("sb_socket_rooms")
    if client is None:
        import redis

        client = current_app.extensions["sb_socket_rooms"] = redis.Redis.from_url(url)
    return client


def _key(namespace: str, room: str) -> str:
    """Per installation (its database), so that two sharing a Redis never close each other's sockets."""
    database = str(current_app.config.get("SQLALCHEMY_DATABASE_URI", ""))
    install = hashlib.sha256(database.encode()).hexdigest()[:12]
    return KEY.format(install=install, namespace=namespace, room=room)


def remember(sid: str, namespace: str, room: str) -> None:
    """Note that `sid` is in `room` (call it beside join_room)."""
    client = _redis()
    if client is not None:
        key = _key(namespace, room)
        client.pipeline().sadd(key, sid).expire(key, KEEP).execute()


def forget(sid: str, namespace: str, room: str) -> None:
    """The socket went away (its disconnect handler)."""
    client = _redis()
    if client is not None:
        client.srem(_key(namespace, room), sid)


def close(namespace: str, room: str) -> None:
    """Disconnect every socket in `room`, in this process and in the others."""
    sids = {sid for sid, _eio in socketio.server.manager.get_participants(namespace, room)}
    client = _redis()
    if client is not None:
        key = _key(namespace, room)
        sids |= {sid.decode() for sid in client.smembers(key)}
        client.delete(key)
    for sid in sids:
        socketio.server.disconnect(sid, namespace=namespace)
