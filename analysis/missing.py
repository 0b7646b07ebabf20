"""The one missing-data rule of the meeting-level figures (docs/methodology.md, section 10).

A rating is missing when the rater answered "can't judge" or did not answer in the item's
current round. Coefficients built for missing data (Krippendorff's alpha) use every rating
there is. The intraclass correlation needs a complete targets x raters table, so it uses
the complete table `complete_block` finds: it leaves out, one at a time, the target (row)
or rater (column) with the largest share of missing cells (a rater on a tie, then the
later one), until no cell is missing. A skill nobody rated goes first and cannot blank
the figure; one participant who skipped one skill costs that participant, not the skill.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Cell = int | float | None


def is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def complete_block(table: Sequence[Sequence[Cell]]) -> tuple[list[int], list[int]]:
    """(rows kept, columns kept) of the largest complete table found by greedy removal.

    Greedy (one row or column at a time, the one with the largest share missing; ties:
    columns before rows, later before earlier) — deterministic and easy to redo by hand,
    not guaranteed to be the largest complete table possible (that is NP-hard).
    """
    rows = list(range(len(table)))
    cols = list(range(len(table[0]) if table else 0))
    while rows and cols:
        worst: tuple[float, int, int, str] | None = None  # (share missing, tie order, index, kind)
        for c in cols:
            share = sum(is_missing(table[r][c]) for r in rows) / len(rows)
            worst = max(worst or (share, 1, c, "col"), (share, 1, c, "col"))
        for r in rows:
            share = sum(is_missing(table[r][c]) for c in cols) / len(cols)
            worst = max(worst or (share, 0, r, "row"), (share, 0, r, "row"))
        assert worst is not None
        if worst[0] == 0:
            break
        if worst[3] == "col":
            cols.remove(worst[2])
        else:
            rows.remove(worst[2])
    if not rows or not cols:
        return [], []
    return rows, cols
