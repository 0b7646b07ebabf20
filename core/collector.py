"""Python's cyclic garbage collector, kept out of the moments when a whole room taps at once.

A full collection walks every object the process holds. With 1,000 phones connected that is
about 350,000 objects (each connection keeps its greenlet, sockets, queues, WSGI environ...):
some 0.2 s of the one core, during which no phone is answered. CPython starts one when the
objects that survived two younger collections grew by a quarter, and a burst does exactly
that: 1,000 handlers waiting for their commit hold their frames and payloads while the young
collections run, so they are promoted and a full collection fell inside the burst (measured:
the second burst of `bench/load.py` took twice the first; see bench/README.md).

So, under `run.py` only:
- what the start-up built (modules, the app, SQLAlchemy's mappers) is frozen: no collection
  walks it again;
- the young generation is collected after YOUNG new objects instead of 700, so a burst's
  waiting handlers are rarely promoted at all;
- the full collection is made when the process has been quiet for a moment (the room is
  talking, not tapping), at most every 10 s and with at most 2 % of the time, so CPython's own
  rule seldom has to make it in the middle of a burst.
  CPython's rule stays as the backstop for a room that never pauses.
"""

from __future__ import annotations

import gc
import time

from core.extensions import socketio

YOUNG = 20_000  # new objects between young collections (CPython: 700)
CHECK = 0.5  # seconds between looks at how busy the process is
QUIET = 0.1  # the process used less than this share of a core since the last look: a quiet look
QUIET_FOR = 1.0  # seconds of quiet looks in a row before a full collection
SPACING = 10.0  # seconds at least between two full collections made here
SHARE = 0.02  # and at most this share of the time goes to them (5,000 phones: ~1 s each)


def start() -> None:
    """Freeze what start-up built, collect the young less often, and collect fully when quiet."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
    socketio.start_background_task(_watch)


def due(counts: tuple[int, int, int], quiet_for: float, since_full: float, spacing: float = SPACING) -> bool:
    """A full collection now? Only when something was promoted since the last one, the process
    has been quiet for QUIET_FOR seconds, and the last full collection made here is `spacing` old."""
    _, young_collections, middle_collections = counts
    promoted = young_collections + middle_collections > 0
    return promoted and quiet_for >= QUIET_FOR and since_full >= spacing


def spacing_after(took: float) -> float:
    """The least wait before the next full collection made here, after one that took `took` seconds."""
    return max(SPACING, took / SHARE)


class Watcher:
    """Looks every CHECK seconds how busy the process was since its last look; collects when due."""

    def __init__(self) -> None:
        self.last_full = time.monotonic()
        self.spacing = SPACING
        self.quiet_since: float | None = None
        self.cpu, self.wall = time.process_time(), time.monotonic()

    def look(self) -> bool:
        """One look: make the full collection if it is due; say whether it was made."""
        cpu, now = time.process_time(), time.monotonic()
        if (cpu - self.cpu) / max(now - self.wall, 1e-6) < QUIET:
            self.quiet_since = self.wall if self.quiet_since is None else self.quiet_since
        else:
            self.quiet_since = None
        quiet_for = 0.0 if self.quiet_since is None else now - self.quiet_since
        made = due(gc.get_count(), quiet_for, now - self.last_full, self.spacing)
        if made:
            gc.collect()
            self.last_full = time.monotonic()
            self.spacing = spacing_after(self.last_full - now)
            self.quiet_since = None  # the collection itself was not quiet
        self.cpu, self.wall = time.process_time(), time.monotonic()
        return made


def _watch() -> None:
    watcher = Watcher()
    while True:
        socketio.sleep(CHECK)
        watcher.look()
