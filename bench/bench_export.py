"""Benchmark: merged export of 40 sessions x 40 participants x 40 skills x 3 criteria.

192,000 ratings (about 5% "can't judge", a re-vote round on two skills per session) and a
comment on every tenth rating, streamed from generators as the database layer would.
Target: under 15 s and under 1 GB peak on a 2-core machine.

Run: .venv/bin/python bench/bench_export.py [--sessions 40] [--tracemalloc] [--keep PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.export_data import (  # noqa: E402
    CommentRow,
    CriterionInfo,
    Decision,
    ParticipantRow,
    ProfileQuestion,
    RatingRow,
    SessionInfo,
    SkillInfo,
    WorkbookData,
)
from domain.workbook import write_workbook  # noqa: E402

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CRITERIA = (
    CriterionInfo("relevance", "Relevance", "relevance", 1, 4,
                  ("Not relevant", "Somewhat relevant", "Quite relevant", "Highly relevant")),
    CriterionInfo("importance", "Importance", "importance", 1, 5,
                  ("Not", "Slightly", "Moderately", "Very", "Extremely")),
    CriterionInfo("essentiality", "Essential?", "essentiality", 1, 3,
                  ("Not necessary", "Useful", "Essential")),
)  # fmt: skip
SECTORS = ("university", "industry", "public", "intermediary")
COUNTRIES = ("PL", "FI", "IT", "ES", "DE", "PT")


def build(n_sessions: int, n_people: int, n_skills: int) -> WorkbookData:
    skills = tuple(
        SkillInfo(f"SK{i:02d}", f"Skill {i} ąęł", f"Definition of skill {i}. " * 5, f"C{i % 5}")
        for i in range(n_skills)
    )
    questions = (ProfileQuestion("sector", "Sector", SECTORS),
                 ProfileQuestion("country", "Country", COUNTRIES))  # fmt: skip
    sessions = tuple(
        SessionInfo(
            f"S{s:02d}",
            f"Workshop {s}",
            date(2026, 3, 1) + timedelta(days=s),
            "Aula",
            "PL",
            "pl",
            "Facilitator",
            "KT soft skills",
            1,
            "facilitator",
            "closed",
            "pseudonymous",
            {"agree_pct": 0.75, "iqr_max": 1.0},
            CRITERIA,
            skills,
            questions,
            {"SK00": Decision("keep", "clear consensus", "Facilitator", T0)},
        )  # fmt: skip
        for s in range(n_sessions)
    )
    rng = random.Random(42)
    ratings = list(_ratings(sessions, n_people, rng))  # generated up front: time the writer only
    return WorkbookData(
        sessions=sessions,
        participants=_participants(sessions, n_people),
        ratings=iter(ratings),
        comments=_comments(ratings),
        exported_at=T0 + timedelta(days=60),
        app_version="bench",
    )


def _participants(sessions: tuple[SessionInfo, ...], n: int) -> Iterator[ParticipantRow]:
    for s_i, s in enumerate(sessions):
        for p in range(n):
            profile = {"sector": SECTORS[p % 4], "country": COUNTRIES[(p + s_i) % 6]}
            yield ParticipantRow(s.code, f"P{p + 1:02d}", profile, T0, T0)


def _ratings(sessions: tuple[SessionInfo, ...], n: int, rng: random.Random) -> Iterator[RatingRow]:
    for s in sessions:
        for p in range(n):
            for k_i, k in enumerate(s.skills):
                for c in s.criteria:
                    at = T0 + timedelta(seconds=k_i * 60 + p)
                    rounds = 2 if k_i < 2 and p % 2 else 1  # a re-vote on two skills
                    for r in range(1, rounds + 1):
                        value = None if rng.random() < 0.05 else rng.randint(c.scale_min, c.scale_max)
                        yield RatingRow(s.code, f"P{p + 1:02d}", k.code, c.key, value, r, at, at)


def _comments(ratings: list[RatingRow]) -> Iterator[CommentRow]:
    for i, r in enumerate(ratings):
        if i % 10 == 0:
            text = f"Comment {i}: ąęłńóśźż äö àèé 😀 " + "long text " * (i % 50)
            yield CommentRow(r.session_code, r.pseudonym, r.skill_code, text, r.last_at, "visible")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--skills", type=int, default=40)
    parser.add_argument("--tracemalloc", action="store_true", help="Python heap peak (slower)")
    parser.add_argument("--keep", help="also keep the workbook at this path")
    args = parser.parse_args()
    data = build(args.sessions, args.participants, args.skills)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.tracemalloc:
        tracemalloc.start()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or os.path.join(tmp, "merged.xlsx")
        start, cpu = time.perf_counter(), time.process_time()
        write_workbook(data, path)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = os.path.getsize(path)
    print(f"sessions={args.sessions} participants={args.participants} skills={args.skills}")
    print(f"write_workbook: {elapsed:.2f} s wall, {cpu:.2f} s CPU (this process), file {size / 1e6:.1f} MB")
    print(f"peak RSS (whole process, incl. the synthetic input): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"(before writing: {rss_before:.0f} MB)")  # fmt: skip
    if args.tracemalloc:
        _, peak = tracemalloc.get_traced_memory()
        print(f"tracemalloc peak during write: {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
