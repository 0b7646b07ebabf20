"""What the load benchmarks share: starting servers, their command-line options, the report's head.

`load.py` (one server against the yardsticks) and `scale_out.py` (several `run.py` on PostgreSQL
+ Redis) both start servers as subprocesses on 127.0.0.1 with the environment a load test needs,
read their CPU time from /proc, take the same options (`--phones`, `--timeout`, `--call-timeout`,
`--concurrency`, `--json`) and write the same report header (date, machine, commit, command,
load average).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
P, F = "/participant", "/facilitator"
EMAIL, PASSWORD = "bench@example.org", "bench-password-1"
SERVER_CPU, GENERATOR_CPU = 0, 1
CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()  # before pinning ourselves
TICK = os.sysconf("SC_CLK_TCK")

# Every simulated phone comes from 127.0.0.1: lift the per-address join limits (120 a minute,
# docs/security.md) and the connection cap (300 per address) that a real room, spread over
# phones, never meets. With several processes the join counts are shared through Redis, so
# without this even 2 x 500 phones are refused (HTTP 429).
LOAD_TEST_SETTINGS = {
    "SOUNDINGBOARD_JOIN_LIMITS": "1000000 per minute",
    "SOUNDINGBOARD_MAX_CONNECTIONS_PER_ADDRESS": "0",
}


def percentile_ms(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of seconds, in milliseconds; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = min(max(round(q / 100 * len(ordered) + 0.5) - 1, 0), len(ordered) - 1)
    return round(ordered[rank] * 1000, 1)


def raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def pin(pid: int, cpu: int) -> bool:
    """Pin a process to one core when this machine lets us use two."""
    if not {SERVER_CPU, GENERATOR_CPU} <= CORES:
        return False
    try:
        os.sched_setaffinity(pid, {cpu})
    except OSError:
        return False
    return True


def core_busy_seconds(cpu: int) -> float:
    """CPU time spent on one core by every process (/proc/stat): shows load we did not cause."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{cpu} "):
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, line.split()[1:9])
            return (user + nice + system + irq + softirq + steal) / TICK
    return 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without any SOUNDINGBOARD_ setting of ours, plus the load-test ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    return env | LOAD_TEST_SETTINGS | settings


class ServerProcess:
    """A server script as a subprocess on 127.0.0.1 (optionally pinned to a core); `stop()` ends it."""

    def __init__(self, script: str, env: dict[str, str], log: Path, cpu: int | None = None) -> None:
        self.port, self.log_path = free_port(), log
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = Path(script).stem
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [PYTHON, script, "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=raise_open_files,
                start_new_session=True,
            )
        self.pinned = cpu is not None and pin(self.proc.pid, cpu)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{self.name} exited:\n{log}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not listen within {timeout} s")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def precise_cpu_seconds(self) -> float:
        """CPU time of the process's threads to the nanosecond (/proc/PID/task/*/schedstat).

        `cpu_seconds()` counts 10 ms ticks: +-7 % on a phase of 40 phones (~0.15 s of CPU). Threads
        that ended are not counted here; the servers keep theirs (gevent's threadpool). Falls back
        to `cpu_seconds()` where the kernel gives no schedstat.
        """
        try:
            total = 0
            for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
                with contextlib.suppress(FileNotFoundError):  # a thread ending meanwhile
                    total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return self.cpu_seconds()
        return total / 1e9

    def peak_rss_mb(self) -> float | None:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        return None

    def logged_errors(self) -> int:
        return len(re.findall(r"Traceback|ERROR", self.log_path.read_text(errors="replace")))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def parser(description: str, phones: list[int], timeout: float) -> argparse.ArgumentParser:
    """The options every load benchmark takes; each script adds its own."""
    options = argparse.ArgumentParser(description=description)
    options.add_argument("--phones", type=int, nargs="+", default=phones, help=f"N to measure {phones}")
    options.add_argument("--json", type=Path, help="also write every figure to this file")
    options.add_argument("--timeout", type=float, default=timeout, help=f"seconds per run ({timeout:g})")
    options.add_argument("--call-timeout", type=float, default=30, help="seconds to wait for one ack (30)")
    options.add_argument("--concurrency", type=int, default=50, help="phones joining at the same time (50)")
    return options


def code_version() -> str | None:
    """The commit measured, with "-dirty" when the working tree has uncommitted changes."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return (
        f"{os.cpu_count()} x {cpu}, {round(os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30)}"
        f" GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def report(**extra: Any) -> dict[str, Any]:
    """The head of a benchmark's report; the caller appends to its `results`."""
    raise_open_files()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code_version(),
        "command": " ".join([os.path.relpath(PYTHON), *sys.argv]),
        **extra,
        "load_average_at_start": os.getloadavg(),
        "results": [],
    }


def write_json(path: Path | None, figures: dict[str, Any]) -> None:
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2) + "\n")


@contextlib.contextmanager
def py_spy(pid: int, output: Path | None) -> Iterator[None]:
    """Record a process with py-spy (collapsed stacks, for speedscope.app or flamegraph.pl) meanwhile.

    Nothing happens without `output`. Needs `.venv/bin/pip install py-spy`.
    """
    if output is None:
        yield
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [str(Path(PYTHON).with_name("py-spy")), "record", "--pid", str(pid), "--rate", "250"]
    command += ["--nonblocking", "--format", "raw", "--output", str(output)]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # let py-spy attach
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            spy.wait(30)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait(5)
