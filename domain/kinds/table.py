"""List-question results as tables for the results and comparison pages (pure: from a ListExport)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.kinds import KINDS
from domain.kinds.export import ListExport

MARKS = ("threshold", "chosen", "tied_at_cut")  # shown as ✓ and =, and in the rule's sentence
PERCENT = ("share", "ci_low", "ci_high")


def _cell(header: str, value: Any) -> str:
    if value is None:
        return "–"
    if header in PERCENT:
        return f"{100 * value:.0f}%"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _agreement(a: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Kendall's W, chi-square, df and p as the page prints them; None without a W."""
    if not a or a.get("w") is None:
        return None
    p = "< 0.001" if a["p"] < 0.001 else f"{a['p']:.3f}"
    return {"w": f"{a['w']:.2f}", "chi2": f"{a['chi2']:.1f}", "df": str(a["df"]), "p": p}


def result_tables(export: ListExport) -> list[dict[str, Any]]:
    """One table per question: its figures per skill, best first, with the pick rule's marks."""
    tables = []
    for q in export.questions:
        kind = KINDS[q.kind]
        headers = [c.header for c in kind.summary_columns if c.header not in MARKS]
        names = {i: (code, name) for i, code, name in export.skills.get(q.session_code, ())}
        threshold = q.result.get("threshold")
        rows = [
            {
                "place": place,
                "code": names.get(entry["skill_id"], ("", ""))[0],
                "name": names.get(entry["skill_id"], ("", "?"))[1],
                "chosen": bool(entry.get("chosen")),
                "tied": bool(entry.get("tied_at_cut")),
                "cells": [_cell(h, entry.get(h)) for h in headers],
            }
            for place, entry in enumerate(q.result.get("items", []), start=1)
        ]
        tables.append(
            {
                "number": q.number,
                "sessions": q.session_code,
                "kind": kind.label,
                "prompt": q.prompt,
                "round": q.round,
                "n": q.result.get("n", 0),
                "agreement": _agreement(q.result.get("agreement")),
                "rule": None if threshold is None else f"{100 * threshold:.0f}%",
                "k": q.params.get("k"),
                "any_tie": any(r["tied"] for r in rows),
                "headers": headers,
                "rows": rows,
                "notes": q.notes,  # pooled: how differing settings were reconciled (PoolNote)
            }
        )
    return tables
