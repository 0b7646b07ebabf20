"""How the panel moved between rounds, per item and criterion: median and IQR per round, change, stability."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from analysis import quartiles, round_change
from models import LiveSession, Rating, db


def item_movement(session: LiveSession, skill_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Skill id -> {"rounds": [...], "criteria": {criterion id: MOVEMENT}} for items answered in round 2+.

    Rounds run from 1 to the item's current round, the latest with answers (the rule of
    services.results.round_of_items): a new round with no answer yet is not shown, and an item
    never answered after round 1 has no movement. MOVEMENT has one entry per round (`n`,
    `median`, `q1`, `q3`, `iqr`, type 7) and one per pair of consecutive rounds: `n_paired`
    (people with a valid answer in both), `share_changed`, `net_change` and `stable`
    (analysis.round_change: Scheibe, Skutsch & Schofer 1975).
    """
    chosen = set(skill_ids)
    wanted = {i.skill_id for i in session.items if i.skill_id in chosen and i.round >= 2}
    if not wanted:
        return {}
    # (skill, criterion, round) -> participant -> value
    answers: dict[tuple[int, int, int], dict[int, int | None]] = defaultdict(dict)
    rows = db.session.execute(
        select(Rating.skill_id, Rating.criterion_id, Rating.round, Rating.participant_id, Rating.value).where(
            Rating.session_id == session.id, Rating.skill_id.in_(wanted)
        )
    )
    last: dict[int, int] = {}
    for skill_id, criterion_id, round_, participant_id, value in rows:
        answers[(skill_id, criterion_id, round_)][participant_id] = value
        last[skill_id] = max(last.get(skill_id, 0), round_)
    out = {}
    for skill_id in sorted(s for s in wanted if last.get(s, 0) >= 2):
        rounds = list(range(1, last[skill_id] + 1))
        criteria = {
            str(c.id): _criterion_movement([answers.get((skill_id, c.id, r), {}) for r in rounds])
            for c in session.criteria
        }
        out[skill_id] = {"rounds": rounds, "criteria": criteria}
    return out


def _criterion_movement(per_round: list[dict[int, int | None]]) -> dict[str, Any]:
    figures = []
    for number, given in enumerate(per_round, start=1):
        valid = [v for v in given.values() if v is not None]
        q1, med, q3 = quartiles(valid)
        figures.append(
            {
                "round": number,
                "n": len(valid),
                "median": med,
                "q1": q1,
                "q3": q3,
                "iqr": None if q1 is None or q3 is None else q3 - q1,
            }
        )
    changes = []
    for number in range(1, len(per_round)):
        before = {str(k): v for k, v in per_round[number - 1].items()}
        after = {str(k): v for k, v in per_round[number].items()}
        change = round_change(before, after)
        changes.append(
            {
                "from": number,
                "to": number + 1,
                "n_paired": change.n_paired,
                "share_changed": None if change.share_unchanged is None else 1 - change.share_unchanged,
                "net_change": change.net_change,
                "stable": change.stable,
            }
        )
    return {"rounds": figures, "changes": changes}


def is_stable(movement: dict[str, Any] | None) -> bool | None:
    """True when every criterion's last change between rounds is stable; None before a second round."""
    if not movement:
        return None
    last = [m["changes"][-1]["stable"] for m in movement["criteria"].values() if m["changes"]]
    if not last or any(s is None for s in last):
        return None
    return all(last)
