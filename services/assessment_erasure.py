"""Taking people's data out of a self-assessment: the respondent's withdrawal and the purge.

The same two acts as for a session's participants (services/erasure.py), on one path,
`erase_respondents`:
- *withdrawal* (the respondent, from their profile page) deletes their answers, their takes and
  the respondent; the publication counts them (`withdrawn_respondents`), and the aggregates,
  computed from what is stored, no longer include them;
- the *purge* (retention: `flask purge`, or Purge on the coordinator's page) keeps every answer,
  so the aggregates stay, and removes what leads back to a person: the personal code (the only
  key to a profile), the profile answers and the times, which all become the publication's
  creation time (a completed take stays completed). The database never stores an address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from domain.assessment import UnknownResumeCodeError
from domain.errors import InvalidStateError
from models import (
    Assessment,
    AssessmentAnswer,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentState,
    db,
    utcnow,
)

ERASED = "erased:"  # code_hash prefix: never a SHA-256 of any code, so no code finds the person


@dataclass
class ErasedRespondents:
    """What one erasure took out (counts only: never who)."""

    respondents: int = 0  # deleted with their answers (withdrawal)
    answers: int = 0
    codes: int = 0  # personal codes made useless
    profiles: int = 0  # non-empty profiles cleared

    def summary(self) -> dict[str, int]:
        return {"respondents": self.respondents, "answers": self.answers, "codes": self.codes,
                "profiles": self.profiles}  # fmt: skip

    def describe(self) -> str:
        """In words, for the command line and the audit log (English, like erasure.describe)."""
        text = f"{self.codes} personal code(s), {self.profiles} profile(s)"
        if self.respondents:
            text = f"{self.respondents} respondent(s) with {self.answers} answer(s), " + text
        return text


def erase_respondents(
    assessment: Assessment, people: Sequence[AssessmentRespondent], reason: Literal["withdrawn", "purged"]
) -> ErasedRespondents:
    """Take `people`'s data out of `assessment` (see the module docstring); commits."""
    erased = ErasedRespondents()
    if not people:
        return erased
    if any(p.assessment_id != assessment.id for p in people):
        raise UnknownResumeCodeError()
    ids = [p.id for p in people]
    when = assessment.created_at  # the same for everybody: says nothing of when they came
    for person in people:
        erased.codes += not person.code_hash.startswith(ERASED)
        erased.profiles += bool(person.profile)
        person.code_hash, person.profile, person.created_at = f"{ERASED}{person.id}", {}, when
        for take in person.rounds:
            take.started_at = when
            take.completed_at = when if take.completed_at is not None else None
    answers = AssessmentAnswer.respondent_id.in_(ids)
    db.session.execute(update(AssessmentAnswer).where(answers).values(answered_at=when))
    if reason == "withdrawn":
        result = db.session.execute(delete(AssessmentAnswer).where(answers))
        erased.answers = getattr(result, "rowcount", 0) or 0
        for person in people:
            db.session.delete(person)  # and its takes
        erased.respondents = len(people)
        assessment.withdrawn_respondents += len(people)
    db.session.commit()
    return erased


def withdraw(respondent: AssessmentRespondent) -> ErasedRespondents:
    """The respondent deletes their answers and profile for good (open or closed publication)."""
    return erase_respondents(respondent.assessment, [respondent], "withdrawn")


def purge(assessment: Assessment) -> ErasedRespondents:
    """Unlink a closed self-assessment's answers from its respondents now; the aggregates stay."""
    if assessment.state is not AssessmentState.CLOSED:
        raise InvalidStateError(_("Close the self-assessment before purging its respondents' data."))
    people = list(
        db.session.scalars(
            select(AssessmentRespondent).where(
                AssessmentRespondent.assessment_id == assessment.id,
                AssessmentRespondent.code_hash.not_like(f"{ERASED}%"),
            )
        )
    )
    return erase_respondents(assessment, people, "purged")


def purge_due(now: datetime | None = None) -> dict[Assessment, list[AssessmentRespondent]]:
    """Respondents whose last answer is older than their publication's retention period.

    A self-assessment may stay open for years, so the period runs per person, from the last
    time they answered or started a take, whether or not the publication is closed.
    """
    now = now or utcnow()
    last_answer = dict(
        db.session.execute(  # type: ignore[arg-type]
            select(AssessmentAnswer.respondent_id, func.max(AssessmentAnswer.answered_at)).group_by(
                AssessmentAnswer.respondent_id
            )
        ).all()
    )
    last_take = dict(
        db.session.execute(  # type: ignore[arg-type]
            select(AssessmentRound.respondent_id, func.max(AssessmentRound.started_at)).group_by(
                AssessmentRound.respondent_id
            )
        ).all()
    )
    due: dict[Assessment, list[AssessmentRespondent]] = {}
    linked = select(AssessmentRespondent).where(AssessmentRespondent.code_hash.not_like(f"{ERASED}%"))
    for person in db.session.scalars(linked):
        times = [t for t in (person.created_at, last_answer.get(person.id), last_take.get(person.id)) if t]
        if max(times) + timedelta(days=person.assessment.retention_days) <= now:
            due.setdefault(person.assessment, []).append(person)
    return due
