"""Spreadsheets in and out: import a framework file, build workbook data from the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from typing import BinaryIO

from sqlalchemy import select

from core.i18n import reader_language, translator
from domain import export_data as ex
from domain.errors import ValidationError, Word
from domain.framework_file import FrameworkDraft, SkillDraft
from domain.item_lists import kind_of
from domain.workbook import write_workbook
from models import (
    Comment,
    Criterion,
    Decision,
    Framework,
    FrameworkVersion,
    LiveSession,
    OpenAnswer,
    Participant,
    Rating,
    Skill,
    User,
    db,
    utcnow,
)
from services import audit, frameworks, prioritisation
from services.payloads import criterion_i18n
from services.results import round_of_items
from services.sessions import get_session

BATCH = 2000  # rows fetched at a time, so a large export streams instead of loading everything


def app_version() -> str:
    try:
        return version("sounding-board")
    except PackageNotFoundError:
        return "unknown"


def _inputs(draft: FrameworkDraft) -> list[frameworks.SkillInput]:
    return [
        frameworks.SkillInput(s.code, s.name, s.definition, s.cluster, dict(s.extra), s.body)
        for s in draft.skills
    ]


def import_framework(
    draft: FrameworkDraft, into: Framework | None = None, owner: User | None = None
) -> Framework:
    """Store a parsed file as a new framework of `owner`, or as the next version of `into`."""
    if into is None:
        return frameworks.create_framework(draft.name, _inputs(draft), draft.kind, owner=owner)
    if draft.kind != into.kind:
        has, holds = kind_of(into.kind).plural, kind_of(draft.kind).plural
        raise ValidationError(
            "“%(name)s” is a list of %(has)s; the file holds %(holds)s.",
            name=into.name,
            has=Word(has),
            holds=Word(holds),
        )
    frameworks.save_skills(into, _inputs(draft))
    return into


def framework_draft(framework: Framework) -> FrameworkDraft:
    skills = tuple(
        SkillDraft(
            s.code, s.name, s.definition, s.cluster, {k: str(v) for k, v in (s.extra or {}).items()}, s.body
        )
        for s in framework.latest.skills
    )
    return FrameworkDraft(framework.name, skills, framework.kind)


def _session_info(session: LiveSession) -> ex.SessionInfo:
    version_ = session.framework_version
    rows = db.session.execute(
        select(Decision, Skill.code)
        .join(Skill, Decision.skill_id == Skill.id)
        .where(Decision.session_id == session.id)
    )
    decisions = {code: ex.Decision(d.action, d.reason, d.decided_by.label, d.decided_at) for d, code in rows}
    codes = {item.skill_id: item.skill.code for item in session.items}
    rounds = {codes[skill]: round_ for skill, round_ in round_of_items(session).items() if skill in codes}
    return ex.SessionInfo(
        code=session.code,
        title=session.title,
        date=session.date,
        place=session.place,
        country=session.country,
        language=session.language,
        facilitator=session.facilitator.label,
        framework_name=version_.framework.name,
        framework_version=version_.number,
        pacing=session.pacing.value,
        state=session.state.value,
        anonymity="pseudonymous",
        rule=dict(session.rule or {}),
        criteria=tuple(_criterion_info(c, reader_language()) for c in session.criteria),
        skills=tuple(ex.SkillInfo(s.code, s.name, s.definition, s.cluster) for s in version_.skills),
        profile_questions=tuple(
            ex.ProfileQuestion(q["key"], q["label"], tuple(q.get("options", ())))
            for q in session.profile_questions
        ),
        decisions=decisions,
        rounds=rounds,
        open_questions=tuple(session.open_questions or ()),
    )


def _participants(ids: Sequence[int]) -> Iterator[ex.ParticipantRow]:
    query = (
        select(
            LiveSession.code,
            Participant.number,
            Participant.profile,
            Participant.joined_at,
            Participant.consent_at,
        )
        .join(LiveSession, Participant.session_id == LiveSession.id)
        .where(Participant.session_id.in_(ids))
        .order_by(LiveSession.code, Participant.number)
    )
    for code, number, profile, joined, consent in db.session.execute(
        query.execution_options(yield_per=BATCH)
    ):
        yield ex.ParticipantRow(code, f"P{number:02d}", dict(profile or {}), joined, consent)


def _ratings(ids: Sequence[int]) -> Iterator[ex.RatingRow]:
    query = (
        select(
            LiveSession.code,
            Participant.number,
            Skill.code,
            Criterion.key,
            Rating.value,
            Rating.round,
            Rating.first_at,
            Rating.last_at,
            Rating.language,
        )
        .join(Participant, Rating.participant_id == Participant.id)
        .join(LiveSession, Rating.session_id == LiveSession.id)
        .join(Skill, Rating.skill_id == Skill.id)
        .join(Criterion, Rating.criterion_id == Criterion.id)
        .where(Rating.session_id.in_(ids))
        .order_by(LiveSession.code, Participant.number, Skill.position, Criterion.position, Rating.round)
    )
    for code, number, skill, criterion, value, round_, first, last, language in db.session.execute(
        query.execution_options(yield_per=BATCH)
    ):
        yield ex.RatingRow(code, f"P{number:02d}", skill, criterion, value, round_, first, last, language)


def _comments(ids: Sequence[int]) -> Iterator[ex.CommentRow]:
    query = (
        select(
            LiveSession.code,
            Participant.number,
            Skill.code,
            Comment.text,
            Comment.created_at,
            Comment.state,
            Comment.language,
        )
        .join(Participant, Comment.participant_id == Participant.id)
        .join(LiveSession, Comment.session_id == LiveSession.id)
        .join(Skill, Comment.skill_id == Skill.id)
        .where(Comment.session_id.in_(ids))
        .order_by(LiveSession.code, Skill.position, Comment.created_at)
    )
    for code, number, skill, text, created, state, language in db.session.execute(
        query.execution_options(yield_per=BATCH)
    ):
        yield ex.CommentRow(code, f"P{number:02d}", skill, text, created, state.value, language)


def _open_answers(ids: Sequence[int]) -> Iterator[ex.OpenAnswerRow]:
    query = (
        select(LiveSession.code, Participant.number, Skill.code, OpenAnswer, FrameworkVersion.number)
        .join(Participant, OpenAnswer.participant_id == Participant.id)
        .join(LiveSession, OpenAnswer.session_id == LiveSession.id)
        .join(Skill, OpenAnswer.skill_id == Skill.id)
        .outerjoin(FrameworkVersion, OpenAnswer.accepted_version_id == FrameworkVersion.id)
        .where(OpenAnswer.session_id.in_(ids))
        .order_by(LiveSession.code, Skill.position, OpenAnswer.question, OpenAnswer.round, Participant.number)
    )
    for code, number, skill, a, accepted in db.session.execute(query.execution_options(yield_per=BATCH)):
        yield ex.OpenAnswerRow(
            code, f"P{number:02d}", skill, a.question, a.round, a.text, a.created_at, a.updated_at, accepted
        )


def _criterion_info(c: Criterion, lang: str) -> ex.CriterionInfo:
    """A criterion's label and anchors in the exporting person's language where known (a preset's
    from the catalogs, a custom one's as the session form gave them; columns and codes stay as
    they are, so that analysis scripts keep working); other texts as written."""
    texts = criterion_i18n(c).get(lang, {})
    label, anchors = texts.get("label", c.label), texts.get("anchors", list(c.anchors))
    return ex.CriterionInfo(c.key, label, c.measure, c.scale_min, c.scale_max, tuple(anchors))


def workbook_data(sessions: Sequence[LiveSession], full_profiles: bool = False) -> ex.WorkbookData:
    if not sessions:
        raise ValidationError("Choose at least one session to export.")
    ids = [s.id for s in sessions]
    return ex.WorkbookData(
        sessions=tuple(_session_info(s) for s in sessions),
        participants=_participants(ids),
        ratings=_ratings(ids),
        comments=_comments(ids),
        open_answers=_open_answers(ids),
        exported_at=utcnow(),
        app_version=app_version(),
        lists=prioritisation.list_export(sessions),
        full_profiles=full_profiles,
        translate=translator(reader_language()),  # headers, sheet titles and notes
        language=reader_language(),
        log=audit.log_rows(sessions),
    )


def export_sessions(
    codes: Sequence[str],
    out: BinaryIO | str,
    writer: Callable[[Callable[[], None]], None] | None = None,
    *,
    full_profiles: bool = False,
) -> list[LiveSession]:
    """Write the workbook of one session, or the merged workbook of several, to `out`.

    By default rare profile answers are hidden ("other (<3)"); `full_profiles` keeps them,
    only on the coordinator's explicit choice, and the workbook's About sheet says so.

    The rows are read from the database here; `writer` may run the (CPU-heavy) writing
    elsewhere, e.g. in a native thread, since it no longer touches the database.
    """
    seen: dict[str, LiveSession] = {}
    for code in codes:
        session = get_session(code)
        seen.setdefault(session.code, session)
    chosen = list(seen.values())
    data = workbook_data(chosen, full_profiles)
    if writer is None:
        write_workbook(data, out)
    else:
        materialized = replace(
            data,
            participants=list(data.participants),
            ratings=list(data.ratings),
            comments=list(data.comments),
            open_answers=list(data.open_answers),
        )
        writer(lambda: write_workbook(materialized, out))
    return chosen
