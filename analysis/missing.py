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

import numpy as np
import numpy.typing as npt

Cell = int | float | None
BoolArray = npt.NDArray[np.bool_]


def is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def complete_block(table: Sequence[Sequence[Cell]]) -> tuple[list[int], list[int]]:
    """(rows kept, columns kept) of the largest complete table found by greedy removal.

    Greedy (one row or column at a time, the one with the largest share missing; ties:
    columns before rows, later before earlier) — deterministic and easy to redo by hand,
    not guaranteed to be the largest complete table possible (that is NP-hard).

    The missing counts of the rows and columns still in are kept up to date as each one
    goes (removing a column lowers the count of every row missing in it, and the other way
    round), so a step costs one pass over the rows and columns, not over every cell. A share
    is the same float division as counting afresh (count / number left), so the choices and
    their ties are exactly those of recounting at every step.
    """
    n_rows = len(table)
    n_cols = len(table[0]) if table else 0
    if not n_rows or not n_cols:
        return [], []
    miss = missing_mask(table)
    row_in, col_in = np.ones(n_rows, dtype=bool), np.ones(n_cols, dtype=bool)
    row_missing, col_missing = miss.sum(axis=1), miss.sum(axis=0)
    rows_left, cols_left = n_rows, n_cols
    while rows_left and cols_left:
        col_share = np.where(col_in, col_missing / rows_left, -1.0)
        row_share = np.where(row_in, row_missing / cols_left, -1.0)
        c = n_cols - 1 - int(np.argmax(col_share[::-1]))  # the last of the largest
        r = n_rows - 1 - int(np.argmax(row_share[::-1]))
        if col_share[c] == 0 and row_share[r] == 0:
            break
        if col_share[c] >= row_share[r]:
            col_in[c], cols_left = False, cols_left - 1
            row_missing -= miss[:, c]
        else:
            row_in[r], rows_left = False, rows_left - 1
            col_missing -= miss[r, :]
    if not rows_left or not cols_left:
        return [], []
    return np.flatnonzero(row_in).tolist(), np.flatnonzero(col_in).tolist()


def missing_mask(table: Sequence[Sequence[Cell]]) -> BoolArray:
    """True where a cell of a rectangular table is missing (None or NaN)."""
    try:
        return np.isnan(np.array(table, dtype=np.float64))
    except (TypeError, ValueError):  # cells that are not numbers: ask each one
        return np.array([[is_missing(v) for v in row] for row in table], dtype=bool).reshape(
            len(table), len(table[0])
        )
