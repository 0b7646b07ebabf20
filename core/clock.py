"""Clocks the app can run on instead of the real one: a test clock, and one read from a file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask

from models.base import set_clock


class TestClock:
    __test__ = False  # not a pytest test class

    """A clock that stands still until moved: `clock.advance(days=3)`."""

    def __init__(self, start: datetime) -> None:
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)


class FileClock:
    """The time written (ISO 8601, with its offset) in a file; the real time while it is empty.

    For a server in another process (the browser tests): the test writes the file to move time.
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def __call__(self) -> datetime:
        try:
            text = self.path.read_text().strip()
        except FileNotFoundError:
            text = ""
        return datetime.fromisoformat(text).astimezone(UTC) if text else datetime.now(UTC)


def install(app: Flask, clock: Callable[[], datetime] | None) -> None:
    """The clock `models.utcnow` reads (one per process: the app this process serves)."""
    app.extensions["sb_clock"] = clock
    set_clock(clock)


def init_app(app: Flask) -> None:
    """The real clock, unless SOUNDINGBOARD_CLOCK_FILE names a file (tests only)."""
    install(app, FileClock(app.config["SB_CLOCK_FILE"]) if app.config.get("SB_CLOCK_FILE") else None)
