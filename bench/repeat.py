"""`load.py --repeat K`: a small room measured as K paired, interleaved repetitions of one phase.

At 40 phones a throughput phase is 360 ratings in well under a second: one phase measures the
ticks of the CPU clock, whether a dashboard push happened to fall inside it, and what the other
people's processes did that second, and the ratio to the plain server moved from 1.6x to 3.0x
between runs minutes apart. So, for each N:

- every server compared is started at once (each on the server's core, one phone crowd each;
  the Sounding Board one with its facilitator dashboard), and each crowd answers one phase
  unmeasured first (the warm-up: the first ratings compile queries and fill caches);
- then K times, alternating the order of the servers, every phone of one server's crowd rates
  `--items` skills x 3 criteria again, with new values (an upsert that changes the stored
  answer), all released at once as in `load.py`; the other servers are idle meanwhile. A pair of
  phases a second apart meets the same load from other processes, so their ratio keeps steady;
- the server's CPU is read from /proc/PID/task/*/schedstat (nanoseconds, not 10 ms ticks), over
  the phase until the last ack (`acked`), and until SETTLE seconds later (`settled`: includes
  the dashboard pushes that the phase's ratings caused after the last ack; the plain server has
  none, and an idle server uses ~0);
- reported: the median and the range over the K phases of each server's CPU per acknowledged
  rating, the median and range of the K pairwise ratios, and the warm-up phase alone.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import SERVER_CPU, core_busy_seconds, percentile_ms, py_spy
from load import (
    SEQ,
    Crowd,
    Dashboard,
    Phone,
    Server,
    Tally,
    answer,
    generator_gc_paused,
    integrity,
    maybe_dashboard,
    prepare_session,
)

SETTLE = 0.6  # seconds after the last ack still counted as the phase's (results push: every 0.25 s)
PAUSE = 0.3  # seconds between phases


@dataclass
class Room:
    """One server with its crowd (and dashboard), and what its phases measured."""

    server: Server
    code: str
    crowd: Crowd
    dashboard: Dashboard | None
    tally: Tally = field(default_factory=Tally)  # every answer acknowledged, for the integrity check
    phases: list[dict[str, Any]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


async def rate_items(
    phone: Phone, tally: Tally, go: asyncio.Event, args: argparse.Namespace, rep: int
) -> None:
    """The phone's `--items` skills x criteria, one ack after the other, new values each repetition."""
    rng = random.Random(phone.index * 7919 + rep)
    await go.wait()
    for item in phone.session["items"][: args.items]:
        for criterion in phone.session["criteria"]:
            payload = {
                "skill_id": item["skill_id"],
                "criterion_id": criterion["id"],
                "value": answer(rng, criterion),
            }
            if args.seq:
                payload["seq"] = next(SEQ)
            await tally.call(phone, "submit_rating", payload, args.call_timeout)


async def phase(room: Room, rep: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every phone of the room rates its items, released at once; CPU until the last ack and settled."""
    tally, go = Tally(), asyncio.Event()
    tasks = [asyncio.create_task(rate_items(p, tally, go, args, rep)) for p in room.crowd.phones]
    await asyncio.sleep(0.2)  # every task is waiting at the barrier
    pushes = len(room.dashboard.results) if room.dashboard else 0
    with generator_gc_paused():
        cpu, start = room.server.precise_cpu_seconds(), time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - start
        acked_cpu = room.server.precise_cpu_seconds() - cpu
        await asyncio.sleep(SETTLE)
        settled_cpu = room.server.precise_cpu_seconds() - cpu
    room.tally.acked |= tally.acked
    room.tally.outcomes += tally.outcomes
    room.latencies += tally.latencies
    ratings = max(tally.outcomes["submit_rating:ok"], 1)
    return {
        "rep": rep,
        "ratings_acked": tally.outcomes["submit_rating:ok"],
        "wall_s": round(wall, 3),
        "cpu_ms_per_rating": round(acked_cpu * 1000 / ratings, 4),
        "settled_cpu_ms_per_rating": round(settled_cpu * 1000 / ratings, 4),
        "results_pushes": (len(room.dashboard.results) - pushes) if room.dashboard else None,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def spread(values: list[float]) -> dict[str, float | None]:
    """Median, least, most, and the range as a share of the median."""
    if not values:
        return {"median": None, "min": None, "max": None, "range_share": None}
    middle = statistics.median(values)
    return {
        "median": round(middle, 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
        "range_share": round((max(values) - min(values)) / middle, 3) if middle else None,
    }


async def measure(rooms_of: list[tuple[Server, str]], n: int, args: argparse.Namespace) -> list[Room]:
    async with contextlib.AsyncExitStack() as stack:
        rooms = []
        for server, code in rooms_of:
            dashboard = await stack.enter_async_context(maybe_dashboard(server, code))
            crowd = await stack.enter_async_context(Crowd(n, server.url, code, args.concurrency, server))
            rooms.append(Room(server, code, crowd, dashboard))
        ours = next((r.server for r in rooms if r.server.kind == "soundingboard"), None)
        output = args.profile / f"repeat-{n}.txt" if args.profile and ours else None
        with py_spy(ours.proc.pid if ours else 0, output):
            for rep in range(args.repeat + 1):  # rep 0: the warm-up, reported apart
                for room in rooms if rep % 2 == 0 else rooms[::-1]:
                    if room.crowd.phones:
                        room.phases.append(await phase(room, rep, args))
                    await asyncio.sleep(PAUSE)
        return rooms


def run_repeated(n: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Start every server in `--servers`, measure them in interleaved phases; one result per server."""
    with tempfile.TemporaryDirectory(prefix="sb-repeat-") as tmp, contextlib.ExitStack() as stops:
        rooms_of = []
        for kind in args.servers:
            workdir = Path(tmp) / kind
            workdir.mkdir()
            server = Server(kind, workdir)
            stops.callback(server.stop)
            server.wait_ready()
            code = prepare_session(server.instance, "self") if kind == "soundingboard" else "MINIMAL"
            rooms_of.append((server, code))
        core, load = core_busy_seconds(SERVER_CPU), os.getloadavg()
        started = time.perf_counter()
        rooms = asyncio.run(asyncio.wait_for(measure(rooms_of, n, args), args.timeout))
        other = core_busy_seconds(SERVER_CPU) - core - sum(s.cpu_seconds() for s, _ in rooms_of)
        share = round(max(other, 0) / (time.perf_counter() - started), 2)
        return [result(room, n, load, share) for room in rooms]


def result(room: Room, n: int, load: tuple[float, float, float], other_load: float) -> dict[str, Any]:
    measured = [p for p in room.phases if p["rep"] > 0]
    figures = {
        "server": room.server.kind,
        "scenario": "repeated",
        "phones": n,
        **room.crowd.figures(),
        "repetitions": len(measured),
        "cpu_ms_per_rating": spread([p["cpu_ms_per_rating"] for p in measured]),
        "settled_cpu_ms_per_rating": spread([p["settled_cpu_ms_per_rating"] for p in measured]),
        "warm_up": room.phases[0] if room.phases else None,
        "phases": room.phases,
        **{f"p{q}_ms": percentile_ms(room.latencies, q) for q in (50, 99)},
        "errors": {k: v for k, v in room.tally.outcomes.items() if not k.endswith(":ok")},
        "load_average_at_start": [round(x, 2) for x in load],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "other_load_on_server_core": other_load if room.server.pinned else None,
        "server_pinned": room.server.pinned,
        "server_log_errors": room.server.logged_errors(),
    }
    if room.dashboard is not None:
        figures["dashboard_dropped"] = room.dashboard.dropped
    return figures | integrity(room.server, room.code, room.tally)


def describe(r: dict[str, Any]) -> str:
    """One server's repeated result as a line of text."""
    acked, settled, warm = r["cpu_ms_per_rating"], r["settled_cpu_ms_per_rating"], r.get("warm_up") or {}
    text = (
        f"{r['server']:>13}   repeated N={r['phones']:<5} x{r['repetitions']}: server CPU per acked rating"
        f" median {acked['median']} ms ({acked['min']}-{acked['max']}), settled {settled['median']} ms"
        f" ({settled['min']}-{settled['max']}); warm-up phase {warm.get('cpu_ms_per_rating')}"
        f"/{warm.get('settled_cpu_ms_per_rating')} ms; p50/p99 {r['p50_ms']}/{r['p99_ms']} ms;"
        f" errors {sum(r['errors'].values())}; load average {r['load_average_at_start'][0]}"
        f"->{r['load_average_at_end'][0]}, other load on its core {r['other_load_on_server_core']}"
    )
    if "integrity" in r:
        text += f"  integrity {'ok' if r['integrity']['ok'] else 'FAILED'}"
    if r.get("dashboard_dropped"):
        text += f"  dashboard dropped {r['dashboard_dropped']}x"
    return text


def paired_ratios(results: list[dict[str, Any]]) -> list[str]:
    """Sounding Board / each yardstick, phase by phase (phases of one repetition are a second apart)."""
    out = []
    by_key = {(r["server"], r["phones"]): r for r in results if r["scenario"] == "repeated"}
    for (server, n), sb in by_key.items():
        if server != "soundingboard":
            continue
        for other in ("plain", "minimal"):
            base = by_key.get((other, n))
            if not base:
                continue
            for name, key in (("acked", "cpu_ms_per_rating"), ("settled", "settled_cpu_ms_per_rating")):
                pairs = [
                    a[key] / b[key]
                    for a, b in zip(sb["phases"][1:], base["phases"][1:], strict=False)
                    if b[key] > 0
                ]
                ratio = spread(pairs)
                sb.setdefault("ratios", {})[f"{other}_{name}"] = ratio
                out.append(
                    f"repeated N={n} ({name}): CPU per acked rating {ratio['median']:.2f} x the {other}"
                    f" server (median of {len(pairs)} pairs, {ratio['min']:.2f}-{ratio['max']:.2f})"
                )
    return out
