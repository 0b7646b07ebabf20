"""Load generator: simulated phones over the real protocol, against Sounding Board and a minimal server.

For each N it starts a fresh server (run.py on a temporary SQLite instance, then
bench/minimal_server.py), prepares a session on the example framework (10 skills x 3 criteria)
and lets N phones each: POST /api/sessions/CODE/join -> connect /participant (websocket only)
-> `sync` -> `submit_rating` for every skill x criterion and one `submit_comment` per skill,
each awaiting its ack. A facilitator dashboard watches Sounding Board throughout, as in a
meeting. Reports ratings/s, ack latency percentiles, errors, timeouts, failed connections, the
server's CPU per event and, for Sounding Board, checks that every acknowledged answer is in the
database with the acknowledged value and that no rating is stored twice.

`--reconnect`: after rating, every phone drops its connection at once and comes back with its
token (a Wi-Fi blip): time until all have reconnected and synced, and whether `sync` returned
exactly the answers each phone was acknowledged.

`--rounds` with `--reconnect` (throughput): the facilitator starts a second round for the whole
session before the phones drop, so that each `sync` carries round 1's group feedback (a Delphi
round 2).

`--burst`: all N phones wait in the lobby of a facilitator-paced session; the facilitator opens a
skill (time until every phone has heard), then every phone answers it at the same instant (time
until all are acked, and until the dashboard shows all N answers).

    .venv/bin/python bench/load.py --phones 40 200 1000 [--burst] [--json out.json]

The server runs on core 0 and this generator on core 1 where the machine has two. Only ever
targets 127.0.0.1; each scenario has a time limit; servers are always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402  (bench/ is a folder of scripts, not a package)
    EMAIL,
    GENERATOR_CPU,
    PASSWORD,
    ROOT,
    SERVER_CPU,
    F,
    P,
    ServerProcess,
    core_busy_seconds,
    parser,
    percentile_ms,
    pin,
    py_spy,
    report,
    server_env,
    write_json,
)

sys.path.insert(0, str(ROOT))
SCRIPTS = {"soundingboard": "run.py", "minimal": "bench/minimal_server.py", "plain": "bench/plain_server.py"}
PHONE_ACK_WAIT = 75.0  # seconds the phone app waits for an ack on a live connection (common.js ackWait)
OLD_PHONE_WAIT = 8.0  # what it waited before 2026-11-30: `--ack-wait 8` shows the resend storm it made


class Server(ServerProcess):
    """One of the servers compared, on a fresh SQLite instance, pinned to the server's core."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.kind, self.instance = kind, workdir / "instance"
        env = server_env({"SOUNDINGBOARD_INSTANCE_PATH": str(self.instance)})
        super().__init__(SCRIPTS[kind], env, workdir / f"{kind}.log", cpu=SERVER_CPU)


@contextlib.contextmanager
def measured(server: Server, figures: dict[str, Any], profile: Path | None, name: str) -> Iterator[None]:
    """Time the block; record the server's CPU share and the other load on its core.

    The other load is only given for blocks of a second or more: /proc/stat counts 10 ms ticks.

    With `profile`, py-spy records the Sounding Board server meanwhile (collapsed stacks).
    """
    output = profile / f"{name}.txt" if profile and server.kind == "soundingboard" else None
    with py_spy(server.proc.pid, output), generator_gc_paused():
        cpu, core, own, start = (
            server.cpu_seconds(),
            core_busy_seconds(SERVER_CPU),
            time.process_time(),
            time.perf_counter(),
        )
        try:
            yield
        finally:
            wall = time.perf_counter() - start
            server_cpu = server.cpu_seconds() - cpu
            others = core_busy_seconds(SERVER_CPU) - core - server_cpu
            figures |= {
                "wall_s": round(wall, 3),
                "server_cpu_s": round(server_cpu, 2),
                "server_cpu_share": round(server_cpu / wall, 2),
                "other_load_on_server_core": round(max(others, 0) / wall, 2)
                if server.pinned and wall >= 1
                else None,
                "generator_cpu_share": round((time.process_time() - own) / wall, 2),
            }


def prepare_session(instance: Path, pacing: str, rounds: bool = False) -> str:
    """Create the facilitator, the example framework and a session in the server's SQLite file.

    `rounds`: the session asks for a reason when an answer lies outside the previous round's IQR.
    """
    from core import create_app
    from models import db
    from services import frameworks, sessions, users

    app = create_app({"INSTANCE_PATH": str(instance), "ASYNC_MODE": "threading"})
    with app.app_context():
        user = users.create_user(EMAIL, PASSWORD, "facilitator")
        framework = frameworks.ensure_example_framework()
        session = sessions.create_session(
            user,
            sessions.SessionInput(
                title=f"Load test ({pacing}-paced)",
                framework_id=framework.id,
                pacing=pacing,
                criteria=["relevance", "importance", "clarity"],
                round_settings={"reason": "outside_iqr"} if rounds else {},
            ),
        )
        sessions.set_state(session, "open")
        if pacing == "self":
            sessions.set_state(session, "live")
        code = session.code
        db.session.remove()
        db.engine.dispose()
    return code


@dataclass
class Phone:
    index: int
    client: Any  # socketio.AsyncClient, or lean_client.LeanClient
    pseudonym: str = ""
    session: dict[str, Any] = field(default_factory=dict)
    heard: dict[int, float] = field(default_factory=dict)  # current_skill_id -> when first announced
    rounds_heard: dict[int, float] = field(default_factory=dict)  # highest item round -> when first seen
    token: str = ""


@dataclass
class Tally:
    """What the phones saw: rating ack latencies, outcomes, and every acknowledged answer."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    acked: dict[tuple[str, int, int], Any] = field(default_factory=dict)
    comments: dict[tuple[str, int], str] = field(default_factory=dict)
    reasons_asked: int = 0  # answers refused with reason_required, then sent again with a reason
    resent: Counter[str] = field(default_factory=Counter)  # --resend: phone -> sends after a timeout
    slow_acks: int = 0  # --resend: acks that took longer than OLD_PHONE_WAIT

    async def call_as_phone(
        self, phone: Phone, payload: dict[str, Any], wait: float = PHONE_ACK_WAIT, tries: int = 6
    ) -> None:
        """`--resend`: as static/js/participant.js does: wait `wait` seconds for the ack (common.js
        `ackWait`; an ack that comes later is thrown away, as socket.io-client does), then send the
        same answer (same seq) again after 1-3 s, 2-6 s, 4-12 s ... (common.js `resender`). The
        latency counts from the first send; each resend is counted, and each ack that took longer
        than the 8 s the phone app waited before 2026-11-30 (`slow_acks`)."""
        start = time.perf_counter()
        for attempt in range(tries):
            sent = time.perf_counter()
            try:
                reply = await phone.client.call("submit_rating", payload, namespace=P, timeout=wait)
            except socketio.exceptions.TimeoutError:
                self.resent[phone.pseudonym] += 1
                base = min(45.0, 2.0 ** (attempt + 1))
                await asyncio.sleep(base / 2 + random.random() * base)
                continue
            except Exception as exc:  # noqa: BLE001 - a dropped connection is a result
                self.outcomes[f"submit_rating:{type(exc).__name__}"] += 1
                return
            self.latencies.append(time.perf_counter() - start)
            self.slow_acks += time.perf_counter() - sent > OLD_PHONE_WAIT
            if isinstance(reply, dict) and reply.get("ok"):
                self.outcomes["submit_rating:ok"] += 1
                self.acked[(phone.pseudonym, payload["skill_id"], payload["criterion_id"])] = payload["value"]
            else:
                error = reply.get("error") if isinstance(reply, dict) else reply
                self.outcomes[f"submit_rating:{error}"] += 1
            return
        self.outcomes["submit_rating:gave_up"] += 1

    async def call(self, phone: Phone, event: str, payload: dict[str, Any], timeout: float) -> None:
        start = time.perf_counter()
        try:
            reply = await phone.client.call(event, payload, namespace=P, timeout=timeout)
            if (
                isinstance(reply, dict)
                and reply.get("error") == "reason_required"
                and "reason" not in payload
            ):
                self.reasons_asked += 1  # as the phone does: ask the person, then send both
                payload = {**payload, "reason": f"Bench reason from {phone.pseudonym}."}
                reply = await phone.client.call(event, payload, namespace=P, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - a timeout or a dropped connection is a result
            self.outcomes[f"{event}:{type(exc).__name__}"] += 1
            return
        if event == "submit_rating":
            self.latencies.append(time.perf_counter() - start)
        if not (isinstance(reply, dict) and reply.get("ok")):
            self.outcomes[f"{event}:{reply.get('error') if isinstance(reply, dict) else reply}"] += 1
            return
        self.outcomes[f"{event}:ok"] += 1
        if event == "submit_rating":
            self.acked[(phone.pseudonym, payload["skill_id"], payload["criterion_id"])] = payload["value"]
        else:
            self.comments[(phone.pseudonym, payload["skill_id"])] = payload["text"]

    def figures(self) -> dict[str, Any]:
        return {
            "ratings_acked": self.outcomes["submit_rating:ok"],
            "comments_acked": self.outcomes["submit_comment:ok"],
            "reasons_asked": self.reasons_asked,
            **(
                {
                    "phones_resent": len(self.resent),
                    "resends": sum(self.resent.values()),
                    "acks_over_8_s": self.slow_acks,
                }
                if self.resent or self.slow_acks
                else {}
            ),
            **{f"p{q}_ms": percentile_ms(self.latencies, q) for q in (50, 95, 99, 100)},
            "errors": {k: v for k, v in self.outcomes.items() if not k.endswith(":ok")},
        }


def new_client(http: aiohttp.ClientSession, lean: bool = False) -> Any:
    """A phone's Socket.IO client: python-socketio's, or (`lean`) bench/lean_client.py's."""
    if lean:
        from lean_client import LeanClient

        return LeanClient(http, request_timeout=30)
    return socketio.AsyncClient(reconnection=False, http_session=http, request_timeout=30)


async def connect_phone(
    index: int, url: str, code: str, http: aiohttp.ClientSession, failures: Counter[str], lean: bool = False
) -> Phone | None:
    """Join over HTTP, connect the socket, sync. None (and the reason counted) on failure."""
    client = new_client(http, lean)
    phone = Phone(index, client)

    async def on_session_updated(data: dict[str, Any]) -> None:
        now = time.perf_counter()
        phone.heard.setdefault(data.get("current_skill_id") or 0, now)
        phone.rounds_heard.setdefault(max((i.get("round", 1) for i in data.get("items", [])), default=1), now)

    client.on("session_updated", on_session_updated, namespace=P)
    body = {"consent": True, "profile": {"sector": "Business"}}
    try:
        async with http.post(f"{url}/api/sessions/{code}/join", json=body) as response:
            joined = await response.json(content_type=None)
        if response.status != 200 or not joined.get("ok"):
            failures[f"join:{response.status}:{joined.get('error')}"] += 1
            return None
        phone.pseudonym, phone.token = joined["participant"], joined["token"]
        await client.connect(
            url, auth={"token": joined["token"]}, transports=["websocket"], namespaces=[P], wait_timeout=30
        )
        reply = await client.call("sync", {}, namespace=P, timeout=30)
    except Exception as exc:  # noqa: BLE001
        failures[f"connect:{type(exc).__name__}"] += 1
        with contextlib.suppress(Exception):
            await client.disconnect()
        return None
    if not reply.get("ok"):
        failures[f"sync:{reply.get('error')}"] += 1
        await client.disconnect()
        return None
    phone.session = reply["session"]
    return phone


class Crowd:
    """N phones: joined and connected on entry (at most `concurrency` at once), disconnected on exit."""

    def __init__(
        self,
        n: int,
        url: str,
        code: str,
        concurrency: int,
        server: ServerProcess | None = None,
        lean: bool = False,
    ) -> None:
        self.n, self.url, self.code, self.concurrency = n, url, code, concurrency
        self.lean = lean  # bench/lean_client.py's client instead of python-socketio's
        self.server = server  # to report the server's CPU per phone joined
        self.phones: list[Phone] = []
        self.failures: Counter[str] = Counter()
        self.connect_s = 0.0
        self.connect_cpu_s: float | None = None

    async def __aenter__(self) -> Crowd:
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        gate, start = asyncio.Semaphore(self.concurrency), time.perf_counter()
        cpu = self.server.cpu_seconds() if self.server else 0.0

        async def one(index: int) -> None:
            async with gate:
                phone = await connect_phone(index, self.url, self.code, self.http, self.failures, self.lean)
            if phone is not None:
                self.phones.append(phone)

        try:
            await asyncio.gather(*(one(i) for i in range(self.n)))
        except BaseException:  # the scenario's time ran out: disconnect whoever got in
            await self.__aexit__()
            raise
        self.phones.sort(key=lambda p: p.index)
        self.connect_s = time.perf_counter() - start
        if self.server:
            self.connect_cpu_s = self.server.cpu_seconds() - cpu
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await disconnect_all([p.client for p in self.phones])
        await self.http.close()

    async def reconnect_all(self, tally: Tally, check: bool) -> dict[str, Any]:
        """Every phone drops its connection at once and comes back with its token (a Wi-Fi blip).

        With `check`, counts the phones whose `sync` does not return exactly the ratings
        acknowledged to them (the minimal server stores nothing).
        """
        start, failures, mismatched = time.perf_counter(), Counter[str](), 0
        cpu = self.server.cpu_seconds() if self.server else None
        await disconnect_all([p.client for p in self.phones])
        gate = asyncio.Semaphore(self.concurrency)

        async def back(phone: Phone) -> None:
            nonlocal mismatched
            phone.client = new_client(self.http, self.lean)
            try:
                async with gate:
                    await phone.client.connect(
                        self.url,
                        auth={"token": phone.token},
                        transports=["websocket"],
                        namespaces=[P],
                        wait_timeout=30,
                    )
                    reply = await phone.client.call("sync", {}, namespace=P, timeout=30)
            except Exception as exc:  # noqa: BLE001
                failures[f"reconnect:{type(exc).__name__}"] += 1
                return
            mine = {k: v for k, v in tally.acked.items() if k[0] == phone.pseudonym}
            synced = {
                (phone.pseudonym, int(skill), int(criterion)): value
                for skill, answers in reply.get("answers", {}).items()
                for criterion, value in answers["ratings"].items()
            }
            mismatched += synced != mine

        await asyncio.gather(*(back(p) for p in self.phones))
        return {
            "reconnect_all_synced_ms": round((time.perf_counter() - start) * 1000),
            # off line, back on line, sync: the server's CPU per phone (presence pushes included)
            "reconnect_server_cpu_ms_per_phone": round(
                (self.server.cpu_seconds() - cpu) * 1000 / max(len(self.phones), 1), 2
            )
            if self.server and cpu is not None
            else None,
            "reconnect_failures": dict(failures),
            "reconnect_answers_mismatched": mismatched if check else None,
        }

    def figures(self) -> dict[str, Any]:
        return {
            "phones": self.n,
            "connected": len(self.phones),
            "connect_failures": dict(self.failures),
            "connect_phase_s": round(self.connect_s, 2),
            # join over HTTP + socket connect + sync: the server's CPU per phone that got in
            "connect_server_cpu_ms_per_phone": round(self.connect_cpu_s * 1000 / max(len(self.phones), 1), 2)
            if self.connect_cpu_s is not None
            else None,
        }


async def disconnect_all(clients: list[socketio.AsyncClient]) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True), 30)


class Dashboard:
    """A facilitator signed in over HTTP (CSRF token from the form) with a dashboard socket."""

    def __init__(self, server: Server, code: str) -> None:
        self.server, self.code = server, code
        self.results: list[tuple[float, dict[str, Any]]] = []  # (arrival, results_updated payload)
        self.dropped = 0  # times the dashboard's connection dropped (it reconnects by itself)
        self.closing = False  # set by __aexit__: our own disconnect
        self.drop_reasons: Counter[str] = Counter()  # python-socketio's reason for each drop

    async def __aenter__(self) -> Dashboard:
        url = self.server.url
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with self.http.get(f"{url}/f/login") as response:
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', await response.text())
        assert token, "no CSRF token on /f/login"
        form = {"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD}
        async with self.http.post(f"{url}/f/login", data=form, allow_redirects=False) as response:
            assert response.status == 302, f"sign-in failed: {response.status}"
        cookie = "; ".join(f"{c.key}={c.value}" for c in self.http.cookie_jar)
        # A long join (10,000 phones take minutes on a shared machine) must not lose the
        # facilitator: the client answers the server's pings by itself, and if the connection
        # drops all the same (a starved loop missed a ping) it comes back with the same cookie.
        self.client = socketio.AsyncClient(
            reconnection=True, reconnection_delay=0.5, reconnection_delay_max=2, request_timeout=30
        )

        async def on_results(data: dict[str, Any]) -> None:
            self.results.append((time.perf_counter(), data))

        self.client.on("results_updated", on_results, namespace=F)
        self.client.on("disconnect", self.on_disconnect, namespace=F)
        await self.client.connect(
            url,
            headers={"Cookie": cookie},
            transports=["websocket"],
            namespaces=[F],
            auth={"code": self.code, "view": "dashboard"},
            wait_timeout=30,
        )
        return self

    async def on_disconnect(self, *reason: Any) -> None:
        """The connection ended: a drop unless we closed it (that close was counted as a drop)."""
        if not self.closing:
            self.dropped += 1
            self.drop_reasons[str(reason[0]) if reason else "?"] += 1

    async def __aexit__(self, *_exc: object) -> None:
        self.closing = True
        await disconnect_all([self.client])
        await self.http.close()

    async def command(self, event: str, **payload: Any) -> None:
        """Send a facilitator command; after a dropped connection, once it is back (60 s at most)."""
        for _attempt in range(3):
            if not await wait_until(lambda: F in self.client.namespaces, 60):
                raise RuntimeError(f"the facilitator's dashboard is not connected (dropped {self.dropped}x)")
            try:
                reply = await self.client.call(event, {"code": self.code, **payload}, namespace=F, timeout=30)
            except socketio.exceptions.BadNamespaceError:
                continue  # dropped just before it was sent: send it again once reconnected
            assert reply["ok"], reply
            return
        raise RuntimeError(f"{event}: no answer from the facilitator's socket (dropped {self.dropped}x)")

    async def first_push(self, shows: Callable[[dict[str, Any]], bool], since: float) -> int | None:
        """Milliseconds from `since` to the first results_updated that `shows` all answers (10 s at most)."""
        await wait_until(lambda: any(shows(d) for _, d in self.results), 10)
        arrivals = [t for t, d in self.results if shows(d)]
        return round((arrivals[0] - since) * 1000) if arrivals else None


@contextlib.asynccontextmanager
async def maybe_dashboard(server: Server, code: str) -> Any:
    """The facilitator's dashboard on Sounding Board; nothing on the minimal server."""
    if server.kind != "soundingboard":
        yield None
        return
    async with Dashboard(server, code) as dashboard:
        yield dashboard


async def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


SEQ = itertools.count(1)  # `--seq`: one counter for every phone, so each phone's seqs only grow


def answer(rng: random.Random, criterion: dict[str, Any]) -> int | str:
    """A plausible answer: mostly a scale point, sometimes "can't judge"."""
    if rng.random() < 0.05:
        return "cant_judge"
    return rng.randint(criterion["scale_min"], criterion["scale_max"])


async def rate_everything(phone: Phone, tally: Tally, start: asyncio.Event, args: argparse.Namespace) -> None:
    rng = random.Random(phone.index)
    await start.wait()
    for item in phone.session["items"][: args.items]:
        skill = item["skill_id"]
        for criterion in phone.session["criteria"]:
            payload = {"skill_id": skill, "criterion_id": criterion["id"], "value": answer(rng, criterion)}
            if args.seq:
                payload["seq"] = next(SEQ)
            await tally.call(phone, "submit_rating", payload, args.call_timeout)
        if not args.ratings_only:
            text = f"Bench comment from {phone.pseudonym} on skill {skill}."
            await tally.call(phone, "submit_comment", {"skill_id": skill, "text": text}, args.call_timeout)


async def all_together(
    phones: list[Phone],
    work: Callable[[Phone, asyncio.Event], Any],
    figures: dict[str, Any],
    server: Server,
    args: argparse.Namespace,
    name: str,
) -> float:
    """Start `work` for every phone at the same instant (an asyncio.Event), measure until all end.

    Returns when they started (time.perf_counter()).
    """
    start = asyncio.Event()
    tasks = [asyncio.create_task(work(p, start)) for p in phones]
    await asyncio.sleep(0.2)  # every task is waiting at the barrier
    with measured(server, figures, args.profile, name):
        began = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
    return began


async def throughput(server: Server, code: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every phone rates every skill x criterion and comments on each skill."""
    tally = Tally()
    figures: dict[str, Any] = {}
    async with (
        maybe_dashboard(server, code) as dashboard,
        Crowd(n, server.url, code, args.concurrency, server) as crowd,
    ):
        await all_together(
            crowd.phones,
            lambda p, go: rate_everything(p, tally, go, args),
            figures,
            server,
            args,
            f"throughput-{n}",
        )
        done_at = time.perf_counter()
        if dashboard is not None and crowd.phones:
            each = len(crowd.phones[0].session["items"][: args.items]) * len(
                crowd.phones[0].session["criteria"]
            )

            def everyone_done(data: dict[str, Any]) -> bool:
                people = data.get("completion", {}).get("participants", [])
                return sum(p["answered"] >= each for p in people) >= len(crowd.phones)

            figures["dashboard_complete_after_ms"] = await dashboard.first_push(everyone_done, done_at)
            figures["results_updated_pushes"] = len(dashboard.results)
            figures["dashboard_dropped"] = dashboard.dropped
            figures["dashboard_drop_reasons"] = dict(dashboard.drop_reasons)
        expected = tally
        if args.rounds and dashboard is not None and crowd.phones:
            # A Delphi round 2 (feedback on): every phone's sync carries round 1's group result.
            started = time.perf_counter()
            await dashboard.command("start_round", scope="all")
            if await wait_until(lambda: all(2 in p.rounds_heard for p in crowd.phones), args.call_timeout):
                figures["start_round_heard_by_all_ms"] = round(
                    (max(p.rounds_heard[2] for p in crowd.phones) - started) * 1000
                )
            expected = Tally()  # nobody has answered round 2 yet
        if args.reconnect:
            storm: dict[str, Any] = {}
            with measured(server, storm, args.profile, f"reconnect-{n}"):
                storm |= await crowd.reconnect_all(expected, check=server.kind == "soundingboard")
            figures["reconnect"] = storm
    events = tally.outcomes.total()
    figures |= {
        "ratings_per_s": round(tally.outcomes["submit_rating:ok"] / figures["wall_s"], 1),
        "events_per_s": round(events / figures["wall_s"], 1),
        "server_cpu_ms_per_event": round(figures["server_cpu_s"] * 1000 / max(events, 1), 2),
        # with --ratings-only every event is a rating: the CPU each acknowledged rating cost
        "server_cpu_ms_per_rating": round(
            figures["server_cpu_s"] * 1000 / max(tally.outcomes["submit_rating:ok"], 1), 3
        ),
    }
    return crowd.figures() | tally.figures() | figures | integrity(server, code, tally)


@contextlib.contextmanager
def generator_gc_paused() -> Iterator[None]:
    """Keep the generator's own full garbage collections out of a measured phase.

    With 1,000 phones the generator holds ~400,000 objects; a full collection of them took
    0.2-0.9 s (measured with gc.callbacks), and when one fell inside a burst the phones' acks
    waited for it, counted against the server. Everything alive now is frozen (no collection
    walks it during the phase); the phase's own garbage is still collected.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def burst(server: Server, code: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """All phones in the lobby; the facilitator opens a skill and everybody answers it at once; twice.

    The first burst meets a server that has not handled a rating yet (it compiles its queries
    then): reported as `first_burst`. The second burst gives the headline figures.
    """
    rounds: list[dict[str, Any]] = []
    tallies: list[Tally] = []
    async with (
        maybe_dashboard(server, code) as dashboard,
        Crowd(n, server.url, code, args.concurrency, server) as crowd,
    ):
        if not crowd.phones:
            return crowd.figures()
        if dashboard is not None:
            await dashboard.command("set_state", state="live")
        for number, item in enumerate(crowd.phones[0].session["items"][:2], start=1):
            tallies.append(Tally())
            figures = await burst_round(
                item["skill_id"], crowd, dashboard, tallies[-1], server, args, f"burst-{n}-{number}"
            )
            rounds.append(tallies[-1].figures() | figures)
        second: dict[str, Any] = {}
        if args.rounds and dashboard is not None:
            second = await second_round(crowd, dashboard, tallies, server, args, n)
    everything = Tally()
    for tally in tallies:
        everything.acked |= tally.acked
    extra: dict[str, Any] = {"round_2": second} if second else {}
    if dashboard is not None:
        extra["dashboard_dropped"] = dashboard.dropped
        extra["dashboard_drop_reasons"] = dict(dashboard.drop_reasons)
    return (
        crowd.figures()
        | rounds[-1]
        | {"first_burst": rounds[0]}
        | extra
        | integrity(server, code, everything)
    )


async def second_round(
    crowd: Crowd, dashboard: Dashboard, tallies: list[Tally], server: Server, args: argparse.Namespace, n: int
) -> dict[str, Any]:
    """`start_round` for the whole session, then everyone answers the first skill again in round 2.

    The session asks for a reason outside the IQR of round 1: those answers are refused with
    reason_required and sent again with a reason, as a phone does (counted in `reasons_asked`).
    """
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    await dashboard.command("start_round", scope="all")
    if await wait_until(lambda: all(2 in p.rounds_heard for p in crowd.phones), args.call_timeout):
        figures["start_round_heard_by_all_ms"] = round(
            (max(p.rounds_heard[2] for p in crowd.phones) - started) * 1000
        )
    tallies.append(Tally())
    skill = crowd.phones[0].session["items"][0]["skill_id"]
    name = f"burst-{n}-round-2"
    figures |= await burst_round(skill, crowd, dashboard, tallies[-1], server, args, name, round_=2)
    return tallies[-1].figures() | figures


async def burst_round(
    skill: int,
    crowd: Crowd,
    dashboard: Dashboard | None,
    tally: Tally,
    server: Server,
    args: argparse.Namespace,
    name: str,
    round_: int = 1,
) -> dict[str, Any]:
    """Open `skill` (Sounding Board), then every phone rates its first criterion at the same instant."""
    figures: dict[str, Any] = {}
    criterion = crowd.phones[0].session["criteria"][0]
    if dashboard is not None:
        opened = time.perf_counter()
        await dashboard.command("open_item", skill_id=skill)
        if await wait_until(lambda: all(skill in p.heard for p in crowd.phones), args.call_timeout):
            figures["open_item_heard_by_all_ms"] = round(
                (max(p.heard[skill] for p in crowd.phones) - opened) * 1000
            )

    async def vote(phone: Phone, go: asyncio.Event) -> None:
        await go.wait()
        payload = {
            "skill_id": skill,
            "criterion_id": criterion["id"],
            "value": answer(random.Random(phone.index * 1000 + skill), criterion),
        }
        if args.resend:
            await tally.call_as_phone(phone, {**payload, "seq": round_}, args.ack_wait)
            return
        await tally.call(phone, "submit_rating", payload, args.call_timeout)

    began = await all_together(crowd.phones, vote, figures, server, args, name)
    figures["all_acked_ms"] = round(figures["wall_s"] * 1000)
    figures["server_cpu_ms_per_event"] = round(figures["server_cpu_s"] * 1000 / len(crowd.phones), 2)
    figures["server_cpu_ms_per_rating"] = figures["server_cpu_ms_per_event"]
    if dashboard is not None:

        def everyone_shown(data: dict[str, Any]) -> bool:
            for item in data.get("items", []):
                if item["skill_id"] == skill and item["round"] == round_:
                    summary = item["criteria"][str(criterion["id"])]
                    return bool(summary["n"] + summary["n_abstain"] >= len(crowd.phones))
            return False

        figures["dashboard_shows_all_ms"] = await dashboard.first_push(everyone_shown, began)
    return figures


def integrity(server: Server, code: str, tally: Tally) -> dict[str, Any]:
    """Every acked rating and comment is stored with the acked value; no rating is stored twice."""
    if server.kind != "soundingboard":
        return {}
    db_path = server.instance / "soundingboard.db"
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
        (session_id,) = con.execute("SELECT id FROM sessions WHERE code = ?", (code,)).fetchone()
        ratings = con.execute(
            "SELECT p.number, r.skill_id, r.criterion_id, r.value FROM ratings r "
            "JOIN participants p ON p.id = r.participant_id WHERE r.session_id = ? ORDER BY r.round",
            (session_id,),
        ).fetchall()
        (duplicates,) = con.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM ratings WHERE session_id = ? "
            "GROUP BY participant_id, skill_id, criterion_id, round HAVING COUNT(*) > 1)",
            (session_id,),
        ).fetchone()
        comments = con.execute(
            "SELECT p.number, c.skill_id, c.text FROM comments c "
            "JOIN participants p ON p.id = c.participant_id WHERE c.session_id = ?",
            (session_id,),
        ).fetchall()
    stored = {(f"P{n:02d}", s, c): v for n, s, c, v in ratings}  # the latest round's answer wins
    texts = {(f"P{n:02d}", s): t for n, s, t in comments}
    missing = sum(k not in stored for k in tally.acked)
    wrong = sum(
        k in stored and stored[k] != (None if v == "cant_judge" else v) for k, v in tally.acked.items()
    )
    bad_comments = sum(texts.get(k) != t for k, t in tally.comments.items())
    return {
        "integrity": {
            "ok": not (missing or wrong or duplicates or bad_comments),
            "acked_ratings": len(tally.acked),
            "stored_ratings": len(ratings),
            "missing": missing,
            "wrong_value": wrong,
            "duplicates": duplicates,
            "acked_comments": len(tally.comments),
            "comments_missing_or_wrong": bad_comments,
        }
    }


def run_scenario(kind: str, scenario: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """A fresh server and session, one scenario under a time limit, the server stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="sb-load-") as tmp:
        server = Server(kind, Path(tmp))
        try:
            server.wait_ready()
            code = "MINIMAL"
            if kind == "soundingboard":
                pacing = "facilitator" if scenario == "burst" else "self"
                code = prepare_session(server.instance, pacing, rounds=args.rounds and scenario == "burst")
            runner = burst if scenario == "burst" else throughput
            try:
                result = asyncio.run(asyncio.wait_for(runner(server, code, n, args), args.timeout))
            except TimeoutError:
                result = {"phones": n, "timed_out_after_s": args.timeout}
            return result | {
                "server": kind,
                "scenario": scenario,
                "server_pinned": server.pinned,
                "server_peak_rss_mb": server.peak_rss_mb(),
                "server_log_errors": server.logged_errors(),
            }
        finally:
            server.stop()


def line(r: dict[str, Any]) -> str:
    """One result as a line of text."""
    head = f"{r['server']:>13} {r['scenario']:>10} N={r['phones']:<5}"
    if "timed_out_after_s" in r:
        return f"{head} TIMED OUT after {r['timed_out_after_s']} s"
    text = (
        f"{head} connected {r['connected']} (failed {sum(r['connect_failures'].values())}) in"
        f" {r.get('connect_phase_s')} s, server CPU {r.get('connect_server_cpu_ms_per_phone')} ms/phone  "
    )
    if r.get("dashboard_dropped"):
        reasons = r.get("dashboard_drop_reasons")
        text += f"dashboard dropped {r['dashboard_dropped']}x (reconnected; {reasons})  "
    if r["scenario"] == "burst":
        first = r.get("first_burst", {}).get("all_acked_ms")
        text += f"all acked {r.get('all_acked_ms')} ms (first burst {first} ms)  "
        if "phones_resent" in r or "phones_resent" in r.get("first_burst", {}):
            second, one = r, r.get("first_burst", {})
            text += (
                f"resent: {one.get('phones_resent', 0)} phones ({one.get('resends', 0)} sends)"
                f" in the first burst, {second.get('phones_resent', 0)} ({second.get('resends', 0)})"
                f" in the second; acks over 8 s {one.get('acks_over_8_s', 0)},"
                f" {second.get('acks_over_8_s', 0)}  "
            )
    else:
        text += f"{r['ratings_per_s']} ratings/s  "
    text += (
        f"p50/p95/p99 {r.get('p50_ms')}/{r.get('p95_ms')}/{r.get('p99_ms')} ms  "
        f"errors {sum(r.get('errors', {}).values())}  "
        f"server CPU {r.get('server_cpu_ms_per_event')} ms/event, "
        f"{r.get('server_cpu_ms_per_rating')} ms/rating (other load on its core "
        f"{r.get('other_load_on_server_core')})"
    )
    if "round_2" in r:
        two = r["round_2"]
        text += (
            f"  round 2: heard by all in {two.get('start_round_heard_by_all_ms')} ms, all acked"
            f" {two.get('all_acked_ms')} ms, p50/p99 {two.get('p50_ms')}/{two.get('p99_ms')} ms,"
            f" reasons asked {two.get('reasons_asked')}, errors {sum(two.get('errors', {}).values())}"
        )
    if "reconnect" in r:
        back = r["reconnect"]
        text += (
            f"  all reconnected and synced in {back.get('reconnect_all_synced_ms')} ms"
            f" (failed {sum(back.get('reconnect_failures', {}).values())},"
            f" answers differing {back.get('reconnect_answers_mismatched')}),"
            f" server CPU {back.get('reconnect_server_cpu_ms_per_phone')} ms/phone"
        )
    if r["server"] == "soundingboard":
        text += f"  integrity {'ok' if r.get('integrity', {}).get('ok') else 'FAILED'}"
    return text


def ratios(results: list[dict[str, Any]]) -> list[str]:
    """Sounding Board against each yardstick server (minimal Flask-SocketIO, plain python-socketio)."""
    out = []
    by_key = {(r["server"], r["scenario"], r["phones"]): r for r in results}
    for (server, scenario, n), sb in by_key.items():
        if server != "soundingboard" or scenario == "repeated" or "timed_out_after_s" in sb:
            continue
        for other in ("plain", "minimal"):
            base = by_key.get((other, scenario, n), {})
            if not base or "timed_out_after_s" in base:
                continue
            per = "server_cpu_ms_per_rating"
            cpu = (
                f"server CPU per acked rating {sb[per]} vs {base[per]} ms = "
                f"{sb[per] / max(base[per], 1e-9):.2f} x the {other} server"
            )
            if scenario == "throughput":
                out.append(
                    f"throughput N={n}: {sb['ratings_per_s']} vs {base['ratings_per_s']} ratings/s = "
                    f"{sb['ratings_per_s'] / base['ratings_per_s']:.2f} x the {other} server; {cpu}"
                )
            else:
                out.append(
                    f"burst N={n}: all acked in {sb['all_acked_ms']} vs {base['all_acked_ms']} ms = "
                    f"{sb['all_acked_ms'] / max(base['all_acked_ms'], 1):.1f} x as long as {other}; "
                    f"{cpu}"
                )
    return out


def main(argv: list[str] | None = None) -> int:
    options = parser(__doc__.splitlines()[0], phones=[40, 200, 1000], timeout=600)
    options.add_argument("--burst", action="store_true", help="also run the burst scenario for each N")
    options.add_argument("--only-burst", action="store_true", help="run the burst scenario only")
    options.add_argument(
        "--servers",
        nargs="+",
        default=["soundingboard", "plain"],
        choices=["soundingboard", "minimal", "plain"],
        help="plain: python-socketio alone; minimal: Flask-SocketIO with acking handlers",
    )
    options.add_argument(
        "--ratings-only", action="store_true", help="phones send no comments: every event is a rating"
    )
    options.add_argument("--items", type=int, default=None, help="rate only the first N skills (all)")
    options.add_argument(
        "--seq",
        action="store_true",
        help="throughput: every answer carries a seq, as the phone app's do (docs/protocol.md);"
        " without it, answers are decided by arrival (older or third-party clients)",
    )
    options.add_argument(
        "--reconnect",
        action="store_true",
        help="after rating, every phone drops its connection at once and comes back",
    )
    options.add_argument(
        "--rounds",
        action="store_true",
        help="burst: then a whole-session second round with a reason rule, and everyone answers again;"
        " throughput: a second round (feedback on) before --reconnect",
    )
    options.add_argument(
        "--resend",
        action="store_true",
        help="in bursts, phones wait --ack-wait s for an ack, then resend with the phone app's backoff",
    )
    options.add_argument(
        "--ack-wait",
        type=float,
        default=PHONE_ACK_WAIT,
        help=f"--resend: seconds a phone waits for an ack ({PHONE_ACK_WAIT:g}, the phone app's; "
        f"{OLD_PHONE_WAIT:g} was its wait before 2026-11-30)",
    )
    options.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="throughput: K interleaved phases of every server on the same crowds, median and range"
        " (bench/repeat.py; for small rooms)",
    )
    options.add_argument("--profile", type=Path, help="py-spy the Sounding Board server into this folder")
    args = options.parse_args(argv)
    figures = report(generator_pinned=pin(0, GENERATOR_CPU))
    scenarios = [] if args.only_burst else ["throughput"]
    scenarios += ["burst"] if args.burst or args.only_burst else []
    for scenario in scenarios:
        for n in args.phones:
            if scenario == "throughput" and args.repeat > 1:
                from repeat import describe, run_repeated

                figures["results"] += run_repeated(n, args)
                ours = [r for r in figures["results"] if r["scenario"] == "repeated" and r["phones"] == n]
                print("\n".join(describe(r) for r in ours), flush=True)
                continue
            for kind in args.servers:
                figures["results"].append(run_scenario(kind, scenario, n, args))
                print(line(figures["results"][-1]), flush=True)
    from repeat import paired_ratios

    figures["ratios"] = ratios(figures["results"]) + paired_ratios(figures["results"])
    print("\n".join(figures["ratios"]))
    write_json(args.json, figures)
    ours = [r for r in figures["results"] if r["server"] == "soundingboard"]
    return 0 if all(r.get("integrity", {}).get("ok") for r in ours) else 1


if __name__ == "__main__":
    sys.exit(main())
