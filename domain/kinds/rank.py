"""Rank: put k of the session's items (all of a short list by default) in order, best first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis import rank_summary
from analysis.text import N_
from domain.errors import BadPayloadError, InvalidValueError, ValidationError
from domain.kinds.base import (
    DuplicateRankError,
    ExportColumn,
    IncompleteRankingError,
    TooManyPicksError,
    agreement,
    keyed_ints,
)


class Rank:
    name = "rank"
    label = "Rank"
    panels: tuple[str, ...] = ("questions",)  # its dashboard panel (dashboard_panels)
    summary_columns: tuple[ExportColumn, ...] = (
        ExportColumn("ranked", N_("how many placed it in their ranking")),
        ExportColumn("mean_rank", N_("mean rank, unranked skills sharing the remaining ranks")),
        ExportColumn("median_rank", N_("median rank, likewise")),
        ExportColumn("borda", N_("Borda score: n - rank per person, summed")),
    )
    columns: tuple[ExportColumn, ...] = (
        ExportColumn("rank", N_("the person's rank for the skill, 1 = most important; empty if not ranked")),
    )

    def check_params(self, raw: Mapping[str, Any], n_items: int) -> dict[str, Any]:
        k = raw.get("k")
        if k in (None, ""):
            return {"k": n_items}
        if isinstance(k, str) and k.strip().isdigit():
            k = int(k)
        if not isinstance(k, int) or isinstance(k, bool) or not 2 <= k <= n_items:
            raise ValidationError("How many to rank must be a whole number from 2 to %(n)s.", n=n_items)
        return {"k": k}

    def check_answer(self, params: Mapping[str, Any], item_ids: Sequence[int], raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise BadPayloadError('Send the answer as {"ranks": {skill id: rank}}.')
        ranks = keyed_ints(raw.get("ranks"), item_ids, "ranks")
        k = params["k"]
        if len(ranks) > k:
            raise TooManyPicksError("Rank %(k)s skills, no more.", k=k)
        if any(not 1 <= r <= k for r in ranks.values()):
            raise InvalidValueError("Ranks run from 1 to %(k)s.", k=k)
        if len(set(ranks.values())) != len(ranks):
            raise DuplicateRankError()
        if len(ranks) < k:
            raise IncompleteRankingError(
                "Rank %(k)s skills; %(left)s still to place.", k=k, left=k - len(ranks)
            )
        return {"order": sorted(ranks, key=ranks.__getitem__)}

    def summarize(
        self, params: Mapping[str, Any], item_ids: Sequence[int], values: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        stats, w = rank_summary([v.get("order", []) for v in values], list(item_ids))
        best = max((s.borda for s in stats), default=0.0) or 1.0
        ranked = sorted(stats, key=lambda s: -s.borda)
        return {
            "n": len(values),
            "agreement": agreement(w),
            "items": [
                {
                    "skill_id": s.item,
                    "ranked": s.n_ranked,
                    "mean_rank": s.mean_rank,
                    "median_rank": s.median_rank,
                    "borda": s.borda,
                    "bar": s.borda / best,
                }
                for s in ranked
            ],
        }

    def parts(self, value: Mapping[str, Any]) -> list[tuple[int, int | None]]:
        return [(i, None) for i in value.get("order", [])]

    def remap(self, value: Mapping[str, Any], ids: Mapping[int, int]) -> dict[str, Any]:
        return {"order": [ids[i] for i in value.get("order", []) if i in ids]}

    def cells(self, params: Mapping[str, Any], value: Mapping[str, Any] | None, item_id: int) -> list[Any]:
        order = (value or {}).get("order", [])
        return [order.index(item_id) + 1 if item_id in order else None]
