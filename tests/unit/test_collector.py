"""The garbage collector's schedule under run.py (core/collector.py): full collections when quiet."""

from __future__ import annotations

import gc

import pytest

from core import collector


@pytest.mark.parametrize(
    ("counts", "quiet_for", "since_full", "expected"),
    [
        ((5, 3, 1), 5.0, 60.0, True),  # promoted, quiet, long ago
        ((5, 1, 0), collector.QUIET_FOR, 10.0, True),  # only into the middle generation: still worth it
        ((500, 0, 0), 5.0, 60.0, False),  # nothing promoted since the last one: nothing to find
        ((5, 3, 1), 0.0, 60.0, False),  # the room is tapping: wait
        ((5, 3, 1), 0.5, 60.0, False),  # quiet only a moment: a burst may be starting
        ((5, 3, 1), 5.0, 2.0, False),  # one was made a moment ago
    ],
)
def test_a_full_collection_waits_for_quiet(counts, quiet_for, since_full, expected) -> None:
    assert collector.due(counts, quiet_for, since_full) is expected


def test_the_next_full_collection_waits_in_proportion_to_the_last_ones_cost() -> None:
    assert collector.spacing_after(0.05) == collector.SPACING
    assert collector.spacing_after(1.0) == 1.0 / collector.SHARE
    assert collector.due((5, 3, 1), 0.0, 30.0, spacing=collector.spacing_after(1.0)) is False


def test_a_quiet_look_collects_promoted_garbage(monkeypatch) -> None:
    found: list[int] = []

    class Cycle:
        def __del__(self) -> None:
            found.append(1)

    clock = [1000.0]
    monkeypatch.setattr(collector.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(collector.time, "process_time", lambda: 5.0)  # no CPU used: quiet
    real_collect = gc.collect

    def collect_taking_a_second(*args: int) -> int:  # as with 5,000 phones connected
        clock[0] += 1.0
        return real_collect(*args)

    monkeypatch.setattr(collector.gc, "collect", collect_taking_a_second)
    watcher = collector.Watcher()
    gc.disable()  # only the watcher collects here
    try:
        cycle = Cycle()
        cycle.me = cycle  # type: ignore[attr-defined]
        real_collect(1)  # promoted into the oldest generation while alive, as a burst's waiting handlers
        del cycle
        real_collect(1)  # a younger collection does not look there
        assert found == [] and gc.get_count()[2] > 0
        watcher.last_full -= collector.SPACING  # the last full collection is old enough
        clock[0] += collector.CHECK  # but the quiet began only one look ago
        assert watcher.look() is False
        clock[0] += collector.QUIET_FOR - collector.CHECK
        assert watcher.look() is True
        assert found == [1]
        real_collect(1)  # something promoted again
        clock[0] += collector.SPACING * 2
        assert watcher.look() is False  # the last one took 1 s: the next waits 1 / SHARE = 50 s
        clock[0] += 1.0 / collector.SHARE
        assert watcher.look() is True
    finally:
        gc.enable()


def test_start_freezes_what_start_up_built_and_collects_the_young_less_often(monkeypatch) -> None:
    started: list[object] = []
    monkeypatch.setattr(collector.socketio, "start_background_task", lambda f, *a: started.append(f))
    before = gc.get_threshold()
    try:
        collector.start()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == collector.YOUNG
        assert started == [collector._watch]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
