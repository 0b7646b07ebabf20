"""Wall and CPU time per test file, for finding what makes the suite slow (not a test).

`SB_FILE_COST=/tmp/cost.tsv .venv/bin/python -m pytest` appends one row per file and worker
(worker, file, tests, wall s, CPU s) to that file, and one row per test (worker, test id, start,
wall s) to `/tmp/cost.tsv.tests`. CPU is the worker's own, its reaped children's, and that of every
process still running under it (live server, Playwright, Chromium) read from /proc. Approximate:
a session fixture's start and stop land in the test that caused them, and processes that end at
the session's close (Chromium) make the last test of each worker negative. Off unless the variable is set.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

_TICK = os.sysconf("SC_CLK_TCK")
_totals: dict[str, list[float]] = {}
_tests: list[tuple[str, float, float]] = []  # nodeid, start (epoch), wall


def _tree_cpu() -> float:
    """CPU seconds of this process, its reaped children, and every live descendant (with theirs)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    gone = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + gone.ru_utime + gone.ru_stime
    todo = _children(os.getpid())
    while todo:
        pid = todo.pop()
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        total += sum(int(f) for f in stat[stat.rindex(")") + 2 :].split()[11:15]) / _TICK
        todo.extend(_children(pid))
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(c) for c in (task / "children").read_text().split())
    except OSError:
        pass
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    start, wall, cpu = time.time(), time.perf_counter(), _tree_cpu()
    yield
    row = _totals.setdefault(item.nodeid.split("::")[0], [0.0, 0.0, 0.0])
    _tests.append((item.nodeid, start, time.perf_counter() - wall))
    row[0] += _tests[-1][2]
    row[1] += _tree_cpu() - cpu
    row[2] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get("SB_FILE_COST")
    if not target or not _totals:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(target, "a") as out:
        for path, (wall, cpu, count) in _totals.items():
            out.write(f"{worker}\t{path}\t{count:.0f}\t{wall:.2f}\t{cpu:.2f}\n")
    with open(target + ".tests", "a") as out:
        for nodeid, start, wall in _tests:
            out.write(f"{worker}\t{nodeid}\t{start:.3f}\t{wall:.3f}\n")
