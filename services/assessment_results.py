"""A self-assessment's aggregates, validation and export, from each person's latest completed take."""

from __future__ import annotations

from dataclasses import replace
from typing import BinaryIO

from sqlalchemy import select

from core.i18n import SOURCE, reader_language, translator
from domain.assessment_summary import Aggregates, Response, aggregate
from domain.workbook_assessment import AssessmentBook, write_assessment_workbook
from models import Assessment, AssessmentAnswer, AssessmentRespondent, AssessmentRound, Skill, db
from services.assessment import questions, skill_refs
from services.spreadsheet import app_version


def responses(assessment: Assessment) -> list[Response]:
    """Anonymous responses, numbered in the order people finished (never their identity)."""
    latest: dict[int, AssessmentRound] = {}
    rounds = db.session.scalars(
        select(AssessmentRound)
        .join(AssessmentRespondent)
        .where(AssessmentRespondent.assessment_id == assessment.id, AssessmentRound.completed_at.is_not(None))
        .order_by(AssessmentRound.number)
    )
    for r in rounds:
        latest[r.respondent_id] = r
    answers: dict[int, dict[tuple[str, str], int]] = {rid: {} for rid in latest}
    a = AssessmentAnswer
    rows = db.session.execute(
        select(a.respondent_id, a.round, Skill.code, a.question, a.value)
        .join(Skill, Skill.id == a.skill_id)
        .join(AssessmentRespondent, AssessmentRespondent.id == a.respondent_id)
        .where(AssessmentRespondent.assessment_id == assessment.id)
    )
    for rid, number, code, question, value in rows:
        if rid in latest and latest[rid].number == number:
            answers[rid][(code, question)] = value
    ordered = sorted(latest.values(), key=lambda r: (r.completed_at, r.id))
    return [
        Response(i, dict(r.respondent.profile), r.completed_at, r.number, answers[r.respondent_id])  # type: ignore[arg-type]
        for i, r in enumerate(ordered, 1)
    ]


def aggregates(assessment: Assessment, lang: str = SOURCE) -> Aggregates:
    """The figures, over the framework's own skills and clusters (so that no language regroups
    them); the skills and clusters then named in `lang` where the framework has it."""
    found = aggregate(
        questions(assessment), skill_refs(assessment), responses(assessment), assessment.profile_questions
    )
    if lang == SOURCE:
        return found
    shown = {ref.code: ref for ref in skill_refs(assessment, lang)}
    skills = tuple(
        replace(s, skill=replace(s.skill, name=shown[s.skill.code].name, cluster=shown[s.skill.code].cluster))
        for s in found.skills
    )
    # A cluster takes its skills' translated name when they all give the same one.
    named: dict[str, set[str]] = {}
    for s in found.skills:
        named.setdefault(s.skill.cluster, set()).add(shown[s.skill.code].cluster)
    clusters = tuple(
        replace(c, name=next(iter(named[c.name]))) if len(named.get(c.name, ())) == 1 else c
        for c in found.clusters
    )
    return replace(found, skills=skills, clusters=clusters)


def export_workbook(assessment: Assessment, out: BinaryIO | str) -> None:
    """Anonymised responses (long and wide), aggregates, validation and a codebook."""
    found = responses(assessment)
    summary = aggregate(questions(assessment), skill_refs(assessment), found, assessment.profile_questions)
    if summary.withheld:
        found = []  # one or two people's rows would be their profiles, however anonymised
    book = AssessmentBook(
        title=assessment.title,
        code=assessment.code,
        version=assessment.version,
        framework=f"{assessment.framework_version.framework.name} v{assessment.framework_version.number}",
        app_version=app_version(),
        questions=questions(assessment),
        skills=tuple(skill_refs(assessment)),
        profile_questions=tuple(assessment.profile_questions),
        responses=tuple(found),
        aggregates=summary,
    )
    write_assessment_workbook(book, out, translator(reader_language()))
