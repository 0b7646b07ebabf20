"""Every statement the app runs for a big session on PostgreSQL without planner statistics, and the rows
each visits: which ones grow faster than the session.

Builds, on a throwaway PostgreSQL database whose tables never had ANALYZE (autovacuum off for
them; pg_stats checked empty), a facilitator-paced meeting of N phones: 3 criteria, four skills
answered, the first re-voted (round 2, with reasons), comments, open answers, three list
questions (pick, rank, points), and a second, smaller session on the same framework. Then drives
the app's own paths in-process, as several processes run them (no live tally: a message queue is
"configured"): the dashboard, projector and results pages, the comparison, both exports, the
facilitator's and the projector's `sync`, a phone's join, `sync`, answers and comment, and the
results pushes (core/live.py `_flush`). Every distinct statement is caught (`before_cursor_execute`)
and run again under EXPLAIN (ANALYZE, FORMAT JSON) with its parameters, in a transaction rolled
back; "visited" is the rows each plan node produced or threw away, times its loops
(tests/integration/plan_cost.py). Printed per statement, for each N, worst first.

    .venv/bin/python bench/query_plans.py --phones 300 1000 [--stale] [--generic] --json /tmp/plans.json

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). The database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_out import postgres_database  # noqa: E402  (bench/ is a folder of scripts, not a package)

from tests.integration.plan_cost import explain, visited  # noqa: E402

EMAIL, PASSWORD = "facilitator@example.org", "query-plans-1"
F, P = "/facilitator", "/participant"


def normalise(statement: str) -> str:
    """One key per statement, whatever the length of its IN lists."""
    statement = re.sub(r"%\((\w+?)_\d+\)s(, %\(\1_\d+\)s)*", r"%(\1)s", statement)
    return re.sub(r"\s+", " ", statement).strip()


class Catcher:
    """Each distinct statement with its last parameters, and the path that ran it first."""

    def __init__(self) -> None:
        self.path = "setup"
        self.caught: dict[str, tuple[str, str, Any]] = {}  # key -> (path, statement, params)

    def __call__(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if many or not statement.lstrip().upper().startswith(
            ("SELECT", "WITH", "UPDATE", "DELETE", "INSERT")
        ):
            return
        key = normalise(statement)
        path = self.caught[key][0] if key in self.caught else self.path
        self.caught[key] = (path, statement, params)


@contextmanager
def app_on(url: str) -> Iterator[Any]:
    from core import create_app
    from models import db

    with tempfile.TemporaryDirectory(prefix="sb-plans-") as tmp:
        app = create_app(
            {
                "DATABASE_URL": url,
                "ASYNC_MODE": "threading",
                "INSTANCE_PATH": tmp,
                "MESSAGE_QUEUE": None,
                "RESULTS_INTERVAL": 0.0,
                "SECRET_KEY": "query-plans",
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            no_statistics()
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def no_statistics() -> None:
    """Autovacuum never analyses these tables, whatever the server's setting."""
    from models import db

    for table in db.metadata.sorted_tables:
        db.session.execute(db.text(f'ALTER TABLE "{table.name}" SET (autovacuum_enabled = false)'))
    db.session.commit()


def statistics_rows() -> int:
    from models import db

    return db.session.scalar(db.text("SELECT count(*) FROM pg_stats WHERE schemaname = 'public'")) or 0


def build(app: Any, phones: int, title: str, rng: random.Random, user: Any = None) -> Any:
    """A meeting of `phones`, as described in the module docstring; its session."""
    from models import db
    from services import frameworks, participation, prioritisation, sessions, users
    from services.open_answers import record_open_answer
    from services.rating_writer import RatingWrite, apply_batch

    user = user or users.create_user(EMAIL, PASSWORD, "facilitator")
    framework = frameworks.ensure_example_framework()
    session = sessions.create_session(
        user,
        sessions.SessionInput(
            title=title,
            framework_id=framework.id,
            criteria=["relevance", "importance", "clarity"],
            round_settings={"feedback": ["median", "iqr"], "reason": "outside_iqr"},
            open_questions=["missing", "wording"],
            questions=[
                prioritisation.QuestionSpec("pick", "Indispensable?", {"k": 3}),
                prioritisation.QuestionSpec("rank", "Order the top three", {"k": 3}),
                prioritisation.QuestionSpec("points", "Spread 100 points", {"budget": 100}),
            ],
        ),
    )
    sessions.set_state(session, "open")
    options = session.profile_questions[0]["options"] if session.profile_questions else []
    key = session.profile_questions[0]["key"] if session.profile_questions else ""
    people = [
        participation.join(session.code, True, {key: rng.choice(options)} if options else {})[0]
        for _ in range(phones)
    ]
    sessions.set_state(session, "live")
    items = sorted(session.items, key=lambda i: i.skill.position)
    criteria = list(session.criteria)

    def answer_all(skill_id: int, reason: str | None = None) -> None:
        writes = [
            RatingWrite(
                p.id,
                session.id,
                skill_id,
                c.id,
                rng.choice([*range(c.scale_min, c.scale_max + 1), None]),
                1,
                reason,
            )
            for p in people
            for c in criteria
        ]
        for start in range(0, len(writes), 300):
            apply_batch(writes[start : start + 300])
            db.session.commit()

    for item in items[:4]:
        sessions.open_item(session, item.skill_id)
        answer_all(item.skill_id)
    first = items[0].skill_id
    sessions.revote_item(session, first)
    answer_all(first, "Because the examples changed.")
    for person in people[: phones // 5]:
        participation.record_comment(person, {"skill_id": first, "text": f"Comment by {person.number}"}, 1000)
    sessions.open_item(session, items[1].skill_id)
    for person in people[: phones // 10]:
        record_open_answer(
            person, {"skill_id": items[1].skill_id, "question": "missing", "text": "More cases."}
        )
    skill_ids = [i.skill_id for i in items]
    for question in prioritisation.questions_of(session.id):
        prioritisation.open_question(session, question.id)
        for person in people:
            picks = rng.sample(skill_ids, 3)
            value = {
                "pick": {"picks": picks},
                "rank": {"ranks": {str(s): r for r, s in enumerate(picks, start=1)}},
                "points": {"points": {str(picks[0]): 60, str(picks[1]): 40}},
            }
            prioritisation.record_answer(person, {"question_id": question.id, "value": value[question.kind]})
    sessions.reveal_item(session, first)
    return session


def drive(app: Any, catcher: Catcher, session: Any, other: Any) -> None:
    """The paths a meeting runs, without the live tally (several processes)."""
    from core.extensions import socketio
    from core.live import _flush
    from models import Question, db
    from participant.events import forget_connections
    from services import prioritisation

    app.config["SB_MESSAGE_QUEUE"] = "probe://several-processes"  # no tally; no Redis either
    forget_connections()
    http = app.test_client()
    with http.session_transaction() as flask_session:
        flask_session["_user_id"] = session.facilitator.get_id()
        flask_session["_fresh"] = True
    code = session.code
    by = session.profile_questions[0]["key"] if session.profile_questions else ""
    pages = {
        "dashboard page": f"/f/sessions/{code}",
        "projector page": f"/f/sessions/{code}/projector",
        "results page": f"/f/sessions/{code}/results",
        "results page by profile": f"/f/sessions/{code}/results?by={by}",
        "comparison page": f"/f/sessions/{code}/compare",
        "suggestions page": f"/f/sessions/{code}/suggestions",
        "export": f"/f/sessions/{code}/export.xlsx",
    }
    for path, url in pages.items():
        catcher.path = path
        response = http.get(url)
        assert response.status_code == 200, (url, response.status_code)
    catcher.path = "merged export"
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/f/export").text)
    data = {"code": [code, other.code], "csrf_token": token.group(1) if token else ""}
    assert http.post("/f/export", data=data).status_code == 200
    for view in ("dashboard", "projector"):
        catcher.path = f"{view} sync"
        sock = socketio.test_client(
            app, namespace=F, flask_test_client=http, auth={"code": code, "view": view}
        )
        assert sock.emit("sync", {"code": code}, namespace=F, callback=True)["ok"]
        assert sock.emit("sync_questions", {"code": code}, namespace=F, callback=True)["ok"]
        sock.disconnect(namespace=F)
    catcher.path = "push"
    skill_ids = {i.skill_id for i in session.items}
    questions = set(db.session.scalars(db.select(Question.id).where(Question.session_id == session.id)))
    _flush(session.id, skill_ids, True, questions)
    catcher.path = "phone join"
    phone_http = app.test_client()
    assert phone_http.get(f"/j/{code}").status_code == 200
    joined = phone_http.post(f"/api/sessions/{code}/join", json={"consent": True, "profile": {}}).get_json()
    catcher.path = "phone connect and sync"
    phone = socketio.test_client(
        app, namespace=P, flask_test_client=phone_http, auth={"token": joined["token"]}
    )
    state = phone.emit("sync", {}, namespace=P, callback=True)
    assert state["ok"], state
    phone.emit("sync_questions", {}, namespace=P, callback=True)
    phone_http.get(f"/api/sessions/{code}/state")
    phone_http.get(f"/s/{code}")
    catcher.path = "phone answers"
    current = state["session"]["current_skill_id"]
    for criterion in state["session"]["criteria"]:
        reply = phone.emit(
            "submit_rating",
            {"skill_id": current, "criterion_id": criterion["id"], "value": 3, "seq": 1},
            namespace=P,
            callback=True,
        )
        assert reply["ok"], reply
    phone.emit("submit_comment", {"skill_id": current, "text": "From the probe."}, namespace=P, callback=True)
    phone.emit(
        "submit_open_answer",
        {"skill_id": current, "question": "missing", "text": "x"},
        namespace=P,
        callback=True,
    )
    question = prioritisation.questions_of(session.id)[-1]
    phone.emit(
        "submit_answer",
        {"question_id": question.id, "value": {"points": {str(current): 100}}},
        namespace=P,
        callback=True,
    )
    phone_http.get(f"/s/{code}/mine")
    phone.disconnect(namespace=P)
    catcher.path = "dashboard sync after"
    sock = socketio.test_client(
        app, namespace=F, flask_test_client=http, auth={"code": code, "view": "dashboard"}
    )
    assert sock.emit("sync", {"code": code}, namespace=F, callback=True)["ok"]
    sock.disconnect(namespace=F)


def measure(
    url: str, phones: int, stale: bool = False, generic: bool = False, seed: int = 1
) -> dict[str, Any]:
    """{key: {path, visited, max_loops, worst}} for every statement, on a fresh database of `phones`.

    `stale`: ANALYZE once the earlier session is in, before the big one: statistics that predate
    the session (its id beyond the histogram, so the planner expects about one row of it)."""
    from sqlalchemy import event

    from models import db
    from services import users

    rng = random.Random(seed)
    with app_on(url) as app:
        user = users.create_user(EMAIL, PASSWORD, "facilitator")
        other = build(app, max(phones // 3, 10), "Earlier meeting", rng, user)
        if stale:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        statistics = statistics_rows()
        session = build(app, phones, "Big meeting", rng, user)
        assert stale or statistics == 0, "the tables have planner statistics"
        db.session.expire_all()
        catcher = Catcher()
        event.listen(db.engine, "before_cursor_execute", catcher)
        try:
            drive(app, catcher, session, other)
        finally:
            event.remove(db.engine, "before_cursor_execute", catcher)
        db.session.rollback()
        out = {}
        with db.engine.connect() as conn:
            for key, (path, statement, params) in catcher.caught.items():
                try:
                    plan = explain(conn, statement, params, generic)
                except Exception as exc:  # noqa: BLE001 - a statement that cannot run again is reported
                    out[key] = {"path": path, "error": str(exc).splitlines()[0][:200]}
                    continue
                cost = visited(plan)
                out[key] = {"path": path, **cost.to_dict()}
        assert statistics_rows() == statistics, "statistics changed while measuring"
    return out


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--phones", type=int, nargs="+", default=[300, 1000])
    options.add_argument("--json", type=Path)
    options.add_argument("--top", type=int, default=25)
    options.add_argument("--repeated", action="store_true", help="list the nodes run more than once")
    options.add_argument("--generic", action="store_true", help="generic plans (prepared statements)")
    options.add_argument("--stale", action="store_true", help="statistics taken before the big session")
    args = options.parse_args(argv)
    runs = {}
    for phones in args.phones:
        with postgres_database("sb_plans") as url:
            runs[phones] = measure(url, phones, args.stale, args.generic)
    small, big = min(runs), max(runs)
    keys = sorted(set().union(*runs.values()), key=lambda k: -runs[big].get(k, {}).get("visited", 0))
    print(f"rows visited at {small} and {big} phones (growth), most loops of a node, worst node; path: query")
    for key in keys[: args.top]:
        a, b = runs[small].get(key, {}), runs[big].get(key, {})
        growth = b.get("visited", 0) / max(a.get("visited", 0), 1)
        print(
            f"{a.get('visited', 0):>10} {b.get('visited', 0):>10} ({growth:4.1f}x) {b.get('max_loops', 0):>5}"
            f" {b.get('worst', b.get('error', ''))}; {b.get('path') or a.get('path')}: {key[:120]}"
        )
        if args.repeated and b.get("repeated"):
            print("        run more than once:", "; ".join(b["repeated"]))
    if args.json:
        args.json.write_text(json.dumps({str(k): v for k, v in runs.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
