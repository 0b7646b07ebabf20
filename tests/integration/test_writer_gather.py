"""How long the rating writer lets taps gather: longer on PostgreSQL when its batches are slow."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask

from services import participation, rating_writer
from services.rating_writer import GATHER, GATHER_SHARED_MAX, gather_time


@pytest.mark.parametrize(
    ("dialect", "last_batch", "expected"),
    [
        ("sqlite", None, GATHER),
        ("sqlite", 0.03, GATHER),  # one process: unchanged
        ("postgresql", None, GATHER),  # the first batch of a run: nothing measured yet
        ("postgresql", 0.0005, GATHER),
        ("postgresql", 0.03, 0.03),  # as long as the last batch took
        ("postgresql", 0.4, GATHER_SHARED_MAX),  # a starved batch: a tap waits 50 ms at most
    ],
)
def test_gather_time(dialect: str, last_batch: float | None, expected: float) -> None:
    assert gather_time(dialect, last_batch) == expected


def test_the_writer_gathers_after_measuring_its_last_batch(
    app: Flask, make_session: Any, make_participant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each run starts with nothing measured; the next gather is told how long the batch took."""
    session = make_session(state="live", pacing="self")
    people = [make_participant(session)[0] for _ in range(2)]
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    asked: list[float | None] = []

    def asking(_dialect: str, last: float | None) -> float:
        asked.append(last)
        return GATHER

    monkeypatch.setattr(rating_writer, "gather_time", asking)
    real_apply, second = rating_writer.apply_batch, list[threading.Thread]()

    def slow_apply(writes: Any, conn: Any = None) -> Any:
        if not second:  # while the first batch runs, the second person taps
            second.append(threading.Thread(target=tap, args=(people[1],)))
            second[0].start()
            time.sleep(0.06)
        return real_apply(writes, conn)

    def tap(person: Any) -> None:
        with app.app_context():
            participation.record_rating(person, {"skill_id": skill, "criterion_id": criterion, "value": 2})

    monkeypatch.setattr(rating_writer, "apply_batch", slow_apply)
    tap(people[0])
    second[0].join(10)
    assert asked[0] is None  # a new run
    assert asked[1] is not None and asked[1] >= 0.06  # the first batch, slept in, measured
    assert rating_writer.writer().written == 2
