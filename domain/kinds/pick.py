"""Pick k of n: choose exactly k, or at most k, of the session's items; a share rule marks the chosen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis import kendalls_w, pick_shares
from analysis.text import N_
from domain.errors import BadPayloadError
from domain.kinds.base import (
    ExportColumn,
    TooFewPicksError,
    TooManyPicksError,
    agreement,
    count_param,
    item_list,
)

DEFAULT_THRESHOLD = 50  # percent of the panel; questions stored before the rule existed use it too


def is_chosen(count: int, n: int, threshold_pct: int) -> bool:
    """Picked by at least threshold_pct % of the n who answered; exact in integers (2 of 3 >= 2/3)."""
    return n > 0 and 100 * count >= threshold_pct * n


def tied_at_cut(counts: Sequence[int], k: int) -> list[bool]:
    """For counts sorted high to low: which tie with the k-th place while the tie crosses the cut.

    Those skills share a count with the last place of the top k and with a skill outside it, so
    "the top k" is not decided by the votes alone (k >= len(counts): nothing is cut).
    """
    if k >= len(counts) or not counts or counts[k - 1] != counts[k]:
        return [False] * len(counts)
    return [c == counts[k - 1] for c in counts]


class Pick:
    name = "pick"
    label = "Pick k of n"
    panels: tuple[str, ...] = ("questions",)  # its dashboard panel (dashboard_panels)
    summary_columns: tuple[ExportColumn, ...] = (
        ExportColumn("count", N_("how many picked it")),
        ExportColumn("share", N_("share of those who answered that picked it")),
        ExportColumn("ci_low", N_("lower end of the Wilson 95% interval of the share")),
        ExportColumn("ci_high", N_("upper end of the Wilson 95% interval of the share")),
        ExportColumn("threshold", N_("the session's rule: chosen when picked by at least this share")),
        ExportColumn(
            "chosen", N_("1 if picked by at least the threshold share of those who answered, else 0")
        ),
        ExportColumn("tied_at_cut", N_("1 if it ties with the k-th place, so the top k is not decided")),
    )
    columns: tuple[ExportColumn, ...] = (
        ExportColumn("picked", N_("1 if the person picked the skill, 0 if not, empty if no answer")),
    )

    def check_params(self, raw: Mapping[str, Any], n_items: int) -> dict[str, Any]:
        k = count_param(raw, "k", 1, max(n_items, 1), "How many to pick")
        threshold = raw.get("threshold")
        if threshold in (None, ""):
            threshold = DEFAULT_THRESHOLD
        else:
            threshold = count_param(raw, "threshold", 1, 100, "The share that makes a skill chosen (%)")
        return {"k": k, "exact": bool(raw.get("exact", True)), "threshold": threshold}

    def check_answer(self, params: Mapping[str, Any], item_ids: Sequence[int], raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise BadPayloadError('Send the answer as {"picks": [skill ids]}.')
        picks = item_list(raw.get("picks"), item_ids, "picks")
        k = params["k"]
        if len(picks) > k:
            if params["exact"]:
                raise TooManyPicksError("Pick exactly %(k)s.", k=k)
            raise TooManyPicksError("Pick at most %(k)s.", k=k)
        if params["exact"] and len(picks) < k:
            raise TooFewPicksError("Pick exactly %(k)s; %(left)s left to pick.", k=k, left=k - len(picks))
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
        threshold = params.get("threshold", DEFAULT_THRESHOLD)
        ties = tied_at_cut([s.count for s in ranked], params["k"])
        return {
            "n": len(values),
            "threshold": threshold / 100,
            "agreement": agreement(kendalls_w([[-v for v in row] for row in picked])),
            "items": [
                {
                    "skill_id": s.item,
                    "count": s.count,
                    "share": s.share,
                    "ci_low": s.ci_low,
                    "ci_high": s.ci_high,
                    "bar": s.share,
                    "threshold": threshold / 100,
                    "chosen": int(is_chosen(s.count, len(values), threshold)),
                    "tied_at_cut": int(tie),
                }
                for s, tie in zip(ranked, ties, strict=True)
            ],
        }

    def parts(self, value: Mapping[str, Any]) -> list[tuple[int, int | None]]:
        return [(i, None) for i in value.get("picks", [])]

    def remap(self, value: Mapping[str, Any], ids: Mapping[int, int]) -> dict[str, Any]:
        return {"picks": [ids[i] for i in value.get("picks", []) if i in ids]}

    def cells(self, params: Mapping[str, Any], value: Mapping[str, Any] | None, item_id: int) -> list[Any]:
        if value is None:
            return [None]
        return [1 if item_id in value.get("picks", []) else 0]
