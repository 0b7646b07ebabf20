"""Does slow work freeze the room? A phone's ack latency while something heavy runs on the server.

Scenarios, each against a fresh `run.py` (gevent, SQLite in a temporary folder) on 127.0.0.1:

- `login`: N browsers sign in over and over (each sign-in checks a password hash, about 0.1 s of
  CPU); a phone rates meanwhile.
- `lock`: another process holds SQLite's write lock for 3 s; a phone rates and a page is loaded.
- `upload`: a facilitator uploads a 0.3 MB .xlsx holding one row of 2.5 million cells.
- `frame`: a script that never joined sends one 100 MB WebSocket message.

Reported per scenario: the phone's ack latency p50 / p99 / max while it runs, the slowest page
load, and what the heavy request answered. `--root` runs another checkout's run.py (before/after).

    .venv/bin/python bench/bench_loop.py --logins 4 --seconds 8
    .venv/bin/python bench/bench_loop.py --root /tmp/old-checkout   # the same, before the change
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import socketio

ROOT = Path(__file__).resolve().parents[1]
EMAIL, PASSWORD = "bench@example.org", "bench-password-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, root: Path, tmp: Path) -> None:
        self.port, self.tmp = free_port(), tmp
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = tmp / "instance" / "soundingboard.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
        env |= {"SOUNDINGBOARD_INSTANCE_PATH": str(tmp / "instance"), "SOUNDINGBOARD_SECRET_KEY": "bench"}
        self.log = open(tmp / "server.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("run.py did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:  # still busy (the old server with a 100 MB message)
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


def prepare(root: Path, server: Server) -> str:
    """A facilitator account and a live session, made with the checkout's own services."""
    code = (
        "import sys; sys.path.insert(0, '.')\n"
        "from core import create_app\n"
        "from services import frameworks, sessions, users\n"
        f"app = create_app({{'DATABASE_URL': 'sqlite:///{server.db}', 'INSTANCE_PATH': '{server.tmp}/x'}})\n"
        "with app.app_context():\n"
        f"    user = users.create_user('{EMAIL}', '{PASSWORD}', 'admin')\n"
        "    fw = frameworks.ensure_example_framework()\n"
        "    s = sessions.create_session(user, sessions.SessionInput(title='Bench', framework_id=fw.id,"
        " criteria=['relevance']))\n"
        "    sessions.set_state(s, 'open'); sessions.set_state(s, 'live')\n"
        "    first = sorted(s.items, key=lambda i: i.skill.position)[0]\n"
        "    sessions.open_item(s, first.skill_id)\n"
        "    print(s.code)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


class Phone:
    """One phone rating in a loop, keeping each ack's latency."""

    def __init__(self, server: Server, code: str) -> None:
        request = urllib.request.Request(
            f"{server.url}/api/sessions/{code}/join",
            data=b'{"consent": true}',
            headers={"Content-Type": "application/json"},
        )
        token = json.loads(urllib.request.urlopen(request, timeout=10).read())["token"]
        self.client = socketio.Client(reconnection=False)
        self.client.connect(
            server.url,
            namespaces=["/participant"],
            transports=["websocket"],
            auth={"token": token},
            wait_timeout=10,
        )
        state = self.client.call("sync", {}, namespace="/participant", timeout=10)["session"]
        self.rating = {"skill_id": state["current_skill_id"], "criterion_id": state["criteria"][0]["id"]}
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def rate_for(self, seconds: float) -> None:
        end, value = time.monotonic() + seconds, 1
        while time.monotonic() < end:
            value = value % 4 + 1
            start = time.monotonic()
            try:
                ack = self.client.call(
                    "submit_rating", {**self.rating, "value": value}, namespace="/participant", timeout=30
                )
                if not ack.get("ok"):
                    self.errors.append(ack.get("error", "?"))
            except Exception as exc:
                self.errors.append(type(exc).__name__)
            self.latencies.append(time.monotonic() - start)
            time.sleep(0.02)

    def summary(self) -> dict[str, Any]:
        ms = sorted(x * 1000 for x in self.latencies)
        return {
            "acks": len(ms),
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1) if ms else None,
            "max_ms": round(ms[-1], 1) if ms else None,
            "errors": self.errors,
        }


def signed_in_opener(server: Server) -> tuple[urllib.request.OpenerDirector, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{server.url}/f/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return opener, token.group(1) if token else ""


def login_loop(server: Server, stop: threading.Event, count: list[int]) -> None:
    opener, csrf = signed_in_opener(server)
    form = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": csrf}).encode()
    while not stop.is_set():
        opener.open(f"{server.url}/f/login", data=form, timeout=60).read()
        count[0] += 1


def scenario_login(server: Server, phone: Phone, args: argparse.Namespace) -> dict[str, Any]:
    stop, count = threading.Event(), [0]
    loops = [threading.Thread(target=login_loop, args=(server, stop, count)) for _ in range(args.logins)]
    for loop in loops:
        loop.start()
    time.sleep(0.5)
    phone.rate_for(args.seconds)
    stop.set()
    for loop in loops:
        loop.join(60)
    return {"sign_ins": count[0], "sign_ins_per_s": round(count[0] / (args.seconds + 0.5), 1)}


def scenario_lock(server: Server, phone: Phone, args: argparse.Namespace) -> dict[str, Any]:
    holder = sqlite3.connect(server.db, timeout=5, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    rater = threading.Thread(target=phone.rate_for, args=(3.0,))
    rater.start()
    time.sleep(0.2)
    start = time.monotonic()
    urllib.request.urlopen(f"{server.url}/", timeout=60).read()
    page = time.monotonic() - start
    time.sleep(max(0.0, 3.0 - (time.monotonic() - start)))
    holder.execute("ROLLBACK")
    holder.close()
    rater.join(60)
    return {"page_while_locked_ms": round(page * 1000, 1)}


def huge_row_xlsx() -> bytes:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1">' + "<c/>" * 2_500_000 + "</row></sheetData></worksheet>"
    )
    sys.path.insert(0, str(ROOT))
    from tests.unit.test_upload_limits import PARTS  # the same minimal package as the test

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def scenario_upload(server: Server, phone: Phone, args: argparse.Namespace) -> dict[str, Any]:
    opener, csrf = signed_in_opener(server)
    form = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": csrf}).encode()
    opener.open(f"{server.url}/f/login", data=form, timeout=60).read()
    page = opener.open(f"{server.url}/f/frameworks/import", timeout=30).read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = huge_row_xlsx()
    boundary = "benchboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    result: dict[str, Any] = {"upload_bytes": len(data)}

    def upload() -> None:
        start = time.monotonic()
        request = urllib.request.Request(
            f"{server.url}/f/frameworks/import",
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            answer = opener.open(request, timeout=120)
            result["status"] = answer.status
        except urllib.error.HTTPError as error:
            result["status"] = error.code
            text = error.read().decode(errors="replace")
            found = re.search(r"more than [\d,]+ cells[^<]*", text)
            result["message"] = found.group(0) if found else None
        result["answered_in_ms"] = round((time.monotonic() - start) * 1000, 1)

    uploader = threading.Thread(target=upload)
    uploader.start()
    phone.rate_for(max(args.seconds, 3.0))
    uploader.join(120)
    return result


def scenario_frame(server: Server, phone: Phone, args: argparse.Namespace) -> dict[str, Any]:
    """A script opens a WebSocket and sends one 100 MB message (Engine.IO "4" + text)."""
    import base64
    import struct

    size = 100 * 1024 * 1024
    result: dict[str, Any] = {}

    def hostile() -> None:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            (
                f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        sock.recv(4096)
        start, sent = time.monotonic(), 0
        sock.sendall(struct.pack("!BBQ", 0x81, 0x80 | 127, size) + b"\0\0\0\0")  # zero mask
        chunk = b"4" + b"x" * (1024 * 1024 - 1)
        try:
            while sent < size:
                sock.sendall(chunk[: size - sent])
                sent += len(chunk[: size - sent])
            sock.settimeout(30)
            sock.recv(4096)  # the server's answer or its close
        except OSError:
            pass
        result["hostile_bytes_sent"] = sent
        result["hostile_connection_ended_after_ms"] = round((time.monotonic() - start) * 1000, 1)
        sock.close()

    attacker = threading.Thread(target=hostile)
    attacker.start()
    phone.rate_for(args.seconds)
    attacker.join(120)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose run.py to start")
    parser.add_argument("--logins", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--only", choices=["idle", "login", "lock", "upload", "frame"], action="append")
    args = parser.parse_args()
    scenarios = {
        "idle": None,
        "login": scenario_login,
        "lock": scenario_lock,
        "upload": scenario_upload,
        "frame": scenario_frame,
    }
    report: dict[str, Any] = {"root": str(args.root)}
    for name, run in scenarios.items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="sb-bench-loop-") as tmp:
            server = Server(args.root, Path(tmp))
            try:
                phone = Phone(server, prepare(args.root, server))
                extra: dict[str, Any] = {}
                if run is None:
                    phone.rate_for(args.seconds)  # idle: ratings only
                else:
                    extra = run(server, phone, args)
                report[name] = {**phone.summary(), **extra}
                phone.client.disconnect()
            finally:
                server.stop()
        print(name, json.dumps(report[name]), flush=True)


if __name__ == "__main__":
    import urllib.error
    import urllib.parse

    main()
