"""Meeting-level figures, profile breakdowns and the comparison of sessions on one framework."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from analysis import (
    ConsensusRule,
    pool_compare,
    segment_breakdown,
)
from analysis import meeting_figures as analysis_figures
from core.i18n import SOURCE
from models import Criterion, FrameworkVersion, LiveSession, Participant, Rating, db
from services.assessment import shown_skill
from services.payloads import criterion_i18n
from services.results import round_of_items


def _current_ratings(session: LiveSession) -> list[tuple[int, int, int, int | None]]:
    """(participant id, skill id, criterion id, value) for each skill's current round."""
    rounds = round_of_items(session)
    rows = db.session.execute(
        select(Rating.participant_id, Rating.skill_id, Rating.criterion_id, Rating.round, Rating.value).where(
            Rating.session_id == session.id
        )
    )
    return [(p, s, c, v) for p, s, c, r, v in rows if rounds.get(s) == r]


def meeting_figures(session: LiveSession) -> list[dict[str, Any]]:
    """Per criterion: analysis.meeting_figures over the skills (rows) and participants (columns)."""
    ratings = _current_ratings(session)
    skills = [item.skill_id for item in sorted(session.items, key=lambda i: i.skill.position)]
    out = []
    for c in session.criteria:
        grid: dict[int, dict[int, int | None]] = defaultdict(dict)  # participant -> skill -> value
        for participant, skill, criterion, value in ratings:
            if criterion == c.id:
                grid[participant][skill] = value
        people = sorted(grid)
        table = [[grid[p].get(skill) for p in people] for skill in skills]
        figures = analysis_figures(table, measure=c.measure, scale_min=c.scale_min, scale_max=c.scale_max)
        out.append({"criterion_id": c.id, "label": c.label, **figures.to_dict()})
    return out


def breakdown(session: LiveSession, question_key: str) -> list[dict[str, Any]]:
    """Per skill and criterion, a summary per answer to a profile question; small groups suppressed."""
    question = next((q for q in session.profile_questions if q["key"] == question_key), None)
    if question is None:
        return []
    profiles: dict[int, dict[str, Any]] = dict(
        db.session.execute(
            select(Participant.id, Participant.profile).where(Participant.session_id == session.id)
        ).all()
    )
    rule = ConsensusRule.from_dict(session.rule or {})
    values: dict[tuple[int, int], dict[str, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    for participant, skill, criterion, value in _current_ratings(session):
        segment = (profiles.get(participant) or {}).get(question_key) or "(no answer)"
        values[(skill, criterion)][segment].append(value)
    segments = [*question["options"], "(no answer)"]
    rows = []
    for item in sorted(session.items, key=lambda i: i.skill.position):
        for c in session.criteria:
            by_segment = values.get((item.skill_id, c.id), {})
            result = segment_breakdown(
                {s: by_segment.get(s, []) for s in segments},
                scale_min=c.scale_min,
                scale_max=c.scale_max,
                measure=c.measure,
                rule=rule,
            )
            rows.append(
                {
                    "skill": item.skill,
                    "criterion": c,
                    "segments": {s: (r.to_dict() if r else None) for s, r in result.items()},
                    "empty": {s for s in segments if not [v for v in by_segment.get(s, []) if v is not None]},
                }
            )
    return rows


def comparable_sessions(session: LiveSession) -> list[LiveSession]:
    """Sessions on the same framework (any version; skills are matched by code)."""
    query = (
        select(LiveSession)
        .join(FrameworkVersion, LiveSession.framework_version_id == FrameworkVersion.id)
        .where(FrameworkVersion.framework_id == session.framework_version.framework_id)
        .order_by(LiveSession.created_at)
    )
    return list(db.session.scalars(query))


def compare(sessions: Sequence[LiveSession], lang: str = SOURCE) -> dict[str, Any]:
    """Pooled and per-session summaries per skill code and criterion key, with disagreement flags;
    skills and criteria named in `lang` where the framework (a criterion: the catalog or the
    session form) has it, else in their own words."""
    values: dict[tuple[str, str], dict[str, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    wording: dict[str, set[str]] = defaultdict(set)
    scales: dict[str, Criterion] = {}
    names: dict[str, str] = {}
    for session in sessions:
        skills = {item.skill_id: item.skill for item in session.items}
        criteria = {c.id: c for c in session.criteria}
        for skill in skills.values():
            names.setdefault(skill.code, shown_skill(skill, lang).name)
            wording[skill.code].add(skill.definition)
        for c in criteria.values():
            scales.setdefault(c.key, c)
        for _participant, skill_id, criterion_id, value in _current_ratings(session):
            values[(skills[skill_id].code, criteria[criterion_id].key)][session.code].append(value)
    rule = ConsensusRule.from_dict(sessions[0].rule or {}) if sessions else ConsensusRule()
    rows = []  # skills in framework order, criteria in the sessions' order (as on the results page)
    for (code, key), per_session in sorted(
        values.items(), key=lambda kv: (list(names).index(kv[0][0]), list(scales).index(kv[0][1]))
    ):
        c = scales[key]
        result = pool_compare(
            {s.code: per_session.get(s.code, []) for s in sessions},
            scale_min=c.scale_min,
            scale_max=c.scale_max,
            measure=c.measure,
            rule=rule,
        )
        rows.append(
            {
                "code": code,
                "name": names[code],
                "criterion": criterion_i18n(c).get(lang, {}).get("label") or c.label,
                "key": key,
                "pooled": result.pooled.to_dict(),
                "disagree": result.disagree,
                "sessions": {k: v.to_dict() for k, v in result.sessions.items()},
                "wording_differs": len(wording[code]) > 1,
            }
        )
    missing = {s.code: sorted(set(names) - {i.skill.code for i in s.items}) for s in sessions}
    return {"rows": rows, "missing": {k: v for k, v in missing.items() if v}}
