"""Pick k of n: choose exactly k, or at most k, of the session's items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis import kendalls_w, pick_shares
from domain.errors import BadPayloadError
from domain.kinds.base import (
    ExportColumn,
    TooFewPicksError,
    TooManyPicksError,
    agreement,
    count_param,
    item_list,
)


class Pick:
    name = "pick"
    label = "Pick k of n"
    summary_columns: tuple[ExportColumn, ...] = (
        ExportColumn("count", "how many picked it"),
        ExportColumn("share", "share of those who answered that picked it"),
        ExportColumn("ci_low", "lower end of the Wilson 95% interval of the share"),
        ExportColumn("ci_high", "upper end of the Wilson 95% interval of the share"),
    )
    columns: tuple[ExportColumn, ...] = (
        ExportColumn("picked", "1 if the person picked the skill, 0 if not, empty if no answer"),
    )

    def check_params(self, raw: Mapping[str, Any], n_items: int) -> dict[str, Any]:
        k = count_param(raw, "k", 1, max(n_items, 1), "How many to pick")
        return {"k": k, "exact": bool(raw.get("exact", True))}

    def check_answer(self, params: Mapping[str, Any], item_ids: Sequence[int], raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise BadPayloadError('Send the answer as {"picks": [skill ids]}.')
        picks = item_list(raw.get("picks"), item_ids, "picks")
        k = params["k"]
        if len(picks) > k:
            raise TooManyPicksError(f"Pick {'exactly' if params['exact'] else 'at most'} {k}.")
        if params["exact"] and len(picks) < k:
            raise TooFewPicksError(f"Pick exactly {k}; {k - len(picks)} left to pick.")
        if not picks:
            raise TooFewPicksError("Pick at least one.")
        return {"picks": picks}

    def summarize(
        self, params: Mapping[str, Any], item_ids: Sequence[int], values: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        choices = [v.get("picks", []) for v in values]
        shares = pick_shares(choices, list(item_ids))
        ranked = sorted(shares, key=lambda s: -s.count)  # stable: ties keep the list's order
        picked = [[1 if item in chosen else 0 for item in item_ids] for chosen in choices]
        return {
            "n": len(values),
            "agreement": agreement(kendalls_w([[-v for v in row] for row in picked])),
            "items": [
                {
                    "skill_id": s.item,
                    "count": s.count,
                    "share": s.share,
                    "ci_low": s.ci_low,
                    "ci_high": s.ci_high,
                    "bar": s.share,
                }
                for s in ranked
            ],
        }

    def cells(self, params: Mapping[str, Any], value: Mapping[str, Any] | None, item_id: int) -> list[Any]:
        if value is None:
            return [None]
        return [1 if item_id in value.get("picks", []) else 0]
