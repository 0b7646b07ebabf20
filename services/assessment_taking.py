"""Taking a self-assessment: start, resume by personal code, answer, finish, retake, profile."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.assessment import (
    AssessmentClosedError,
    InvalidAnswerError,
    Profile,
    UnknownResumeCodeError,
    build_profile,
    check_answer,
    hash_resume_code,
    new_resume_code,
)
from models import (
    Assessment,
    AssessmentAnswer,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentState,
    Skill,
    db,
    utcnow,
)
from services.assessment import questions, skill_refs


def _require_open(assessment: Assessment) -> None:
    if assessment.state is not AssessmentState.OPEN:
        raise AssessmentClosedError()


def start(assessment: Assessment, profile: dict[str, Any]) -> tuple[AssessmentRespondent, str]:
    """A new respondent and their personal code (returned once, stored only as a hash)."""
    _require_open(assessment)
    allowed = {q["key"]: set(q.get("options", [])) for q in assessment.profile_questions}
    clean = {k: v for k, v in profile.items() if k in allowed and v in allowed[k]}
    for _ in range(5):
        code = new_resume_code()
        respondent = AssessmentRespondent(
            assessment=assessment, code_hash=hash_resume_code(code), profile=clean
        )
        respondent.rounds.append(AssessmentRound(number=1))
        db.session.add(respondent)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return respondent, code
    raise RuntimeError("could not draw a free personal code")


def find_respondent(code: str | None, assessment: Assessment | None = None) -> AssessmentRespondent:
    """The respondent whose personal code this is (and, if given, of this publication)."""
    if not code:
        raise UnknownResumeCodeError()
    found = db.session.scalar(
        select(AssessmentRespondent).where(AssessmentRespondent.code_hash == hash_resume_code(code))
    )
    if found is None or (assessment is not None and found.assessment_id != assessment.id):
        raise UnknownResumeCodeError()
    return found


def skills(assessment: Assessment) -> list[Skill]:
    return list(assessment.framework_version.skills)


def answers(respondent: AssessmentRespondent, number: int) -> dict[tuple[str, str], int]:
    """{(skill code, question): value} of one round."""
    rows = db.session.execute(
        select(Skill.code, AssessmentAnswer.question, AssessmentAnswer.value)
        .join(Skill, Skill.id == AssessmentAnswer.skill_id)
        .where(AssessmentAnswer.respondent_id == respondent.id, AssessmentAnswer.round == number)
    )
    return {(code, question): value for code, question, value in rows}


def record_answer(respondent: AssessmentRespondent, skill_code: str, question: str, value: object) -> int:
    """Save one answer of the current round; answering again changes it (an upsert)."""
    assessment = respondent.assessment
    _require_open(assessment)
    number = check_answer(question, value, [q.key for q in questions(assessment)])
    skill = next((s for s in skills(assessment) if s.code == skill_code), None)
    if skill is None:
        raise InvalidAnswerError("This skill is not in this self-assessment.")
    current = respondent.current
    key = (
        AssessmentAnswer.respondent_id == respondent.id,
        AssessmentAnswer.skill_id == skill.id,
        AssessmentAnswer.question == question,
        AssessmentAnswer.round == current.number,
    )
    answer = db.session.scalar(select(AssessmentAnswer).where(*key))
    if answer is None:
        db.session.add(
            AssessmentAnswer(
                respondent_id=respondent.id,
                skill_id=skill.id,
                question=question,
                round=current.number,
                value=number,
            )
        )
    else:
        answer.value, answer.answered_at = number, utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # the same answer arrived twice at once: the other one won, apply ours
        db.session.rollback()
        stored = db.session.scalar(select(AssessmentAnswer).where(*key))
        if stored is not None:
            stored.value = number
            db.session.commit()
    return number


def first_unanswered(respondent: AssessmentRespondent) -> int | None:
    """1-based position of the first skill with a missing answer in the current round."""
    given = answers(respondent, respondent.current.number)
    keys = [q.key for q in questions(respondent.assessment)]
    for i, skill in enumerate(skills(respondent.assessment), 1):
        if any((skill.code, k) not in given for k in keys):
            return i
    return None


def finish(respondent: AssessmentRespondent) -> int | None:
    """Close the current round when every skill is answered; else the first skill left."""
    missing = first_unanswered(respondent)
    if missing is None and respondent.current.completed_at is None:
        respondent.current.completed_at = utcnow()
        db.session.commit()
    return missing


def retake(respondent: AssessmentRespondent) -> None:
    """Open a new round after a completed one; an unfinished round is simply continued."""
    _require_open(respondent.assessment)
    if respondent.current.completed_at is None:
        return
    respondent.rounds.append(AssessmentRound(number=respondent.current.number + 1))
    db.session.commit()


def completed_rounds(respondent: AssessmentRespondent) -> list[AssessmentRound]:
    return [r for r in respondent.rounds if r.completed_at is not None]


def profile(respondent: AssessmentRespondent, lang: str | None = None) -> Profile | None:
    """The profile of the latest completed round, with the change since the one before; skills
    and clusters named in `lang` where the framework has it."""
    done = completed_rounds(respondent)
    if not done:
        return None
    previous = answers(respondent, done[-2].number) if len(done) > 1 else None
    assessment = respondent.assessment
    return build_profile(
        questions(assessment), skill_refs(assessment, lang), answers(respondent, done[-1].number), previous
    )
