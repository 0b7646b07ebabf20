"""Export data contract: the plain values the database layer hands to the workbook writer.

All datetimes are timezone-aware UTC. Participants appear only under their pseudonym; the
contract carries no names, e-mail addresses or IP addresses, so no export can leak them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.kinds.export import ListExport


@dataclass(frozen=True)
class CriterionInfo:
    """One rating criterion of a session, e.g. relevance on 1-4.

    `measure` is one of relevance, importance, clarity, essentiality, appropriateness and
    selects the statistics; `anchors` holds one label per scale point, lowest first.
    """

    key: str
    label: str
    measure: str
    scale_min: int
    scale_max: int
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkillInfo:
    """A skill as it was shown in one session (its definition text is the item version)."""

    code: str
    name: str
    definition: str
    cluster: str


@dataclass(frozen=True)
class ProfileQuestion:
    """A profile question asked on joining (sector, country...); `options` may be empty."""

    key: str
    label: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """The facilitator's decision on one skill, with its reason."""

    action: str
    reason: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class SessionInfo:
    """Provenance and design of one meeting; `decisions` is keyed by skill code.

    `rounds` maps skill code to the item's current round, the round every figure uses
    (services.results.round_of_items decides it: the latest round with an answer). A
    skill missing from it is in round 1.
    """

    code: str
    title: str
    date: date | None
    place: str
    country: str
    language: str
    facilitator: str
    framework_name: str
    framework_version: int
    pacing: str
    state: str
    anonymity: str
    rule: Mapping[str, object]
    criteria: tuple[CriterionInfo, ...]
    skills: tuple[SkillInfo, ...]
    profile_questions: tuple[ProfileQuestion, ...] = ()
    decisions: Mapping[str, Decision] = field(default_factory=dict)
    rounds: Mapping[str, int] = field(default_factory=dict)
    open_questions: tuple[str, ...] = ()  # domain.open_questions keys asked about every item

    def current_round(self, skill_code: str) -> int:
        """The round of this skill that feeds the figures (1 when not given)."""
        return self.rounds.get(skill_code, 1)


@dataclass(frozen=True)
class ParticipantRow:
    """A participant of one session; `profile` maps profile question key to answer."""

    session_code: str
    pseudonym: str
    profile: Mapping[str, str]
    joined_at: datetime
    consent_at: datetime | None


@dataclass(frozen=True)
class RatingRow:
    """One rating of one criterion of one skill in one round; value None means "can't judge"."""

    session_code: str
    pseudonym: str
    skill_code: str
    criterion_key: str
    value: int | None
    round: int
    first_at: datetime
    last_at: datetime
    language: str = ""  # what the phone showed the skill in ("en" = the framework's own text)


@dataclass(frozen=True)
class CommentRow:
    """A participant's comment on a skill; `state` is visible, hidden or starred."""

    session_code: str
    pseudonym: str
    skill_code: str
    text: str
    created_at: datetime
    state: str
    language: str = ""  # the phone's interface language when it was written


@dataclass(frozen=True)
class OpenAnswerRow:
    """One person's answer to an open question about an item, in one round."""

    session_code: str
    pseudonym: str
    skill_code: str
    question: str  # domain.open_questions key
    round: int
    text: str
    created_at: datetime
    updated_at: datetime
    accepted_version: int | None = None  # the item-list version an accepted wording went into


@dataclass(frozen=True)
class WorkbookData:
    """Everything one export needs: one session, or several for a merged export.

    `participants`, `ratings` and `comments` may be one-shot iterators (e.g. streamed from
    the database): the writer reads each of them exactly once, participants first.
    """

    sessions: tuple[SessionInfo, ...]
    participants: Iterable[ParticipantRow]
    ratings: Iterable[RatingRow]
    comments: Iterable[CommentRow]
    exported_at: datetime
    app_version: str
    lists: ListExport = field(default_factory=ListExport)  # pick, rank, points questions
    # False (default): a profile answer held by fewer than 3 participants of a session is
    # shown as "other (<3)". True only on the coordinator's explicit choice; About says so.
    full_profiles: bool = False
    # The exporting person's language for readable headers (e.g. a gettext); English as is.
    translate: Callable[[str], str] = str
    language: str = "en"  # the exporting person's: sheet titles, headers and notes
    log: tuple[Any, ...] = ()  # domain.workbook_log.LogRow: the Log sheet (audit log, people left out)
    open_answers: Iterable[OpenAnswerRow] = ()  # read once, after comments
