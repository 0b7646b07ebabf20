"""Scale-out: phones split over two run.py processes sharing PostgreSQL and Redis (docs/deploy.md).

Starts two `run.py` processes on 127.0.0.1 with one fresh PostgreSQL database and the Redis
message queue, prepares a facilitator-paced session, and connects N phones, half to each
process; the facilitator's dashboard is on the first. For each of `--skills` skills the
facilitator opens it (time until each phone hears `session_updated`: on the dashboard's process
and across processes, through Redis), then every phone answers each criterion at the same
instant, sending a quick change right behind the first answer (with `seq`, as the phone app
does). Reported: ratings acked, ack p50/p99, timeouts and errors, server CPU per acknowledged
rating for each process, and integrity: every acknowledged answer stored once with the value
of its highest `seq`.

    .venv/bin/python bench/scale_out.py --phones 200 1000 --json bench/results/scale-out.json
    .venv/bin/python bench/scale_out.py --phones 1000 --skills 2 --profile /tmp/prof  # py-spy each process

Also reported: how many `results_updated` the dashboard got per second while the phones
answered (one per interval, 4/s, is the most wanted, however many processes).

That scenario is closed-loop: each phone sends its next answer the moment the last is acked, so
its p99 is about (answers in flight) / (ratings per second), whatever the hardware. `--pace T
[T ...]` adds open-loop phases after it, one per pace (`--skills 0` leaves the closed loop out):
the facilitator opens a new skill and each phone answers its criteria one tap every T seconds
(each gap drawn between T/2 and 3T/2, the first tap within T of the item opening), whether or not
its last tap was acked yet: how a hall of people taps. Each phase reports the offered rate
(phones / T), ack p50/p99, timeouts and CPU per rating per process; `idle_cpu_share` is what each
process spends per second with the phones connected and nobody tapping (pings, the collector).

    .venv/bin/python bench/scale_out.py --phones 1000 --skills 2 --pace 5 2 1 0.5 --json so.json

The phones live in worker processes of the generator (`--generators`, 2 by default, spread over
the servers; `--generators 1` keeps them all in this process, as before 2026-11-30): one
generator process driving 1,000 phones in a closed loop was itself the limit, a core's worth of
python-socketio client while the servers left the machine idle. `--servers 1 --database sqlite`
runs the same scenario, phones and generator against the one-process default (SQLite, no queue):
the comparison the scale-out goal asks for, measured alike.

    .venv/bin/python bench/scale_out.py --phones 1000 --servers 1 --database sqlite

Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379. Each run has a
time limit; processes are stopped and the database dropped afterwards.
tests/integration/test_scale_out.py runs the same scenario briefly in the test suite.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402  (bench/ is a folder of scripts, not a package)
    EMAIL,
    PASSWORD,
    ServerProcess,
    core_busy_seconds,
    parser,
    percentile_ms,
    py_spy,
    report,
    server_env,
    write_json,
)
from load import Crowd, Dashboard, P, Phone, answer, wait_until  # noqa: E402

CORES = range(os.cpu_count() or 1)
SERVICES = ("postgres", "redis-server")


def service_cpu_seconds() -> dict[str, float]:
    """CPU time of PostgreSQL's and Redis's processes now alive (/proc/PID/stat, by `comm`): what
    the shared services cost the machine beside the two servers."""
    tick = os.sysconf("SC_CLK_TCK")
    total = dict.fromkeys(SERVICES, 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if name in total:
            total[name] += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


PG = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=5"
REDIS = "redis://127.0.0.1:6379/{db}"


@contextlib.contextmanager
def postgres_database(prefix: str = "sb_scale") -> Iterator[str]:
    """A throwaway PostgreSQL database (SQLAlchemy URL), dropped afterwards."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(5)}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def cluster(database: str, processes: int = 2, redis_db: int | None = 0) -> Iterator[list[ServerProcess]]:
    """`processes` run.py sharing the database and the Redis queue (None: no queue, one process);
    the first migrates it."""
    with tempfile.TemporaryDirectory(prefix="sb-scale-") as tmp:
        queue = {} if redis_db is None else {"SOUNDINGBOARD_MESSAGE_QUEUE": REDIS.format(db=redis_db)}
        env = server_env(
            {
                "SOUNDINGBOARD_DATABASE_URL": database,
                **queue,
                "SOUNDINGBOARD_SECRET_KEY": secrets.token_hex(16),
                "SOUNDINGBOARD_INSTANCE_PATH": str(Path(tmp) / "instance"),
            }
        )
        started: list[ServerProcess] = []
        try:
            for index in range(processes):
                started.append(ServerProcess("run.py", env, Path(tmp) / f"run{index}.log"))
                started[-1].wait_ready()  # one at a time: the first creates the schema
            yield started
        finally:
            for process in started:
                process.stop()


def prepare_session(database: str) -> str:
    """The facilitator and a facilitator-paced session (3 criteria), open for joining.

    Session ids start at a random offset: Redis pub/sub channels ignore the database index, so
    another run on the same Redis must not share our rooms.
    """
    from core import create_app
    from models import db
    from services import frameworks, sessions, users

    app = create_app({"DATABASE_URL": database, "ASYNC_MODE": "threading", "MESSAGE_QUEUE": None})
    with app.app_context():
        if database.startswith("postgresql"):
            db.session.execute(
                db.text("SELECT setval(pg_get_serial_sequence('sessions', 'id'), :n)"),
                {"n": secrets.randbelow(10**9) + 1000},
            )
        user = users.create_user(EMAIL, PASSWORD, "facilitator")
        framework = frameworks.ensure_example_framework()
        session = sessions.create_session(
            user,
            sessions.SessionInput(
                title="Scale-out", framework_id=framework.id, criteria=["relevance", "importance", "clarity"]
            ),
        )
        sessions.set_state(session, "open")
        code = session.code
        db.session.remove()
        db.engine.dispose()
    return code


@dataclass
class Votes:
    """What the phones were told: latencies, outcomes, and the answer each key must hold."""

    latencies: list[float]
    outcomes: Counter[str]
    expected: dict[tuple[str, int, int], Any]  # (pseudonym, skill, criterion) -> value of highest seq
    acked_by_process: Counter[int]

    async def call(self, phone: Phone, payload: dict[str, Any], timeout: float) -> bool:
        start = time.perf_counter()
        try:
            reply = await phone.client.call("submit_rating", payload, namespace=P, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - a timeout is a result
            self.outcomes[type(exc).__name__] += 1
            return False
        self.latencies.append(time.perf_counter() - start)
        ok = isinstance(reply, dict) and reply.get("ok") is True
        self.outcomes["superseded" if ok and reply.get("superseded") else "ok" if ok else str(reply)] += 1
        return ok


async def rate_skill(
    phone: Phone,
    process: int,
    skill: int,
    votes: Votes,
    go: asyncio.Event,
    timeout: float,
    seqs: Counter[str],
) -> None:
    """Answer every criterion: a first answer and, right behind it, a change (seq + 1)."""
    await go.wait()
    rng = random.Random(phone.index * 7919 + skill)
    for criterion in phone.session["criteria"]:
        first, final = answer(rng, criterion), answer(rng, criterion)
        seqs[phone.pseudonym] += 2
        base = {"skill_id": skill, "criterion_id": criterion["id"]}
        sent = await asyncio.gather(
            votes.call(phone, {**base, "value": first, "seq": seqs[phone.pseudonym] - 1}, timeout),
            votes.call(phone, {**base, "value": final, "seq": seqs[phone.pseudonym]}, timeout),
        )
        if sent[1]:
            votes.expected[(phone.pseudonym, skill, criterion["id"])] = final
            votes.acked_by_process[process] += 2 if sent[0] else 1
        elif sent[0]:
            votes.expected[(phone.pseudonym, skill, criterion["id"])] = first
            votes.acked_by_process[process] += 1


class ServerCpu:
    """A server's CPU time read from /proc by its pid (what Crowd reports per phone joined), picklable."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CrowdSide:
    """One server process's phones and what they do, in whichever process holds them.

    The scenario drives each side through `ask(method, *args)`: in a worker process of its own
    (PhoneWorker, the default: one per server process) or in the scenario's own loop (InProcess,
    `--one-generator`). A closed loop of 1,000 phones kept one generator process 76 % busy on
    python-socketio's client while the servers and PostgreSQL left a quarter of the machine idle:
    the measure was the generator's, not the servers' (bench/README.md).
    """

    def __init__(
        self,
        index: int,
        url: str,
        code: str,
        phones: int,
        concurrency: int,
        server_pid: int,
        lean: bool = False,
    ) -> None:
        self.index = index  # the server process its phones are connected to
        self.crowd = Crowd(phones, url, code, concurrency, ServerCpu(server_pid), lean)  # type: ignore[arg-type]
        self.seqs: Counter[str] = Counter()
        self.started: list[asyncio.Task[None]] = []
        self.go_signal = asyncio.Event()
        self.votes = Votes([], Counter(), {}, Counter())

    async def join(self) -> None:
        await self.crowd.__aenter__()

    async def close(self) -> None:
        await self.crowd.__aexit__()

    def figures(self) -> dict[str, Any]:
        return self.crowd.figures()

    def items(self) -> list[int]:
        return [item["skill_id"] for item in self.crowd.phones[0].session["items"]]

    async def heard(self, skill: int, timeout: float) -> list[float]:
        """When each phone heard `skill` open (time.perf_counter: one clock for every process)."""
        await wait_until(lambda: all(skill in p.heard for p in self.crowd.phones), timeout)
        return [p.heard[skill] for p in self.crowd.phones if skill in p.heard]

    async def ready(self, skill: int, timeout: float) -> None:
        """Every phone waits to answer `skill` (closed loop) until `go`."""
        self.votes, self.go_signal = Votes([], Counter(), {}, Counter()), asyncio.Event()
        self.started = [
            asyncio.create_task(
                rate_skill(p, self.index, skill, self.votes, self.go_signal, timeout, self.seqs)
            )
            for p in self.crowd.phones
        ]
        await asyncio.sleep(0.2)

    async def go(self) -> tuple[Votes, float]:
        """The phones answer; what they were told, and this process's CPU meanwhile."""
        own = time.process_time()
        self.go_signal.set()
        await asyncio.gather(*self.started)
        return self.votes, time.process_time() - own

    async def tap(self, skill: int, pace: float, timeout: float) -> tuple[Votes, float]:
        """Open loop on `skill` (tap_skill); what the phones were told, and this process's CPU."""
        votes, own = Votes([], Counter(), {}, Counter()), time.process_time()
        phones = self.crowd.phones
        await asyncio.gather(
            *(tap_skill(p, self.index, skill, pace, votes, timeout, self.seqs) for p in phones)
        )
        return votes, time.process_time() - own


async def _call(side: CrowdSide, method: str, args: tuple[Any, ...]) -> Any:
    result = getattr(side, method)(*args)
    return await result if asyncio.iscoroutine(result) else result


class InProcess:
    """A CrowdSide in the scenario's own event loop."""

    def __init__(self, *args: Any) -> None:
        self.side = CrowdSide(*args)

    async def ask(self, method: str, *args: Any) -> Any:
        return await _call(self.side, method, args)

    def stop(self) -> None:
        pass


class PhoneWorker:
    """A CrowdSide in a process of its own, asked over a pipe (its own event loop and CPU)."""

    def __init__(self, *args: Any) -> None:
        context = multiprocessing.get_context("spawn")  # no copy of the parent's loop or sockets
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_phone_worker, args=(theirs, args), daemon=True)
        self.process.start()
        theirs.close()

    async def ask(self, method: str, *args: Any) -> Any:
        self.conn.send((method, args))
        status, result = await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)
        if status != "ok":
            raise RuntimeError(f"phone worker: {method}: {result}")
        return result

    def stop(self) -> None:
        """End the worker (a recv still waiting in the parent then fails at once: EOF)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(10)
        self.conn.close()


def _phone_worker(conn: Any, args: tuple[Any, ...]) -> None:
    async def serve() -> None:
        side, loop = CrowdSide(*args), asyncio.get_running_loop()
        while True:
            method, call_args = await loop.run_in_executor(None, conn.recv)
            try:
                conn.send(("ok", await _call(side, method, call_args)))
            except Exception as exc:  # noqa: BLE001 - told to the scenario, which stops
                conn.send(("error", repr(exc)))
            if method == "close":
                return

    asyncio.run(serve())


Side = InProcess | PhoneWorker


async def open_skill(
    dashboard: Dashboard, sides: list[tuple[int, Side]], skill: int, timeout: float
) -> dict[str, list[float]]:
    """The facilitator opens `skill`: seconds until each phone heard it, on the dashboard's process
    (0) or not. `sides`: (server process, its phones)."""
    opened = time.perf_counter()
    await dashboard.command("open_item", skill_id=skill)
    heard = await asyncio.gather(*(side.ask("heard", skill, timeout) for _, side in sides))
    out: dict[str, list[float]] = {"same process": [], "other process": []}
    for (process, _), times in zip(sides, heard, strict=True):
        out["same process" if process == 0 else "other process"] += [t - opened for t in times]
    return out


def heard_figures(heard: dict[str, list[float]]) -> dict[str, dict[str, Any]]:
    return {
        where: {
            "n": len(times),
            "p50": round(statistics.median(times) * 1000, 1) if times else None,
            "max": round(max(times) * 1000, 1) if times else None,
        }
        for where, times in heard.items()
    }


async def idle_cpu(processes: list[ServerProcess], seconds: float = 5) -> list[float]:
    """Each process's CPU share with every phone connected and nobody tapping."""
    await asyncio.sleep(1)  # the last phase's pushes
    before, start = [p.cpu_seconds() for p in processes], time.perf_counter()
    await asyncio.sleep(seconds)
    wall = time.perf_counter() - start
    return [round((p.cpu_seconds() - b) / wall, 3) for p, b in zip(processes, before, strict=True)]


async def tap_skill(
    phone: Phone, process: int, skill: int, pace: float, votes: Votes, timeout: float, seqs: Counter[str]
) -> None:
    """Open loop: one tap per criterion, every `pace` seconds give or take half, acked or not."""
    rng = random.Random(phone.index * 7919 + skill)
    at = time.perf_counter() + rng.uniform(0, pace)
    sent = []
    for criterion in phone.session["criteria"]:
        await asyncio.sleep(max(at - time.perf_counter(), 0))
        seqs[phone.pseudonym] += 1
        value = answer(rng, criterion)
        payload = {
            "skill_id": skill,
            "criterion_id": criterion["id"],
            "value": value,
            "seq": seqs[phone.pseudonym],
        }
        sent.append((criterion["id"], value, asyncio.create_task(votes.call(phone, payload, timeout))))
        at += pace * rng.uniform(0.5, 1.5)
    for criterion_id, value, task in sent:
        if await task:
            votes.expected[(phone.pseudonym, skill, criterion_id)] = value
            votes.acked_by_process[process] += 1


def merged(parts: list[tuple[Votes, float]]) -> tuple[Votes, float]:
    """The sides' votes as one, and the CPU their processes spent."""
    votes = Votes([], Counter(), {}, Counter())
    for part, _cpu in parts:
        votes.latencies += part.latencies
        votes.outcomes += part.outcomes
        votes.expected |= part.expected
        votes.acked_by_process += part.acked_by_process
    return votes, sum(cpu for _, cpu in parts)


async def open_loop(
    processes: list[ServerProcess],
    dashboard: Dashboard,
    sides: list[tuple[int, Side]],
    skill: int,
    pace: float,
    timeout: float,
    idle: list[float],
) -> dict[str, Any]:
    """One open-loop phase on a newly opened skill (see the module docstring)."""
    heard = await open_skill(dashboard, sides, skill, timeout)
    before, start = [p.cpu_seconds() for p in processes], time.perf_counter()
    votes, _generator = merged(
        await asyncio.gather(*(side.ask("tap", skill, pace, timeout) for _, side in sides))
    )
    wall = time.perf_counter() - start
    cpu = [p.cpu_seconds() - b for p, b in zip(processes, before, strict=True)]
    acked = votes.outcomes["ok"] + votes.outcomes["superseded"]
    phones = sum(len(heard_now) for heard_now in heard.values())
    return {
        "pace_s": pace,
        "offered_per_s": round(phones / pace, 1),
        "ratings_acked": acked,
        "errors": {k: v for k, v in votes.outcomes.items() if k not in ("ok", "superseded")},
        "ratings_per_s": round(acked / wall, 1),
        **{f"ack_p{q}_ms": percentile_ms(votes.latencies, q) for q in (50, 99, 100)},
        "server_cpu_ms_per_rating": [
            round(c * 1000 / max(votes.acked_by_process[i], 1), 3) for i, c in enumerate(cpu)
        ],
        "server_cpu_share": [round(c / wall, 3) for c in cpu],
        "idle_cpu_share": idle,
        "open_item_heard_ms": heard_figures(heard),
        "expected": votes.expected,
    }


async def scenario(
    processes: list[ServerProcess],
    code: str,
    phones: int,
    skills: int,
    call_timeout: float = 30,
    concurrency: int = 50,
    profile: Path | None = None,
    paces: list[float] | None = None,
    generators: int = 2,
    lean: bool = False,
) -> dict[str, Any]:
    """N phones split over the processes; the facilitator on the first; see the module docstring.

    `generators`: the phones' worker processes (PhoneWorker), spread over the servers; 1: every
    phone in this process's loop, as before 2026-11-30. `lean`: the phones use
    bench/lean_client.py's client instead of python-socketio's."""
    kind = InProcess if generators == 1 else PhoneWorker
    votes = Votes([], Counter(), {}, Counter())
    heard: dict[str, list[float]] = {"same process": [], "other process": []}
    cpu = [0.0] * len(processes)
    rating_wall, pushes = 0.0, 0
    generator_cpu = machine_cpu = 0.0
    service_cpu = dict.fromkeys(SERVICES, 0.0)
    open_loop_phases: list[dict[str, Any]] = []
    async with contextlib.AsyncExitStack() as stack:
        sides: list[tuple[int, Side]] = []  # (server process, its phones there)
        stack.callback(lambda: [side.stop() for _, side in sides])
        per_server = max(generators // len(processes), 1)
        for i, p in enumerate(processes):
            share = phones // len(processes) + (i < phones % len(processes))
            for k in range(per_server):
                part = share // per_server + (k < share % per_server)
                sides.append(
                    (
                        i,
                        kind(
                            i,
                            p.url,
                            code,
                            part,
                            max(concurrency // len(processes) // per_server, 1),
                            p.proc.pid,
                            lean,
                        ),
                    )
                )
        dashboard = await stack.enter_async_context(Dashboard(processes[0], code))  # type: ignore[arg-type]
        # The crowds join at the same time, each process taking half (one after the other, the
        # second process idled while the first took its phones, at half the concurrency).
        joining, join_cpu = time.perf_counter(), [p.cpu_seconds() for p in processes]
        with contextlib.ExitStack() as spies:  # py-spy each process while the phones join
            for index, process in enumerate(processes):
                output = profile / f"process-{index}-{phones}-join.txt" if profile else None
                spies.enter_context(py_spy(process.proc.pid, output))
            entered = await asyncio.gather(*(side.ask("join") for _, side in sides), return_exceptions=True)
        for (_, side), outcome in zip(sides, entered, strict=True):
            if not isinstance(outcome, BaseException):
                stack.push_async_callback(side.ask, "close")
        for outcome in entered:
            if isinstance(outcome, BaseException):
                raise outcome
        join_s = time.perf_counter() - joining
        join_cpu = [p.cpu_seconds() - before for p, before in zip(processes, join_cpu, strict=True)]
        for index, process in enumerate(processes):  # py-spy each process while the skills run
            output = profile / f"process-{index}-{phones}.txt" if profile else None
            stack.enter_context(py_spy(process.proc.pid, output))
        await dashboard.command("set_state", state="live")
        items = await sides[0][1].ask("items")
        for skill in items[:skills]:
            heard_now = await open_skill(dashboard, sides, skill, call_timeout)
            for where, times in heard_now.items():
                heard[where] += times
            await asyncio.gather(*(side.ask("ready", skill, call_timeout) for _, side in sides))
            before, start = [p.cpu_seconds() for p in processes], time.perf_counter()
            own, cores = time.process_time(), [core_busy_seconds(c) for c in CORES]
            services = service_cpu_seconds()
            pushes_before = len(dashboard.results)
            answered, phones_cpu = merged(await asyncio.gather(*(side.ask("go") for _, side in sides)))
            rating_wall += time.perf_counter() - start
            votes = merged([(votes, 0.0), (answered, 0.0)])[0]
            # the generator: this process (the dashboard; all the phones with --one-generator) and
            # the phone workers
            generator_cpu += time.process_time() - own + (0.0 if kind is InProcess else phones_cpu)
            machine_cpu += sum(core_busy_seconds(c) - b for c, b in zip(CORES, cores, strict=True))
            for name, seconds in service_cpu_seconds().items():
                service_cpu[name] += seconds - services[name]
            pushes += len(dashboard.results) - pushes_before
            cpu = [c + p.cpu_seconds() - b for c, p, b in zip(cpu, processes, before, strict=True)]
        if paces:
            idle = await idle_cpu(processes)
        for number, pace in enumerate(paces or []):
            skill = items[skills + number]
            phase = await open_loop(processes, dashboard, sides, skill, pace, call_timeout, idle)
            votes.expected |= phase.pop("expected")
            open_loop_phases.append(phase)
        by_side = [(process, await side.ask("figures")) for process, side in sides]
        connect = [
            {
                "connected": sum(f["connected"] for i, f in by_side if i == process),
                "connect_failures": dict(
                    sum((Counter(f["connect_failures"]) for i, f in by_side if i == process), Counter())
                ),
            }
            for process in range(len(processes))
        ]
    acked = votes.outcomes["ok"] + votes.outcomes["superseded"]
    return {
        "phones": phones,
        "processes": len(processes),
        "generator_processes": 1 if kind is InProcess else 1 + len(sides),
        "connected": [c["connected"] for c in connect],
        "connect_failures": [c["connect_failures"] for c in connect],
        "join_s": round(join_s, 1),  # join over HTTP, connect and sync, all phones
        "join_server_cpu_ms_per_phone": [
            round(cpu_s * 1000 / max(c["connected"], 1), 2)
            for cpu_s, c in zip(join_cpu, connect, strict=True)
        ],
        "dashboard_dropped": dashboard.dropped,
        "ratings_acked": acked,
        "superseded": votes.outcomes["superseded"],
        "errors": {k: v for k, v in votes.outcomes.items() if k not in ("ok", "superseded")},
        "ratings_per_s": round(acked / rating_wall, 1) if rating_wall else None,
        **{f"ack_p{q}_ms": percentile_ms(votes.latencies, q) for q in (50, 99, 100)},
        "server_cpu_ms_per_rating": [
            round(c * 1000 / max(votes.acked_by_process[i], 1), 3) for i, c in enumerate(cpu)
        ],
        "ratings_per_process": [votes.acked_by_process[i] for i in range(len(processes))],
        # results_updated the dashboard got while phones answered: one per interval is the most wanted
        "dashboard_pushes_per_s": round(pushes / rating_wall, 2) if rating_wall else None,
        # what limits a closed loop on a small machine: the generator's share of a core, and how
        # busy the machine's cores were (1.0 = all of them; PostgreSQL and Redis included)
        "generator_cpu_share": round(generator_cpu / rating_wall, 2) if rating_wall else None,
        "machine_cpu_busy": round(machine_cpu / rating_wall / len(CORES), 2) if rating_wall else None,
        # PostgreSQL's and Redis's CPU per rating (other users of the services count too)
        **{
            f"{name.split('-')[0]}_cpu_ms_per_rating": round(seconds * 1000 / max(acked, 1), 3)
            for name, seconds in service_cpu.items()
        },
        "open_item_heard_ms": heard_figures(heard),
        "all_heard": (len(processes) == 1 or all(len(t) for t in heard.values()))
        and sum(len(t) for t in heard.values()) == skills * sum(c["connected"] for c in connect),
        **({"open_loop": open_loop_phases} if paces else {}),
        "expected": votes.expected,
    }


def integrity(database: str, code: str, expected: dict[tuple[str, int, int], Any]) -> dict[str, Any]:
    """Every acknowledged answer stored once, with the value of its highest seq."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            here = {"code": code}
            rows = conn.execute(
                text(
                    "SELECT p.number, r.skill_id, r.criterion_id, r.value FROM ratings r "
                    "JOIN participants p ON p.id = r.participant_id JOIN sessions s ON s.id = r.session_id "
                    "WHERE s.code = :code"
                ),
                here,
            ).all()
            duplicates = conn.execute(
                text(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM ratings r JOIN sessions s ON s.id = r.session_id "
                    "WHERE s.code = :code GROUP BY participant_id, skill_id, criterion_id, round "
                    "HAVING COUNT(*) > 1) d"
                ),
                here,
            ).scalar_one()
            numbers_clash = conn.execute(
                text(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM participants p "
                    "JOIN sessions s ON s.id = p.session_id "
                    "WHERE s.code = :code GROUP BY p.number HAVING COUNT(*) > 1) d"
                ),
                here,
            ).scalar_one()
    finally:
        engine.dispose()
    stored = {(f"P{n:02d}", s, c): v for n, s, c, v in rows}
    missing = sum(k not in stored for k in expected)
    wrong = sum(k in stored and stored[k] != (None if v == "cant_judge" else v) for k, v in expected.items())
    return {
        "ok": not (missing or wrong or duplicates or numbers_clash),
        "acked_keys": len(expected),
        "stored": len(rows),
        "missing": missing,
        "wrong_value": wrong,
        "duplicates": duplicates,
        "participant_numbers_clashing": numbers_clash,
    }


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    """A throwaway SQLite file (SQLAlchemy URL): the embedded default, for one process."""
    with tempfile.TemporaryDirectory(prefix="sb-scale-sqlite-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'soundingboard.db'}"


def run(
    phones: int,
    skills: int,
    timeout: float,
    redis_db: int = 0,
    call_timeout: float = 30,
    concurrency: int = 50,
    profile: Path | None = None,
    paces: list[float] | None = None,
    generators: int = 2,
    servers: int = 2,
    database_kind: str = "postgresql",
    lean: bool = False,
) -> dict[str, Any]:
    """One measured run on a fresh database and fresh processes, within `timeout` seconds.

    `servers` run.py processes on PostgreSQL + Redis; or one on SQLite (`database_kind`), the
    embedded default, with the same phones and generator: the comparison the issue asks for.
    """
    sqlite = database_kind == "sqlite"
    if sqlite and servers != 1:
        raise ValueError("SQLite is the one-process default: --servers 1")
    with (
        sqlite_database() if sqlite else postgres_database() as database,
        cluster(database, servers, None if sqlite else redis_db) as processes,
    ):
        code = prepare_session(database)
        try:
            result = asyncio.run(
                asyncio.wait_for(
                    scenario(
                        processes,
                        code,
                        phones,
                        skills,
                        call_timeout,
                        concurrency,
                        profile,
                        paces,
                        generators,
                        lean,
                    ),
                    timeout,
                )
            )
        except TimeoutError:
            return {"phones": phones, "timed_out_after_s": timeout}
        expected = result.pop("expected")
        client = "lean" if lean else "python-socketio"
        return {
            "database": database_kind,
            "client": client,
            **result,
            "integrity": integrity(database, code, expected),
        }


def main(argv: list[str] | None = None) -> int:
    options = parser(__doc__.splitlines()[0], phones=[200, 1000], timeout=300)
    options.add_argument("--skills", type=int, default=3, help="skills opened and answered (3)")
    options.add_argument("--redis-db", type=int, default=0)
    options.add_argument("--profile", type=Path, help="py-spy each run.py into this folder")
    options.add_argument(
        "--pace",
        type=float,
        nargs="+",
        help="open-loop phases after the skills: a tap every T seconds per phone",
    )
    options.add_argument(
        "--generators",
        type=int,
        default=2,
        help="processes holding the phones, spread over the servers (2); 1: all in this one (as before)",
    )
    options.add_argument("--servers", type=int, default=2, help="run.py processes (2)")
    options.add_argument(
        "--database",
        choices=["postgresql", "sqlite"],
        default="postgresql",
        help="postgresql (+ Redis), or sqlite: the one-process default (with --servers 1)",
    )
    options.add_argument(
        "--lean-phones",
        action="store_true",
        help="phones on bench/lean_client.py (the protocol's text frames, a fraction of python-socketio"
        " client's CPU): the generator takes less of the machine from the servers",
    )
    args = options.parse_args(argv)
    if args.skills + len(args.pace or []) > 10:
        options.error("the example framework has 10 skills: --skills plus one per --pace")
    figures = report()
    for n in args.phones:
        result = run(
            n,
            args.skills,
            args.timeout,
            args.redis_db,
            args.call_timeout,
            args.concurrency,
            args.profile,
            args.pace,
            args.generators,
            args.servers,
            args.database,
            args.lean_phones,
        )
        figures["results"].append(result)
        print(json.dumps(result), flush=True)
    write_json(args.json, figures)
    return 0 if all(r.get("integrity", {}).get("ok") for r in figures["results"]) else 1


if __name__ == "__main__":
    sys.exit(main())
