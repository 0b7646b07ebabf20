"""Faults during a meeting: kill -9, a PostgreSQL restart, a full disk. Nothing acknowledged is lost.

Each test drives run.py on 127.0.0.1 with phones written to docs/protocol.md (python-socketio
clients that keep an answer until it is acknowledged and resend it after reconnecting, as the
phone app does), and stops by itself. The PostgreSQL tests use a database of their own on the
shared server (127.0.0.1:5432), and a private server (initdb, own port, temporary folder) for the
restart, so that no one else's connections are dropped.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live import (
    CLIENT_WARNINGS,
    WAIT,
    RunPy,
    collect_client_sockets,  # noqa: F401  (autouse: collects the clients' sockets)
    free_port,
    live_session,
    phone_client,
    postgres_database,
)

CRITERIA = ("relevance", "importance")
PHONES = 8
pytestmark = CLIENT_WARNINGS
Key = tuple[int, int]  # (skill id, criterion id)


class Phone:
    """A phone that answers every skill x criterion once, resending each until it is acknowledged."""

    def __init__(self, server: RunPy, code: str, index: int, resend_on_error: bool = False) -> None:
        self.index, self.resend_on_error = index, resend_on_error
        self.client = phone_client(
            server, code, reconnection=True, reconnection_delay=0.2, reconnection_delay_max=0.5
        )
        state = self.call("sync", {})["session"]
        self.keys = [(i["skill_id"], c["id"]) for i in state["items"] for c in state["criteria"]]
        self.acked: dict[Key, int] = {}
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self._answer, daemon=True)
        self.deadline = 0.0

    def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        return dict(self.client.call(event, payload, namespace="/participant", timeout=3))

    def value(self, key: Key) -> int:
        return (key[0] + key[1] + self.index) % 4 + 1

    def _answer(self) -> None:
        for key in self.keys:
            while time.monotonic() < self.deadline:
                try:
                    ack = self.call(
                        "submit_rating",
                        {"skill_id": key[0], "criterion_id": key[1], "value": self.value(key)},
                    )
                except Exception as exc:  # disconnected or timed out: keep it, send again
                    self.errors.append(type(exc).__name__)
                    time.sleep(0.2)
                    continue
                if ack["ok"]:
                    assert ack["value"] == self.value(key)
                    self.acked[key] = ack["value"]
                    break
                self.errors.append(str(ack.get("error")))
                if not self.resend_on_error and ack.get("error") != "server_busy":
                    break
                time.sleep(0.2)
            time.sleep(0.005)

    def start(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.thread.start()

    def synced_answers(self) -> dict[Key, int]:
        """What `sync` says this phone answered, after (re)connecting."""
        deadline = time.monotonic() + WAIT
        while not self.client.connected and time.monotonic() < deadline:
            time.sleep(0.1)
        answers = self.call("sync", {})["answers"]
        return {(int(s), int(c)): v for s, a in answers.items() for c, v in a["ratings"].items()}


def _room(server: RunPy, resend_on_error: bool = False) -> list[Phone]:
    code = live_session(server, criteria=CRITERIA, pacing="self")
    return [Phone(server, code, i, resend_on_error) for i in range(PHONES)]


def _wait_for_acks(phones: list[Phone], count: int) -> None:
    deadline = time.monotonic() + 60
    while sum(len(p.acked) for p in phones) < count:
        assert time.monotonic() < deadline, "the phones did not get going"
        time.sleep(0.01)


def _finish(phones: list[Phone]) -> None:
    for phone in phones:
        phone.thread.join(90)


def _stored_ratings(server: RunPy) -> dict[tuple[str, int, int], int]:
    """(participant pseudonym number, skill, criterion) -> value, read straight from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(server.database_url)
    try:
        with engine.connect() as db:
            rows = db.execute(
                text(
                    "SELECT p.number, r.skill_id, r.criterion_id, r.value, r.round FROM ratings r "
                    "JOIN participants p ON p.id = r.participant_id"
                )
            ).all()
    finally:
        engine.dispose()
    stored: dict[tuple[str, int, int], int] = {}
    for number, skill, criterion, value, round_ in rows:
        key = (str(number), skill, criterion)
        assert round_ == 1 and key not in stored, f"a duplicate row for {key}"
        stored[key] = value
    return stored


def _check_nothing_lost(server: RunPy, phones: list[Phone]) -> None:
    """Every acknowledged rating is in the database with its value, and the phone's sync says so."""
    stored = _stored_ratings(server)
    numbers = {}
    for phone in phones:
        numbers[phone.index] = phone.call("sync", {})["me"]["participant"].lstrip("P").lstrip("0")
    for phone in phones:
        for (skill, criterion), value in phone.acked.items():
            assert stored.get((numbers[phone.index], skill, criterion)) == value, (
                phone.index,
                skill,
                criterion,
            )
        synced = phone.synced_answers()
        assert {k: synced.get(k) for k in phone.acked} == phone.acked


def _kill_and_restart_during_a_burst(server: RunPy) -> None:
    phones = _room(server)
    try:
        for phone in phones:
            phone.start(60)
        total = PHONES * len(phones[0].keys)
        _wait_for_acks(phones, total // 3)
        server.kill()  # kill -9 in the middle of the burst
        acked_before = sum(len(p.acked) for p in phones)
        server.start()  # same port and database: the phones reconnect and resend
        _finish(phones)
        assert acked_before < total
        assert all(len(p.acked) == len(p.keys) for p in phones), [len(p.acked) for p in phones]
        _check_nothing_lost(server, phones)
    finally:
        for phone in phones:
            phone.client.disconnect()


def test_kill_9_during_a_burst_on_sqlite_loses_no_acknowledged_rating(tmp_path: Path):
    server = RunPy(tmp_path, RESULTS_INTERVAL="0.1").start()
    try:
        _kill_and_restart_during_a_burst(server)
    finally:
        server.stop()


# PostgreSQL ------------------------------------------------------------------------------------


@pytest.fixture
def shared_postgres_database() -> Iterator[str]:
    """A database of our own on the shared server, dropped afterwards; nobody else's is touched."""
    with postgres_database("sb_harden_faults") as url:
        yield url


@pytest.mark.postgres
def test_kill_9_during_a_burst_on_postgresql_loses_no_acknowledged_rating(tmp_path, shared_postgres_database):
    server = RunPy(tmp_path, DATABASE_URL=shared_postgres_database, RESULTS_INTERVAL="0.1").start()
    try:
        _kill_and_restart_during_a_burst(server)
    finally:
        server.stop()


class PrivatePostgres:
    """A PostgreSQL server of our own (initdb in a temporary folder, its own port), as `postgres`."""

    def __init__(self, folder: Path) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found or os.geteuid() != 0 or shutil.which("runuser") is None:  # the machine, not the code
            pytest.skip("a private PostgreSQL needs /usr/lib/postgresql/*/bin, root and runuser")
        self.bin, self.folder, self.port = found[-1].parent, folder, free_port()
        self.data = folder / "data"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(folder, "postgres", "postgres")
        self._as_postgres(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=120
        )

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            action,
            "-D",
            str(self.data),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "-l",
            str(self.folder / "postgres.log"),
            *extra,
        )


@pytest.fixture
def private_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePostgres]:
    base = Path("/tmp") / f"sb-harden-pg-{secrets.token_hex(4)}"  # short: a socket path has a limit
    server = PrivatePostgres(base)
    server.pg_ctl("start")
    try:
        yield server
    finally:
        try:
            server.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(base, ignore_errors=True)


@pytest.mark.postgres
def test_postgresql_restarted_under_load_loses_nothing_and_never_acks_wrongly(tmp_path, private_postgres):
    server = RunPy(tmp_path, DATABASE_URL=private_postgres.url, RESULTS_INTERVAL="0.1").start()
    phones: list[Phone] = []
    try:
        phones = _room(server, resend_on_error=True)  # a refused answer is sent again, like a person would
        for phone in phones:
            phone.start(60)
        total = PHONES * len(phones[0].keys)
        _wait_for_acks(phones, total // 3)
        private_postgres.pg_ctl("restart", "-m", "fast")  # every connection of the pool is cut
        _finish(phones)
        assert all(len(p.acked) == len(p.keys) for p in phones), [len(p.acked) for p in phones]
        _check_nothing_lost(server, phones)
    finally:
        for phone in phones:
            phone.client.disconnect()
        server.stop()


# A full disk ------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of our own (root only): the instance folder, the database on it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:  # not root, or a container without the capability
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Write a file until the disk is full; return it (delete it to free the space)."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError:
        pass  # ENOSPC: full
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_is_answered_with_an_error_never_an_ok(tmp_path: Path, small_disk: Path):
    server = RunPy(tmp_path, INSTANCE_PATH=str(small_disk), RESULTS_INTERVAL="0.1").start()
    phone: Phone | None = None
    try:
        code = live_session(server, criteria=CRITERIA, pacing="self")
        phone = Phone(server, code, 0)
        skills = sorted({skill for skill, _ in phone.keys})
        filler = _fill(small_disk)
        comments: dict[int, str] = {}
        replies = []
        for round_ in range(8):  # long comments, again and again, until the disk refuses them
            for skill in skills:
                text = f"{round_}-{skill} " + secrets.token_hex(900)
                reply = phone.call("submit_comment", {"skill_id": skill, "text": text})
                replies.append(reply)
                if reply["ok"]:
                    comments[skill] = text
        errors = [r for r in replies if not r["ok"]]
        assert errors, "the disk never filled up"
        assert {r["error"] for r in errors} == {"server_error"}
        assert "disk" in errors[0]["message"].lower()
        filler.unlink()  # space again: the server carries on
        assert phone.call("submit_comment", {"skill_id": skills[0], "text": "after"})["ok"] is True
        comments[skills[0]] = "after"
        with sqlite3.connect(small_disk / "soundingboard.db") as db:
            stored = dict(db.execute("SELECT skill_id, text FROM comments").fetchall())
        assert stored == comments  # every acknowledged comment, nothing else
    finally:
        if phone is not None:
            phone.client.disconnect()
        server.stop()
