"""Browser fixtures: the real server in a subprocess, headless Chromium, a facilitator and phones."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser import a11y

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium reaches for the internet at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EMAIL, PASSWORD = "ada@example.org", "correct horse battery"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a skipped browser suite would hide breakage."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (`-m "not browser"`, the suite's file order),
    also in a module that forgot its `pytestmark` (test_prioritisation did, and ran last in CI)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.parent == here and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    url: str
    log: Path

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """run.py (gevent, migrations, real Socket.IO) on a free loopback port with its own instance folder."""
    home = tmp_path_factory.mktemp("live")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    env.update(
        SOUNDINGBOARD_INSTANCE_PATH=str(home / "instance"),
        SOUNDINGBOARD_PUBLIC_URL=url,
        PYTHONUNBUFFERED="1",
        # Every phone of the whole browser suite joins from 127.0.0.1, hundreds in a few minutes:
        # lift the per-address join budget a real room (spread over many phones) never meets.
        # The limits themselves are tested in tests/integration/test_security_joins.py.
        SOUNDINGBOARD_JOIN_LIMITS="100000 per minute",
    )
    log = home / "server.log"
    with log.open("wb") as out:  # the child keeps its own descriptor; no pipe left to close
        process = subprocess.Popen(
            [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = LiveServer(url, log)
    try:
        _wait_until_up(process, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_up(process: subprocess.Popen[bytes], server: LiveServer, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"run.py exited with {process.returncode}:\n{server.tail()}", pytrace=False)
        try:
            with urllib.request.urlopen(server.url + "/", timeout=1) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            error.close()
            time.sleep(0.1)
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"run.py did not answer within {limit:.0f} s:\n{server.tail()}", pytrace=False)


@pytest.fixture(autouse=True)
def server_errors(live_server: LiveServer) -> Iterator[None]:
    """Fail a test during which the server logged a traceback, even if the page looked fine."""
    start = live_server.log.stat().st_size
    yield
    with live_server.log.open("rb") as log:
        log.seek(start)
        new = log.read().decode(errors="replace")
    assert "Traceback" not in new, f"the server logged an error:\n{new[-4000:]}"


@pytest.fixture(scope="session", autouse=True)
def chromium_available() -> None:
    """Checked before anything starts, so that a machine without Chromium skips at once."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@dataclass
class Watched:
    """JavaScript errors and dialogs seen by the pages of a test; none is expected."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    confirm: set[str] = field(default_factory=set)  # questions the test means to answer "OK"

    def attach(self, page: Any, who: str) -> Any:
        page.set_default_timeout(TIMEOUT_MS)
        page.on("pageerror", lambda error: self.errors.append(f"{who}: {error}"))
        # The CSP (core/security.py) blocks inline scripts and styles: any refusal is a defect.
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"{who}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

        def on_dialog(dialog: Any) -> None:
            if dialog.type == "confirm" and dialog.message in self.confirm:
                dialog.accept()
                return
            self.dialogs.append(f"{who}: {dialog.type} {dialog.message!r}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page


@pytest.fixture
def watched() -> Iterator[Watched]:
    seen = Watched()
    yield seen
    assert not seen.errors, f"JavaScript errors: {seen.errors}"
    assert not seen.dialogs, f"Unexpected dialogs: {seen.dialogs}"


@pytest.fixture(scope="session")
def facilitator_login(browser: Any, live_server: LiveServer) -> dict[str, Any]:
    """Create the administrator through the first-run page; return the signed-in cookies.

    The first visit to /f/ must lead to the set-up page; test_first_run checks the rest.
    """
    from playwright.sync_api import expect

    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(live_server.url + "/f/")
        expect(page).to_have_url(live_server.url + "/f/setup")
        expect(page.get_by_role("heading", name="Welcome to Sounding Board")).to_be_visible()
        a11y.remember(page, "first-run")  # asserted by test_accessibility, not here
        page.get_by_label("Your name").fill("Ada Facilitator")
        page.get_by_label("E-mail").fill(EMAIL)
        page.get_by_label("Password (8 characters or more)").fill(PASSWORD)
        page.get_by_label("Repeat the password").fill(PASSWORD)
        page.get_by_role("button", name="Create the account").click()
        expect(page).to_have_url(live_server.url + "/f/")
        expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def desktop(browser: Any, watched: Watched) -> Iterator[Callable[..., Any]]:
    """`desktop(storage_state, viewport=..., who=...)` opens a page in a new desktop browser context."""
    contexts: list[Any] = []

    def open_page(
        state: dict[str, Any] | None = None, viewport: dict[str, int] = DESKTOP, who: str = "facilitator"
    ) -> Any:
        context = browser.new_context(viewport=viewport, storage_state=state)
        contexts.append(context)
        return watched.attach(context.new_page(), who)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def facilitator(desktop: Callable[..., Any], facilitator_login: dict[str, Any]) -> Any:
    """The facilitator's desktop browser (1440x900), signed in."""
    return desktop(facilitator_login)


@pytest.fixture
def new_phone(browser: Any, watched: Watched) -> Iterator[Callable[[], Any]]:
    """`new_phone()` returns a page in its own phone-sized touch browser (separate cookies)."""
    contexts: list[Any] = []

    def open_phone() -> Any:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        contexts.append(context)
        return watched.attach(context.new_page(), f"phone {len(contexts)}")

    yield open_phone
    for context in contexts:
        context.close()
