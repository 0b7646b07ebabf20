"""Speed of the statistics engine on a large synthetic session (not a test).

40 skills x 3 criteria (relevance 1-4, importance 1-5, clarity 1-4), 1,000 participants,
about 5% "can't judge". Reports the time to recompute one skill after a rating arrives
(3 summaries + suggested action) and to recompute the whole session (120 summaries,
40 suggested actions, S-CVI and Krippendorff's alpha per criterion).

    .venv/bin/python bench/bench_stats.py [--participants 1000] [--repeats 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import krippendorff_alpha, scale_cvi, suggest_action, summarize  # noqa: E402

CRITERIA = {"relevance": (1, 4), "importance": (1, 5), "clarity": (1, 4)}
N_SKILLS = 40


def make_session(participants: int, seed: int = 1) -> dict[str, dict[str, list[int | None]]]:
    """ratings[skill][criterion] = one entry per participant (None = can't judge)."""
    rng = np.random.default_rng(seed)
    session: dict[str, dict[str, list[int | None]]] = {}
    for s in range(N_SKILLS):
        skill: dict[str, list[int | None]] = {}
        for criterion, (lo, hi) in CRITERIA.items():
            centre = rng.uniform(lo, hi)
            raw = np.clip(np.rint(rng.normal(centre, 0.9, participants)), lo, hi).astype(int)
            abstain = rng.random(participants) < 0.05
            skill[criterion] = [None if a else int(v) for v, a in zip(raw, abstain, strict=True)]
        session[f"skill-{s:02d}"] = skill
    return session


def update_skill(skill: dict[str, list[int | None]]) -> str:
    summaries = {
        c: summarize(values, scale_min=CRITERIA[c][0], scale_max=CRITERIA[c][1], measure=c)
        for c, values in skill.items()
    }
    return suggest_action(summaries).action


def recompute_session(session: dict[str, dict[str, list[int | None]]]) -> None:
    relevance_counts = []
    for skill in session.values():
        summaries = {
            c: summarize(values, scale_min=CRITERIA[c][0], scale_max=CRITERIA[c][1], measure=c)
            for c, values in skill.items()
        }
        suggest_action(summaries)
        rel = summaries["relevance"]
        relevance_counts.append((round((rel.pct_agree or 0) * rel.n), rel.n))
    scale_cvi(relevance_counts)
    for criterion in CRITERIA:
        units = [skill[criterion] for skill in session.values()]
        raters = [list(r) for r in zip(*units, strict=True)]  # one row per participant
        krippendorff_alpha(raters, "ordinal")


def timed(fn, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"{name:<34} median {statistics.median(ms):8.2f} ms   p95 {p95:8.2f} ms   n={len(ms)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    session = make_session(args.participants)
    skills = list(session.values())
    print(f"{N_SKILLS} skills x {len(CRITERIA)} criteria x {args.participants} participants")
    update_skill(skills[0])  # warm-up
    counter = iter(range(10**9))
    report(
        "per-skill update (3 summaries)",
        timed(lambda: update_skill(skills[next(counter) % N_SKILLS]), args.repeats),
    )
    report("full-session recompute", timed(lambda: recompute_session(session), 20))


if __name__ == "__main__":
    main()
