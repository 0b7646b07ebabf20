"""Typed SQLAlchemy models, one aggregate per module."""

from models.assessment import (
    Assessment,
    AssessmentAnswer,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentState,
)
from models.audit import AuditEntry
from models.base import Base, db, utcnow
from models.framework import Framework, FrameworkVersion, Skill
from models.invitation import Invitation, Reminder
from models.open_answer import OpenAnswer
from models.participant import Comment, CommentState, Participant, ParticipantKey, Rating
from models.question import Answer, Question, QuestionStatus
from models.session import (
    Criterion,
    Decision,
    ItemStatus,
    LiveSession,
    Pacing,
    SessionItem,
    SessionRound,
    SessionState,
    is_revised_here,
    revision_bump,
)
from models.user import Role, User

__all__ = [
    "AuditEntry",
    "Assessment",
    "AssessmentAnswer",
    "AssessmentRespondent",
    "AssessmentRound",
    "AssessmentState",
    "Base",
    "db",
    "utcnow",
    "Framework",
    "FrameworkVersion",
    "Skill",
    "OpenAnswer",
    "Invitation",
    "Reminder",
    "ParticipantKey",
    "Comment",
    "CommentState",
    "Participant",
    "Rating",
    "Answer",
    "Question",
    "QuestionStatus",
    "Criterion",
    "Decision",
    "ItemStatus",
    "LiveSession",
    "Pacing",
    "SessionItem",
    "SessionRound",
    "SessionState",
    "is_revised_here",
    "revision_bump",
    "Role",
    "User",
]
