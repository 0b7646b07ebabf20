"""The README as a test: its steps, in its order, on a fresh instance; every printed address answers.

The commands come from README.md itself (the blocks marked `<!-- readme-step: NAME -->`), so
the README and this test cannot drift apart.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE, ROOT
from tests.browser.ui import expect

pytestmark = pytest.mark.browser

STEP = re.compile(r"<!-- readme-step: (\w+) -->\s*```sh\n\s*(.+?)\n\s*```", re.S)
VENV_BIN = Path(sys.executable).parent  # the README's .venv/bin/: the venv running the tests
URL = re.compile(r"https?://[^\s)]+")


def readme_steps() -> list[tuple[str, list[list[str]]]]:
    """(name, commands) for each marked step in README order; a command is its argv."""
    text = (ROOT / "README.md").read_text()
    return [(name, [shlex.split(part) for part in body.split("&&")]) for name, body in STEP.findall(text)]


def _argv(command: list[str]) -> list[str]:
    """A README command as run here: `.venv/bin/X` is this venv's X."""
    head = command[0]
    return [
        str(VENV_BIN / head.removeprefix(".venv/bin/")) if head.startswith(".venv/bin/") else head
    ] + command[1:]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str, patience: float = 30.0) -> int:
    """The HTTP status at `url` (after redirects), 0 when nothing answers within `patience` s.

    A loaded CI machine (two test workers, browsers, servers) can take a first page past a few
    seconds, so a silent address is tried again until the deadline rather than failed at once.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            error.close()
            return int(error.code)
        except OSError:
            if time.monotonic() > deadline:
                return 0
            time.sleep(0.5)


class Terminal:
    """A command running in its own terminal, its output read as it comes."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path):
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, limit: float = 60.0) -> re.Match[str]:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(f"no {pattern!r} in the output:\n{self.output()}", pytrace=False)

    def interrupt(self) -> str:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        return self.output()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh machine: no SOUNDINGBOARD_* settings but a new instance folder."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    clean.update(SOUNDINGBOARD_INSTANCE_PATH=str(tmp_path / "instance"), PYTHONUNBUFFERED="1")
    yield clean


def test_readme_steps_in_order(browser, env, tmp_path, watched):
    steps = readme_steps()
    assert [name for name, _ in steps] == ["run", "demo"], "README steps changed: update this test"
    (_, run_commands), (_, demo_commands) = steps
    # Creating the venv and installing are done already (this test runs inside that venv).
    assert run_commands[0][:3] == ["python3", "-m", "venv"] and run_commands[1][0] == ".venv/bin/pip"
    # pip shows what it is doing: a quiet install looks stuck for minutes on a busy machine.
    assert not {"-q", "--quiet"} & set(run_commands[1]), "step 1's pip install should show progress"
    port = _free_port()  # README: "Another port: add --port 8000"
    server = Terminal([*_argv(run_commands[-1]), "--port", str(port)], env, tmp_path / "run.log")
    contexts = []
    try:
        facilitator_url = server.wait_for(r"Facilitator: (\S+)").group(1)
        assert facilitator_url == f"http://127.0.0.1:{port}/f/"
        phones = re.search(r"Phones join: (\S+)", server.output())
        assert phones or "Phones: " in server.output(), server.output()
        if phones:
            assert _answers(phones.group(1)) == 200, f"{phones.group(1)} does not answer"

        # Step 2: the facilitator address leads to the first-run page.
        admin = browser.new_context(viewport=DESKTOP)
        contexts.append(admin)
        page = watched.attach(admin.new_page(), "administrator")
        page.goto(facilitator_url)
        expect(page.get_by_role("heading", name="Welcome to Sounding Board")).to_be_visible()
        page.get_by_label("E-mail").fill("newcomer@example.org")
        page.get_by_label("Password (8 characters or more)").fill("a long password")
        page.get_by_label("Repeat the password").fill("a long password")
        page.get_by_role("button", name="Create the account").click()
        expect(page.get_by_role("heading", name="Sessions")).to_be_visible()

        # Step 3: the demo, from a second terminal, twice (the README says "again at any time").
        outputs = []
        for _attempt in range(2):
            done = subprocess.run(
                _argv(demo_commands[0]), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stdout + done.stderr
            outputs.append(done.stdout)
            assert "INFO" not in done.stderr, done.stderr
        demo = outputs[0]
        password = re.search(r"password: (\S+)", demo).group(1)
        assert re.search(r"password: (\S+)", outputs[1]).group(1) == password, outputs
        printed = URL.findall(demo)
        assert len(printed) >= 2, demo
        for url in printed:
            assert _answers(url) == 200, f"the demo printed {url}, which does not answer:\n{demo}"
        dashboard = re.search(r"Dashboard: +(\S+)", demo).group(1)
        join = re.search(r"Join URL: +(\S+)", demo).group(1)
        code = re.search(r"Join code: +(\S+)", demo).group(1)

        page.goto(dashboard)  # the administrator sees the demo session's dashboard
        expect(page.locator("#conn")).to_have_text("online")
        expect(page.locator(".join-code")).to_have_text(code)

        demo_user = browser.new_context(viewport=DESKTOP)  # the printed demo account signs in
        contexts.append(demo_user)
        other = watched.attach(demo_user.new_page(), "demo facilitator")
        other.goto(dashboard)
        other.get_by_label("E-mail").fill(re.search(r"Facilitator: +(\S+)", demo).group(1))
        other.get_by_label("Password").fill(password)
        other.get_by_role("button", name="Sign in").click()
        expect(other).to_have_url(dashboard)
        expect(other.locator("#state")).to_have_text("open")

        phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        contexts.append(phone_context)
        phone = watched.attach(phone_context.new_page(), "phone")
        phone.goto(join)
        expect(phone.get_by_role("button", name="Join the session")).to_be_visible()

        # Step 4: Ctrl+C in the first terminal stops it with one line.
        for context in contexts:
            context.close()
        contexts.clear()
        output = server.interrupt()
        assert server.process.returncode == 0, output
        assert output.rstrip().endswith("Sounding Board stopped."), output
        assert "Traceback" not in output, output
    finally:
        for context in contexts:
            context.close()
        server.stop()
