"""Run CPU-heavy work (writing a large workbook) off the gevent loop, so live sessions keep flowing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.extensions import socketio

T = TypeVar("T")


def run_blocking(work: Callable[[], T]) -> T:
    """Under gevent, run `work` in a native thread: the loop keeps serving sockets meanwhile.

    Python's GIL still shares the CPU, but the hub gets a turn every few milliseconds instead of
    waiting seconds for a merged export. `work` must not touch the database session.
    """
    if socketio.async_mode != "gevent":
        return work()
    import gevent

    return gevent.get_hub().threadpool.apply(work)
