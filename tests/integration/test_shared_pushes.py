"""Several processes share one dashboard push per session per interval, through Redis (core/shared_pushes.py).

Two SharedPushes on the real Redis stand for two processes; each thread is one process's batcher
at the end of its interval.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

import pytest
import redis
from flask import Flask

from core.shared_pushes import PREFIX, SharedPushes, shared_pushes
from tests.integration.test_multiprocess import services  # noqa: F401  (fails under CI=true if absent)

pytestmark = [pytest.mark.redis]
URL = "redis://127.0.0.1:6379/0"
INTERVAL = 0.2


class Pushed:
    """What the processes pushed: (when, session, skills, presence, questions), in order."""

    def __init__(self) -> None:
        self.lock, self.calls = threading.Lock(), list[tuple[float, int, set[int], bool, set[int]]]()

    def __call__(self, session_id: int, skills: set[int], presence: bool, questions: set[int]) -> None:
        with self.lock:
            self.calls.append((time.monotonic(), session_id, skills, presence, questions))


@pytest.fixture
def session_id(services: None) -> Any:  # noqa: F811
    """A session id no other run uses; its keys are removed afterwards."""
    sid = 10**12 + secrets.randbelow(10**12)
    yield sid
    redis.Redis.from_url(URL).delete(f"{PREFIX}:{sid}", f"{PREFIX}:{sid}:turn")


def test_changes_from_two_processes_in_one_turn_make_one_push_with_all_of_them(
    app: Flask, session_id: int
) -> None:
    a, b, pushed = SharedPushes(URL, INTERVAL), SharedPushes(URL, INTERVAL), Pushed()
    # a third process's turn is running: both processes' changes wait for its end
    redis.Redis.from_url(URL).set(f"{PREFIX}:{session_id}:turn", 1, px=int(INTERVAL * 1000))
    threads = [
        threading.Thread(target=a.flush, args=(session_id, {1, 2}, False, set(), pushed)),
        threading.Thread(target=b.flush, args=(session_id, {2, 3}, True, {7}, pushed)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert [(s, skills, presence, q) for _, s, skills, presence, q in pushed.calls] == [
        (session_id, {1, 2, 3}, True, {7})
    ]
    assert a.pushes + b.pushes == 1


def test_a_second_process_waits_for_the_turn_and_loses_nothing(app: Flask, session_id: int) -> None:
    a, b, pushed = SharedPushes(URL, INTERVAL), SharedPushes(URL, INTERVAL), Pushed()
    a.flush(session_id, {1}, False, set(), pushed)
    b.flush(session_id, {2}, False, set(), pushed)  # a's turn is still running
    assert [skills for _, _, skills, _, _ in pushed.calls] == [{1}, {2}]
    first, second = pushed.calls[0][0], pushed.calls[1][0]
    assert second - first >= INTERVAL * 0.9  # one push per interval for the session


def test_without_redis_a_process_pushes_its_own_changes(app: Flask) -> None:
    pushed = Pushed()
    SharedPushes("redis://127.0.0.1:1/0", INTERVAL).flush(42, {5}, True, set(), pushed)
    assert [(s, skills, presence) for _, s, skills, presence, _ in pushed.calls] == [(42, {5}, True)]


def test_only_a_redis_message_queue_with_batching_shares_pushes(app: Flask) -> None:
    assert shared_pushes(app) is None  # one process: nothing to share
    app.config["SB_MESSAGE_QUEUE"] = URL
    assert shared_pushes(app) is None  # RESULTS_INTERVAL 0 in tests: every answer pushed at once
    app.config["SB_RESULTS_INTERVAL"] = INTERVAL
    assert isinstance(shared_pushes(app), SharedPushes)


def test_a_costly_push_keeps_the_turn_longer(app: Flask, session_id: int) -> None:
    def slow_push(*_args: Any) -> None:
        time.sleep(0.3)  # a push that costs more than the interval

    SharedPushes(URL, INTERVAL).flush(session_id, {1}, False, set(), slow_push)
    left = redis.Redis.from_url(URL).pttl(f"{PREFIX}:{session_id}:turn")
    assert left > 600  # about 3 x 0.3 s from the push's end (SHARE = 4), not what was left of 0.2 s


def test_a_process_whose_changes_were_taken_does_not_push_the_newer_ones(app: Flask, session_id: int) -> None:
    store, pushed = redis.Redis.from_url(URL), Pushed()
    waiting, turn = f"{PREFIX}:{session_id}", f"{PREFIX}:{session_id}:turn"
    store.set(turn, 1, px=1000)  # another process's turn
    process = SharedPushes(URL, INTERVAL)
    a = threading.Thread(target=process.flush, args=(session_id, {1}, False, set(), pushed))
    a.start()
    time.sleep(0.1)
    assert store.smembers(waiting) == {b"s1"}
    store.delete(waiting)  # the holder took it (and pushed skill 1) ...
    store.sadd(waiting, "s5")  # ... and since then a third process's phone answered skill 5
    a.join(10)
    assert pushed.calls == []  # skill 5 is the third process's to push, in its own turn
    assert store.smembers(waiting) == {b"s5"}
