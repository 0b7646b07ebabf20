"""run.py as people start and stop it: the addresses it prints and records, and Ctrl+C."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from core.config import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(instance: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    env.update(SOUNDINGBOARD_INSTANCE_PATH=str(instance), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port), *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def _wait_until_up(process: subprocess.Popen[str], url: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"run.py exited with {process.returncode}:\n{process.communicate()[0]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError as error:
            error.close()
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"run.py did not answer within {limit:.0f} s:\n{process.communicate()[0]}")


def _open_long_poll(base: str) -> threading.Thread:
    """A phone's Socket.IO long-poll left waiting on the server, as during a meeting."""
    with urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling", timeout=5) as response:
        sid = json.loads(response.read().decode()[1:])["sid"]

    def wait() -> None:
        try:
            urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling&sid={sid}", timeout=30).close()
        except OSError:
            pass

    waiting = threading.Thread(target=wait, daemon=True)
    waiting.start()
    time.sleep(0.5)
    return waiting


def test_ctrl_c_stops_with_one_line(tmp_path):
    port = _free_port()
    process = _start(tmp_path / "instance", port)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base + "/")
        record = json.loads((tmp_path / "instance" / "server.json").read_text())
        assert (record["local"], record["port"]) == (base, port)
        waiting = _open_long_poll(base)
        process.send_signal(signal.SIGINT)  # what Ctrl+C in its terminal sends
        output = process.communicate(timeout=30)[0]
        waiting.join(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    after = output.split("Stop with Ctrl+C.\n", 1)[1]
    assert after.strip() == "Sounding Board stopped.", output
    assert "Traceback" not in output
    assert output.startswith("Sounding Board is running."), output  # no Alembic INFO lines first
    assert not (tmp_path / "instance" / "server.json").exists()  # no stale address for `demo`


def _lines(process: subprocess.Popen[str]) -> queue.Queue[str]:
    """The process's output, line by line as it comes; "" once it has ended."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    return lines


def _read(lines: queue.Queue[str], until: str | None = None, limit: float = 120.0) -> str:
    """Output up to the line `until` (to the end if None); fails if that does not come in `limit` s."""
    seen = ""
    deadline = time.monotonic() + limit
    while True:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"no {until or 'end'!r} within {limit:.0f} s:\n{seen}")
        if not line:
            if until is None:
                return seen
            pytest.fail(f"run.py ended before {until!r}:\n{seen}")
        seen += line
        if line.rstrip("\n") == until:
            return seen


@pytest.mark.parametrize(
    ("point", "number"),
    [
        ("imports", signal.SIGINT),
        ("imports", signal.SIGTERM),
        ("migrations", signal.SIGINT),
        ("greenlet", signal.SIGINT),  # was raised in the other greenlet, and the server started
        ("listening", signal.SIGINT),  # was AttributeError: 'Server' object has no attribute 'socket'
        ("listening", signal.SIGTERM),
    ],
)
def test_stopped_during_start_up_says_one_line(tmp_path, point, number):
    """Ctrl+C (SIGINT) or a service manager's SIGTERM at any point of start-up: status 0, one line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    env.update(SOUNDINGBOARD_INSTANCE_PATH=str(tmp_path / "instance"), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "tests/paused_run.py", point, "--port", str(_free_port())],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        lines = _lines(process)
        before = _read(lines, until=f"paused at {point}")
        process.send_signal(number)
        after = _read(lines)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()
    assert process.returncode == 0, before + after
    assert after.strip() == "Sounding Board stopped.", before + after
    assert "Traceback" not in before
    assert not (tmp_path / "instance" / "server.json").exists()
