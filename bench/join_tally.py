"""What a join costs a room that has answered: join + going on line + the presence push's tally.

In-process (threading, SQLite in a temporary folder): a self-paced session with 1,000 people
who gave 15 answers each (15,000 ratings), its live tally kept; then `--joins` phones each join,
connect (`set_online`) and are followed by one push reading the session's tally
(services/live_tally.py), as the dashboard's presence push does. Reports CPU and wall time per
phone. Before the tally kept its people up to date, each join dropped it and the push re-read
every rating of the session.

    .venv/bin/python bench/join_tally.py [--people 1000] [--joins 200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from in_process import live_session  # noqa: E402  (bench/ is a folder of scripts)
from sqlalchemy import insert  # noqa: E402

from models import LiveSession, Rating, db  # noqa: E402


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--people", type=int, default=1000)
    options.add_argument("--joins", type=int, default=200)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as folder, live_session(folder) as session:
        from services import live_tally, participation  # once the app is built

        sid, code = session.id, session.code
        skills = [i.skill_id for i in session.items][:5]
        criteria = [c.id for c in session.criteria]
        people = [participation.join(code, True, {})[0].id for _ in range(args.people)]
        db.session.execute(
            insert(Rating),
            [
                {"session_id": sid, "participant_id": p, "skill_id": s, "criterion_id": c, "value": 3}
                for p in people
                for s in skills
                for c in criteria
            ],
        )
        db.session.commit()
        db.session.remove()
        live_tally.tallies().get(sid)
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.joins):
            person = participation.join(code, True, {})[0]
            participation.set_online(person, True)
            db.session.remove()
            assert db.session.get(LiveSession, sid) is not None
            live_tally.tallies().get(sid)  # the presence push that follows
        cpu, wall = time.process_time() - cpu, time.perf_counter() - start
        ratings = len(people) * len(skills) * len(criteria)
        print(
            f"{args.people} people, {ratings} ratings: per joining phone "
            f"{cpu * 1000 / args.joins:.2f} ms CPU, {wall * 1000 / args.joins:.2f} ms wall"
        )


if __name__ == "__main__":
    main()
