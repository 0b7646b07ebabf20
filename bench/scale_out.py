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

Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379. Each run has a
time limit; processes are stopped and the database dropped afterwards.
tests/integration/test_scale_out.py runs the same scenario briefly in the test suite.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
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
def cluster(database: str, processes: int = 2, redis_db: int = 0) -> Iterator[list[ServerProcess]]:
    """`processes` run.py sharing the database and the Redis queue; the first migrates it."""
    with tempfile.TemporaryDirectory(prefix="sb-scale-") as tmp:
        env = server_env(
            {
                "SOUNDINGBOARD_DATABASE_URL": database,
                "SOUNDINGBOARD_MESSAGE_QUEUE": REDIS.format(db=redis_db),
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


async def open_skill(
    dashboard: Dashboard, everyone: list[tuple[int, Phone]], skill: int, timeout: float
) -> dict[str, list[float]]:
    """The facilitator opens `skill`: seconds until each phone heard it, on the dashboard's process or not."""
    heard: dict[str, list[float]] = {"same process": [], "other process": []}
    opened = time.perf_counter()
    await dashboard.command("open_item", skill_id=skill)
    await wait_until(lambda: all(skill in p.heard for _, p in everyone), timeout)
    for index, phone in everyone:
        if skill in phone.heard:
            heard["same process" if index == 0 else "other process"].append(phone.heard[skill] - opened)
    return heard


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


async def open_loop(
    processes: list[ServerProcess],
    dashboard: Dashboard,
    everyone: list[tuple[int, Phone]],
    skill: int,
    pace: float,
    timeout: float,
    seqs: Counter[str],
    idle: list[float],
) -> dict[str, Any]:
    """One open-loop phase on a newly opened skill (see the module docstring)."""
    heard = await open_skill(dashboard, everyone, skill, timeout)
    votes = Votes([], Counter(), {}, Counter())
    before, start = [p.cpu_seconds() for p in processes], time.perf_counter()
    await asyncio.gather(*(tap_skill(p, i, skill, pace, votes, timeout, seqs) for i, p in everyone))
    wall = time.perf_counter() - start
    cpu = [p.cpu_seconds() - b for p, b in zip(processes, before, strict=True)]
    acked = votes.outcomes["ok"] + votes.outcomes["superseded"]
    return {
        "pace_s": pace,
        "offered_per_s": round(len(everyone) / pace, 1),
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
) -> dict[str, Any]:
    """N phones split over the processes; the facilitator on the first; see the module docstring."""
    crowds = [
        Crowd(phones // len(processes) + (i < phones % len(processes)), p.url, code, concurrency // 2, p)
        for i, p in enumerate(processes)
    ]
    votes = Votes([], Counter(), {}, Counter())
    heard: dict[str, list[float]] = {"same process": [], "other process": []}
    cpu = [0.0] * len(processes)
    rating_wall, seqs, pushes = 0.0, Counter[str](), 0
    generator_cpu = machine_cpu = 0.0
    service_cpu = dict.fromkeys(SERVICES, 0.0)
    open_loop_phases: list[dict[str, Any]] = []
    async with contextlib.AsyncExitStack() as stack:
        dashboard = await stack.enter_async_context(Dashboard(processes[0], code))  # type: ignore[arg-type]
        # The crowds join at the same time, each process taking half (one after the other, the
        # second process idled while the first took its phones, at half the concurrency).
        joining = time.perf_counter()
        with contextlib.ExitStack() as spies:  # py-spy each process while the phones join
            for index, process in enumerate(processes):
                output = profile / f"process-{index}-{phones}-join.txt" if profile else None
                spies.enter_context(py_spy(process.proc.pid, output))
            entered = await asyncio.gather(*(crowd.__aenter__() for crowd in crowds), return_exceptions=True)
        for crowd, outcome in zip(crowds, entered, strict=True):
            if not isinstance(outcome, BaseException):
                stack.push_async_exit(crowd.__aexit__)
        for outcome in entered:
            if isinstance(outcome, BaseException):
                raise outcome
        join_s = time.perf_counter() - joining
        for index, process in enumerate(processes):  # py-spy each process while the skills run
            output = profile / f"process-{index}-{phones}.txt" if profile else None
            stack.enter_context(py_spy(process.proc.pid, output))
        await dashboard.command("set_state", state="live")
        everyone = [(index, phone) for index, crowd in enumerate(crowds) for phone in crowd.phones]
        items = [item["skill_id"] for item in everyone[0][1].session["items"]]
        for skill in items[:skills]:
            heard_now = await open_skill(dashboard, everyone, skill, call_timeout)
            for where, times in heard_now.items():
                heard[where] += times
            go = asyncio.Event()
            tasks = [
                asyncio.create_task(rate_skill(p, i, skill, votes, go, call_timeout, seqs))
                for i, p in everyone
            ]
            await asyncio.sleep(0.2)
            before, start = [p.cpu_seconds() for p in processes], time.perf_counter()
            own, cores = time.process_time(), [core_busy_seconds(c) for c in CORES]
            services = service_cpu_seconds()
            pushes_before = len(dashboard.results)
            go.set()
            await asyncio.gather(*tasks)
            rating_wall += time.perf_counter() - start
            generator_cpu += time.process_time() - own
            machine_cpu += sum(core_busy_seconds(c) - b for c, b in zip(CORES, cores, strict=True))
            for name, seconds in service_cpu_seconds().items():
                service_cpu[name] += seconds - services[name]
            pushes += len(dashboard.results) - pushes_before
            cpu = [c + p.cpu_seconds() - b for c, p, b in zip(cpu, processes, before, strict=True)]
        if paces:
            idle = await idle_cpu(processes)
        for number, pace in enumerate(paces or []):
            skill = items[skills + number]
            phase = await open_loop(processes, dashboard, everyone, skill, pace, call_timeout, seqs, idle)
            votes.expected |= phase.pop("expected")
            open_loop_phases.append(phase)
        connect = [crowd.figures() for crowd in crowds]
    acked = votes.outcomes["ok"] + votes.outcomes["superseded"]
    return {
        "phones": phones,
        "processes": len(processes),
        "connected": [c["connected"] for c in connect],
        "connect_failures": [c["connect_failures"] for c in connect],
        "join_s": round(join_s, 1),  # join over HTTP, connect and sync, all phones
        "join_server_cpu_ms_per_phone": [c["connect_server_cpu_ms_per_phone"] for c in connect],
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
        "all_heard": all(len(t) for t in heard.values())
        and sum(len(t) for t in heard.values()) == skills * sum(c["connected"] for c in connect),
        **({"open_loop": open_loop_phases} if paces else {}),
        "expected": votes.expected,
    }


def integrity(database: str, code: str, expected: dict[tuple[str, int, int], Any]) -> dict[str, Any]:
    """Every acknowledged answer stored once, with the value of its highest seq."""
    import psycopg

    dsn = database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT p.number, r.skill_id, r.criterion_id, r.value FROM ratings r "
            "JOIN participants p ON p.id = r.participant_id JOIN sessions s ON s.id = r.session_id "
            "WHERE s.code = %s",
            (code,),
        ).fetchall()
        (duplicates,) = conn.execute(  # type: ignore[misc]
            "SELECT COUNT(*) FROM (SELECT 1 FROM ratings r JOIN sessions s ON s.id = r.session_id "
            "WHERE s.code = %s GROUP BY participant_id, skill_id, criterion_id, round HAVING COUNT(*) > 1) d",
            (code,),
        ).fetchone()
        (numbers_clash,) = conn.execute(  # type: ignore[misc]
            "SELECT COUNT(*) FROM (SELECT 1 FROM participants p JOIN sessions s ON s.id = p.session_id "
            "WHERE s.code = %s GROUP BY p.number HAVING COUNT(*) > 1) d",
            (code,),
        ).fetchone()
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


def run(
    phones: int,
    skills: int,
    timeout: float,
    redis_db: int = 0,
    call_timeout: float = 30,
    concurrency: int = 50,
    profile: Path | None = None,
    paces: list[float] | None = None,
) -> dict[str, Any]:
    """One measured run on a fresh database and two fresh processes, within `timeout` seconds."""
    with postgres_database() as database, cluster(database, 2, redis_db) as processes:
        code = prepare_session(database)
        try:
            result = asyncio.run(
                asyncio.wait_for(
                    scenario(processes, code, phones, skills, call_timeout, concurrency, profile, paces),
                    timeout,
                )
            )
        except TimeoutError:
            return {"phones": phones, "timed_out_after_s": timeout}
        expected = result.pop("expected")
        return result | {"integrity": integrity(database, code, expected)}


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
        )
        figures["results"].append(result)
        print(json.dumps(result), flush=True)
    write_json(args.json, figures)
    return 0 if all(r.get("integrity", {}).get("ok") for r in figures["results"]) else 1


if __name__ == "__main__":
    sys.exit(main())
