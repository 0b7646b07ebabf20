"""Points: spread a budget (100 by default) over the session's items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis import points_summary
from analysis.text import N_
from domain.errors import BadPayloadError, InvalidValueError
from domain.kinds.base import (
    ExportColumn,
    OverBudgetError,
    TooFewPicksError,
    agreement,
    count_param,
    keyed_ints,
)


class Points:
    name = "points"
    label = "Points"
    panels: tuple[str, ...] = ("questions",)  # its dashboard panel (dashboard_panels)
    summary_columns: tuple[ExportColumn, ...] = (
        ExportColumn("given", N_("how many gave it points")),
        ExportColumn("total", N_("points it received in all")),
        ExportColumn("mean", N_("mean points per person who answered (0 where none given)")),
        ExportColumn("share", N_("share of all points given")),
    )
    columns: tuple[ExportColumn, ...] = (
        ExportColumn("points", N_("points the person gave the skill; 0 if none, empty if no answer")),
    )

    def check_params(self, raw: Mapping[str, Any], n_items: int) -> dict[str, Any]:
        budget = raw.get("budget")
        return {
            "budget": 100 if budget in (None, "") else count_param(raw, "budget", 1, 10_000, "The budget")
        }

    def check_answer(self, params: Mapping[str, Any], item_ids: Sequence[int], raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise BadPayloadError('Send the answer as {"points": {skill id: points}}.')
        points = keyed_ints(raw.get("points"), item_ids, "points")
        if any(p < 0 for p in points.values()):
            raise InvalidValueError("Points cannot be negative.")
        spent, budget = sum(points.values()), params["budget"]
        if spent > budget:
            raise OverBudgetError(
                "Points given: %(spent)s; the budget: %(budget)s.", spent=spent, budget=budget
            )
        if spent == 0:
            raise TooFewPicksError("Give at least one point.")
        return {"points": {str(item): p for item, p in points.items() if p > 0}}

    def summarize(
        self, params: Mapping[str, Any], item_ids: Sequence[int], values: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        allocations = [{int(k): v for k, v in value.get("points", {}).items()} for value in values]
        stats, w = points_summary(allocations, list(item_ids))
        best = max((s.total for s in stats), default=0.0) or 1.0
        return {
            "n": len(values),
            "agreement": agreement(w),
            "budget": params["budget"],
            "items": [
                {
                    "skill_id": s.item,
                    "given": s.n_given,
                    "total": s.total,
                    "mean": s.mean,
                    "share": s.share,
                    "bar": s.total / best,
                }
                for s in sorted(stats, key=lambda s: -s.total)
            ],
        }

    def parts(self, value: Mapping[str, Any]) -> list[tuple[int, int | None]]:
        points = value.get("points", {})
        return sorted(((int(k), p) for k, p in points.items()), key=lambda kp: -kp[1])

    def remap(self, value: Mapping[str, Any], ids: Mapping[int, int]) -> dict[str, Any]:
        points = value.get("points", {})
        return {"points": {str(ids[int(k)]): p for k, p in points.items() if int(k) in ids}}

    def cells(self, params: Mapping[str, Any], value: Mapping[str, Any] | None, item_id: int) -> list[Any]:
        if value is None:
            return [None]
        return [value.get("points", {}).get(str(item_id), 0)]
