"""Several processes: one dashboard push per session per interval, whichever processes' phones answered.

Each process batches what its own phones change (core/live.py's ResultsBatcher) and pushes it at
most every interval. With one process that is one push per interval. With several behind a
proxy, every process that had an answer pushed the whole session's figures for the same
interval: N recomputations from PostgreSQL (each reads the session's answers and participants)
and N `results_updated` messages through Redis to the same dashboard, which then draws N times.

Here the processes share, in Redis, what waits to be pushed for a session (a set: the skills,
presence, list questions) and a turn per session that lasts one interval. At the end of its own
interval a process adds what it has to the set and tries to take the turn: the one that gets it
takes the whole set and pushes it (its own changes and the others'); the others wait until the
turn is over and try again only while their own changes are still in the set. So the session
gets about one push per interval whatever the number of processes, a change waits about one
interval more at most, and nothing is dropped: a change is added to the set before its process
tries for the turn, and the holder takes the set after it got the turn.

A push costs more as the room grows (at 1,000 phones it reads thousands of answers and a
completion row per person; tens of milliseconds, more on a busy core). A holder whose push took
t keeps the turn for SHARE x t (at most MAX_TURN_MS), so that pushing the dashboard never takes
more than about a quarter of the time the processes have for the phones: under load the
dashboard's figures come less often, the phones' acknowledgements do not wait for them.

If Redis cannot be reached, a process pushes its own changes itself (as without this).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from core.config import REDIS_SCHEMES
from core.extensions import socketio

log = logging.getLogger("soundingboard")
PREFIX = "soundingboard:push"
KEEP = 3600  # seconds an unclaimed set survives (a process died holding the last turn)
RETRIES = 20  # turns a process waits for at most before pushing its changes itself
SHARE = 4  # a push that took t keeps the turn for at least SHARE x t: at most a quarter of the time
MAX_TURN_MS = 3000  # however costly a push, the next may follow 3 s later

Push = Callable[[int, set[int], bool, set[int]], None]


def encode(skills: set[int], presence: bool, questions: set[int]) -> list[str]:
    return [f"s{s}" for s in skills] + (["p"] if presence else []) + [f"q{q}" for q in questions]


def decode(members: Any) -> tuple[set[int], bool, set[int]]:
    skills: set[int] = set()
    questions: set[int] = set()
    presence = False
    for raw in members:
        member = raw.decode() if isinstance(raw, bytes) else str(raw)
        if member == "p":
            presence = True
        elif member[:1] == "s":
            skills.add(int(member[1:]))
        elif member[:1] == "q":
            questions.add(int(member[1:]))
    return skills, presence, questions


class SharedPushes:
    """The set of waiting changes and the turn, per session, in the Redis of the message queue."""

    def __init__(self, url: str, interval: float) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.turn_ms = max(int(interval * 1000), 1)
        self.pushes = 0  # pushes this process made, for tests and benchmarks

    def flush(
        self, session_id: int, skills: set[int], presence: bool, questions: set[int], push: Push
    ) -> None:
        """Hand this process's changes over and push the session's if it is our turn (see above)."""
        try:
            taken = self._take_turn(session_id, encode(skills, presence, questions))
        except Exception:  # noqa: BLE001 - Redis is gone: the dashboard must still hear of the answers
            log.exception("shared pushes: Redis failed; this process pushes its own changes")
            taken = (skills, presence, questions)
        if taken is not None and any(taken):
            self.pushes += 1
            start = time.monotonic()
            push(session_id, *taken)
            self._stretch_turn(session_id, time.monotonic() - start)

    def _stretch_turn(self, session_id: int, took: float) -> None:
        """A costly push keeps the turn longer: pushes take at most 1/SHARE of the time, cluster-wide."""
        left_ms = min(int(took * (SHARE - 1) * 1000), MAX_TURN_MS)
        if left_ms > self.turn_ms - int(took * 1000):
            try:
                self.redis.set(f"{PREFIX}:{session_id}:turn", 1, px=left_ms)
            except Exception:  # noqa: BLE001 - only the pace of the next push depends on it
                log.warning("shared pushes: could not stretch the turn of session %s", session_id)

    def _take_turn(self, session_id: int, members: list[str]) -> tuple[set[int], bool, set[int]] | None:
        """What this process must push now, or None when another process took our changes."""
        if not members:
            return None
        waiting, turn = f"{PREFIX}:{session_id}", f"{PREFIX}:{session_id}:turn"
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.sadd(waiting, *members)
            pipe.expire(waiting, KEEP)
            pipe.set(turn, 1, nx=True, px=self.turn_ms)
            pipe.pttl(turn)
            *_, mine, left = pipe.execute()
        for _ in range(RETRIES):
            if mine:
                with self.redis.pipeline(transaction=True) as pipe:
                    pipe.smembers(waiting)
                    pipe.delete(waiting)
                    taken, _ = pipe.execute()
                return decode(taken)
            socketio.sleep(max(left, 5) / 1000)  # until the holder's turn is over
            if not any(self.redis.smismember(waiting, members)):  # Redis 6.2 or later
                return None  # the holder took ours; what others added since is theirs to push
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.set(turn, 1, nx=True, px=self.turn_ms)
                pipe.pttl(turn)
                mine, left = pipe.execute()
        log.warning("shared pushes: no turn for session %s; this process pushes its own changes", session_id)
        return decode(members)


def shared_pushes(app: Flask) -> SharedPushes | None:
    """The app's SharedPushes when several processes share a Redis message queue, else None."""
    queue = app.config.get("SB_MESSAGE_QUEUE") or ""
    interval = app.config["SB_RESULTS_INTERVAL"]
    if not queue.startswith(REDIS_SCHEMES) or interval <= 0:
        return None
    found = app.extensions.get("sb_shared_pushes")
    if found is None:
        found = app.extensions["sb_shared_pushes"] = SharedPushes(queue, interval)
    return found  # type: ignore[no-any-return]
