"""The rating writer's CPU per batch, in-process: what a commit of B ratings costs the server.

In-process (threading, SQLite file in a temporary folder, synchronous=FULL as served): a live
session of `--skills` open skills x 3 criteria and `--people` phones. Each batch is B phones'
answers to one skill's criterion (`--spread K`: to K skills' criteria, phones at their own pace),
with a seq as the phone app sends it, handed to the writer's own `_commit` (the reads, the upsert,
the durable commit, the live tallies) as a burst of taps would be. Reports CPU per batch and per
rating for each B, the least-squares fixed cost per batch and cost per rating, and the best of
`--rounds` rounds (the machine may be shared).

    .venv/bin/python bench/bench_writer.py [--sizes 1 5 20 40] [--batches 300] [--rounds 5] [--spread 1]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from in_process import live_session  # noqa: E402  (bench/ is a folder of scripts)

from models import db  # noqa: E402


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 20, 40])
    options.add_argument("--batches", type=int, default=300)
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--people", type=int, default=40)
    options.add_argument("--skills", type=int, default=10)
    options.add_argument(
        "--spread",
        type=int,
        default=1,
        help="a batch's phones answer this many skills (phones at their own pace)",
    )
    args = options.parse_args()
    best: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder, live_session(folder) as session:
        from services import participation  # once the app is built
        from services.rating_writer import RatingWrite, _Pending, writer

        sid = session.id
        skills = [i.skill_id for i in session.items][: args.skills]
        criteria = [c.id for c in session.criteria]
        people = [participation.join(session.code, True, {})[0].id for _ in range(args.people)]
        db.session.remove()
        the_writer = writer()
        seq = itertools.count(1)
        targets = itertools.cycle([(s, c) for s in skills for c in criteria])

        def batch(size: int) -> list[_Pending]:
            spots = [next(targets) for _ in range(args.spread)]
            n = next(seq)
            return [
                _Pending(RatingWrite(p, sid, skill, criterion, 1 + (n + i) % 4, n))
                for i, p in enumerate(people[:size])
                for skill, criterion in [spots[i % args.spread]]
            ]

        for _ in range(args.rounds):
            for size in args.sizes:
                batches = [batch(size) for _ in range(args.batches)]
                cpu = time.process_time()
                for pending in batches:
                    the_writer._commit(pending)
                spent = (time.process_time() - cpu) / args.batches
                refused = [p.error for b in batches for p in b if p.error is not None]
                assert not refused, f"refused: {refused[0]!r}"
                best[size] = min(best.get(size, spent), spent)
    for size in args.sizes:
        per_rating = best[size] * 1000 / size
        print(f"batch of {size:3}: {best[size] * 1000:.3f} ms CPU, {per_rating:.4f} ms a rating")
    if len(args.sizes) > 1:
        n = len(args.sizes)
        mean_x, mean_y = sum(args.sizes) / n, sum(best.values()) / n
        slope = sum((x - mean_x) * (best[x] - mean_y) for x in args.sizes) / sum(
            (x - mean_x) ** 2 for x in args.sizes
        )
        print(f"fixed {1000 * (mean_y - slope * mean_x):.3f} ms a batch + {1000 * slope:.4f} ms a rating")


if __name__ == "__main__":
    main()
