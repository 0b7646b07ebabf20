"""Clocks the app can run on instead of the real one: a test clock, and one read from a file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask


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


def install(app: Flask, clock: object) -> None:
    app.extensions["sb_clock"] = clock


def init_app(app: Flask) -> None:
    if app.config.get("SB_CLOCK_FILE"):
        install(app, FileClock(app.config["SB_CLOCK_FILE"]))
