"""What an export's sheets are made of: the sessions' skills, criteria and questions, united.

Sessions are matched by skill code and criterion key. The first session that has a skill
or criterion gives its wording and scale; a criterion whose measure or scale differs in a
later session is left out of the pooled ("ALL") statistics for that session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from analysis import ConsensusRule
from analysis.text import N_, Text
from domain.export_data import CriterionInfo, ProfileQuestion, SessionInfo, SkillInfo

T = TypeVar("T")


def read_rule(session: SessionInfo) -> tuple[ConsensusRule, str]:
    """The session's consensus rule, or the default rule and why the stored one was unusable."""
    try:
        return ConsensusRule.from_dict(dict(session.rule)), ""
    except (TypeError, ValueError) as exc:
        return ConsensusRule(), N_("stored rule unusable (%(error)s); default rule used", error=str(exc))


def _scale(c: CriterionInfo) -> tuple[str, int, int]:
    return (c.measure, c.scale_min, c.scale_max)


@dataclass(frozen=True)
class Layout:
    """The union of all sessions' skills, criteria and profile questions, in first-seen order."""

    sessions: tuple[SessionInfo, ...]
    skills: tuple[SkillInfo, ...]
    criteria: tuple[CriterionInfo, ...]
    questions: tuple[ProfileQuestion, ...]
    items: tuple[tuple[SkillInfo, CriterionInfo], ...]  # rated somewhere: skill x criterion
    rules: dict[str, tuple[ConsensusRule, str]]  # session code -> (rule, note)
    pooled_rule: ConsensusRule
    _skills_of: dict[str, dict[str, SkillInfo]]  # session code -> skill code -> skill
    _criteria_of: dict[str, dict[str, CriterionInfo]]

    @property
    def merged(self) -> bool:
        return len(self.sessions) > 1

    @property
    def points(self) -> range:
        """Every scale point of any criterion: one count column each."""
        if not self.criteria:
            return range(0)
        low = min(c.scale_min for c in self.criteria)
        return range(low, max(c.scale_max for c in self.criteria) + 1)

    @classmethod
    def of(cls, sessions: Sequence[SessionInfo]) -> Layout:
        skills = _union((s.skills for s in sessions), lambda k: k.code)
        criteria = _union((s.criteria for s in sessions), lambda c: c.key)
        rated = {(k.code, c.key) for s in sessions for k in s.skills for c in s.criteria}
        items = tuple((k, c) for k in skills for c in criteria if (k.code, c.key) in rated)
        rules = {s.code: read_rule(s) for s in sessions}
        distinct = {rule for rule, _ in rules.values()}
        pooled = rules[sessions[0].code][0] if sessions else ConsensusRule()
        if len(distinct) == 1:
            pooled = distinct.pop()
        questions = _merge_questions(q for s in sessions for q in s.profile_questions)
        skills_of = {s.code: {k.code: k for k in s.skills} for s in sessions}
        criteria_of = {s.code: {c.key: c for c in s.criteria} for s in sessions}
        return cls(tuple(sessions), skills, criteria, questions, items, rules, pooled, skills_of, criteria_of)

    def session_skill(self, session: SessionInfo, code: str) -> SkillInfo | None:
        return self._skills_of[session.code].get(code)

    def session_criterion(self, session: SessionInfo, key: str) -> CriterionInfo | None:
        return self._criteria_of[session.code].get(key)

    def poolable(self, session: SessionInfo, skill: SkillInfo, criterion: CriterionInfo) -> bool:
        """True when the session rated this item on the same measure and scale."""
        own = self.session_criterion(session, criterion.key)
        return (
            own is not None
            and _scale(own) == _scale(criterion)
            and self.session_skill(session, skill.code) is not None
        )

    def mismatches(self) -> list[tuple[Text, Text]]:
        """(what, detail) for everything that does not match across sessions, as texts the
        workbook writes in its reader's language (codes inside stay codes)."""
        out: list[tuple[Text, Text]] = []
        codes = [s.code for s in self.sessions]
        for skill in self.skills:
            versions = {s.code: self.session_skill(s, skill.code) for s in self.sessions}
            missing = [c for c in codes if versions[c] is None]
            if missing:
                having = [c for c in codes if versions[c] is not None]
                detail = N_(
                    "%(skill)s: in %(having)s; not in %(missing)s",
                    skill=skill.code,
                    having=", ".join(having),
                    missing=", ".join(missing),
                )
                out.append((N_("skill not in every session"), detail))
            texts = {v.definition for v in versions.values() if v is not None}
            if len(texts) > 1:
                detail = N_("%(skill)s: %(n)s versions", skill=skill.code, n=len(texts))
                out.append((N_("definition wording differs"), detail))
        for criterion in self.criteria:
            for session in self.sessions:
                own = self.session_criterion(session, criterion.key)
                if own is None:
                    detail = N_(
                        "%(criterion)s: not in %(session)s", criterion=criterion.key, session=session.code
                    )
                    out.append((N_("criterion not in every session"), detail))
                elif _scale(own) != _scale(criterion):
                    detail = N_(
                        "%(criterion)s in %(session)s: %(measure)s %(scale)s, elsewhere %(other_measure)s "
                        "%(other_scale)s; left out of the pooled rows",
                        criterion=criterion.key,
                        session=session.code,
                        measure=str(own.measure),
                        scale=f"{own.scale_min}-{own.scale_max}",
                        other_measure=str(criterion.measure),
                        other_scale=f"{criterion.scale_min}-{criterion.scale_max}",
                    )
                    out.append((N_("criterion scale differs"), detail))
        if len({rule for rule, _ in self.rules.values()}) > 1:
            detail = N_("pooled rows use %(session)s's rule", session=self.sessions[0].code)
            out.append((N_("consensus rules differ"), detail))
        return out

    def wording_differs(self, skill: SkillInfo) -> bool:
        texts = {m[skill.code].definition for m in self._skills_of.values() if skill.code in m}
        return len(texts) > 1


def _union(groups: Iterable[Iterable[T]], key: Callable[[T], str]) -> tuple[T, ...]:
    seen: dict[str, T] = {}
    for group in groups:
        for entry in group:
            seen.setdefault(key(entry), entry)
    return tuple(seen.values())


def _merge_questions(questions: Iterable[ProfileQuestion]) -> tuple[ProfileQuestion, ...]:
    merged: dict[str, ProfileQuestion] = {}
    for q in questions:
        old = merged.get(q.key)
        if old is None:
            merged[q.key] = q
        else:
            options = old.options + tuple(o for o in q.options if o not in old.options)
            merged[q.key] = ProfileQuestion(old.key, old.label, options)
    return tuple(merged.values())
