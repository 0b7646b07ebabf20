"""The pause after a dashboard push is paid for by the push's own CPU, not by a busy machine."""

from __future__ import annotations

import time
from typing import Any

import pytest

from core import live


def test_waiting_without_working_adds_no_pause(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A push that took 0.3 s of wall time but no CPU (waiting for a core on a loaded machine, as on
    a laptop running a projector and a browser) must not hold the dashboard's next push for 2.7 s:
    the dashboard would show '2 / 3 answered' for seconds after the third phone's answer."""
    monkeypatch.setattr(live, "_flush", lambda *_args: time.sleep(0.3))
    batcher = live.ResultsBatcher()
    batcher._flush_later(app, 1, 0.0)
    assert batcher._pause[1] < 0.2


def test_a_push_that_worked_still_pauses_the_next(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pushes keep to a tenth of the process: 0.1 s of CPU holds the next one about 0.9 s."""

    def busy(*_args: Any) -> None:
        end = time.thread_time() + 0.1
        while time.thread_time() < end:
            pass

    monkeypatch.setattr(live, "_flush", busy)
    batcher = live.ResultsBatcher()
    batcher._flush_later(app, 1, 0.0)
    assert 0.8 <= batcher._pause[1] < 2.0
