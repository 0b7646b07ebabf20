"""bench/load.py's facilitator dashboard counts the connection's drops, not its own close."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load  # noqa: E402  (bench/ is a folder of scripts)


class FakeClient:
    """Stands in for socketio.AsyncClient: disconnecting calls the disconnect handler, as it does."""

    def __init__(self, dashboard: load.Dashboard) -> None:
        self.dashboard = dashboard

    async def disconnect(self) -> None:
        await self.dashboard.on_disconnect("client disconnect")


class FakeHttp:
    async def close(self) -> None:
        return None


def run(coroutine: Any) -> None:
    """asyncio.run in a thread of its own: in a test process that ran a browser test first,
    Playwright keeps an event loop running in this thread, where asyncio.run refuses to start."""
    failures: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 - shown to the test below
            failures.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def closed(dashboard: load.Dashboard, client: Any) -> None:
    http: Any = FakeHttp()  # stands in for aiohttp.ClientSession, of which the dashboard only closes
    dashboard.client, dashboard.http = client, http
    run(dashboard.__aexit__())


def test_closing_the_dashboard_is_not_a_drop() -> None:
    dashboard = load.Dashboard(None, "CODE")  # type: ignore[arg-type]
    closed(dashboard, FakeClient(dashboard))
    assert dashboard.dropped == 0


def test_a_drop_before_closing_is_counted_with_its_reason() -> None:
    dashboard = load.Dashboard(None, "CODE")  # type: ignore[arg-type]
    run(dashboard.on_disconnect("transport error"))
    closed(dashboard, FakeClient(dashboard))
    assert dashboard.dropped == 1
    assert dashboard.drop_reasons == {"transport error": 1}
