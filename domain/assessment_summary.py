"""What a coordinator sees of a self-assessment: aggregates and tool validation, never one person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from analysis.descriptive import counts, mean, sd
from analysis.pooling import PRIVACY_MIN_RATERS, complementary_suppression
from analysis.scale_reliability import ScaleReport, scale_report
from domain.assessment import SCALE, AssessmentQuestion, SkillRef


@dataclass(frozen=True)
class Response:
    """One respondent's latest completed take, anonymous: a number instead of an identity."""

    number: int
    profile: dict[str, str]
    completed_at: datetime
    round: int
    answers: dict[tuple[str, str], int]  # (skill code, question) -> 1..5


@dataclass(frozen=True)
class Distribution:
    n: int
    counts: tuple[int, ...]
    mean: float | None
    sd: float | None


def distribution(values: Sequence[float]) -> Distribution:
    """Counts per scale point (a cluster's mean score counted at its nearest point, halves up)."""
    points = [min(max(int(v + 0.5), SCALE[0]), SCALE[-1]) for v in values]
    return Distribution(len(values), counts(points, SCALE[0], SCALE[-1]), mean(values), sd(values))


@dataclass(frozen=True)
class SkillAggregate:
    skill: SkillRef
    by_question: dict[str, Distribution]

    @property
    def gap(self) -> float | None:
        """Mean importance minus mean mastery: where training is most wanted."""
        imp, mas = self.by_question.get("importance"), self.by_question.get("mastery")
        if imp is None or mas is None or imp.mean is None or mas.mean is None:
            return None
        return imp.mean - mas.mean


@dataclass(frozen=True)
class ClusterAggregate:
    name: str
    by_question: dict[str, Distribution]  # of each respondent's mean over the cluster's skills
    reliability: dict[str, ScaleReport]  # per question: the cluster's skills as one scale


@dataclass(frozen=True)
class Breakdown:
    """Mean per answer to a profile question: (answer, headcount, means). Means are None where
    fewer than 3 people gave that answer; headcount and means are both None for a group
    withheld by complementary suppression (the small ones and those withheld to protect them)."""

    key: str
    label: str
    groups: tuple[tuple[str, int | None, dict[str, float | None] | None], ...]


@dataclass(frozen=True)
class Aggregates:
    n: int
    questions: tuple[AssessmentQuestion, ...]
    skills: tuple[SkillAggregate, ...]
    clusters: tuple[ClusterAggregate, ...]
    breakdowns: tuple[Breakdown, ...]
    per_day: tuple[tuple[date, int, int], ...]  # day, completed that day, cumulative
    # With 1 or 2 people every figure would be their own answers: only the count is shown.
    withheld: bool = False


def _cluster_scores(responses: Sequence[Response], skills: Sequence[SkillRef], question: str) -> list[float]:
    scores = []
    for r in responses:
        values = [r.answers.get((s.code, question)) for s in skills]
        present = [v for v in values if v is not None]
        if present:
            scores.append(sum(present) / len(present))
    return scores


def _breakdown(question: dict[str, object], responses: Sequence[Response], keys: Sequence[str]) -> Breakdown:
    key = str(question["key"])
    options = [str(o) for o in question.get("options", [])]  # type: ignore[attr-defined]
    groups = []
    members_of = {
        option: [r for r in responses if r.profile.get(key, "") == option] for option in [*options, ""]
    }
    if not members_of[""]:
        del members_of[""]
    sizes = {option: len(members) for option, members in members_of.items()}
    # complementary suppression: the overall figures minus the shown groups must not give a
    # small group back (analysis.complementary_suppression)
    hidden = complementary_suppression(sizes, sizes, min_raters=PRIVACY_MIN_RATERS)
    for option, members in members_of.items():
        shown = None
        if option not in hidden and len(members) >= PRIVACY_MIN_RATERS:
            shown = {
                q: mean([v for r in members for (_, qq), v in r.answers.items() if qq == q]) for q in keys
            }
        # a withheld group's headcount is withheld too: the total minus the shown headcounts
        # must not give one small group's size back
        groups.append((option or "(not answered)", None if option in hidden else len(members), shown))
    return Breakdown(key, str(question.get("label", key)), tuple(groups))


def aggregate(
    questions: Sequence[AssessmentQuestion],
    skills: Sequence[SkillRef],
    responses: Sequence[Response],
    profile_questions: Sequence[dict[str, object]] = (),
) -> Aggregates:
    """Distributions and means per skill and cluster, gaps, validation per cluster, breakdowns
    (groups under 3 suppressed, as everywhere in Sounding Board) and completions per day."""
    keys = [q.key for q in questions]
    days = Counter(r.completed_at.date() for r in responses)
    running, per_day = 0, []
    for day in sorted(days):
        running += days[day]
        per_day.append((day, days[day], running))
    if 0 < len(responses) < PRIVACY_MIN_RATERS:
        return Aggregates(len(responses), tuple(questions), (), (), (), tuple(per_day), withheld=True)
    per_skill = tuple(
        SkillAggregate(
            s,
            {
                q: distribution([v for r in responses if (v := r.answers.get((s.code, q))) is not None])
                for q in keys
            },
        )
        for s in skills
    )
    clusters = []
    for name in dict.fromkeys(s.cluster for s in skills if s.cluster):
        mine = [s for s in skills if s.cluster == name]
        clusters.append(
            ClusterAggregate(
                name,
                {q: distribution(_cluster_scores(responses, mine, q)) for q in keys},
                {
                    # no respondent yet: one empty row keeps the number of items (k) for the report
                    q: scale_report(
                        [[r.answers.get((s.code, q)) for s in mine] for r in responses]
                        or [[None] * len(mine)]
                    )
                    for q in keys
                },
            )
        )
    return Aggregates(
        len(responses),
        tuple(questions),
        per_skill,
        tuple(clusters),
        tuple(_breakdown(q, responses, keys) for q in profile_questions),
        tuple(per_day),
    )
