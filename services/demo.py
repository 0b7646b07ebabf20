"""The demo: a facilitator account, the example framework and an open session to try things with."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from domain import built_in_words, example_guide
from models import Framework, LiveSession, SessionState, User, db, utcnow
from services import frameworks, prioritisation, review, sessions, users

DEMO_EMAIL = "demo@soundingboard.local"
DEMO_TITLE = built_in_words.MEETING_TITLE  # the catalogs have the demo's wording in every language
DEMO_REVIEW_TITLE = built_in_words.REVIEW_TITLE
REVIEW_DAYS = 14


@dataclass(frozen=True)
class Demo:
    email: str
    password: str
    session: LiveSession
    user: User


def prepare_demo(password: str | None) -> Demo:
    """Create or find the demo account, the example framework and an open session.

    `password` is the one given out before: it is kept while it still signs in, so whoever
    noted it is not locked out; a new one is drawn only when there was none or it was changed.
    """
    user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        password = password or secrets.token_urlsafe(9)
        user = users.create_user(DEMO_EMAIL, password, "facilitator", "Demo facilitator")
    elif password is None or not user.check_password(password):
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        db.session.commit()
    framework = frameworks.ensure_example_framework()
    data = sessions.SessionInput(
        title=DEMO_TITLE,
        framework_id=framework.id,
        criteria=["relevance", "importance", "clarity"],
        language="English",
    )
    return Demo(DEMO_EMAIL, password, _open_session(user, data), user)


def prepare_workshop(user: User) -> LiveSession:
    """The demo's prioritisation workshop (pick, rank, points) on the example framework, open."""
    data = sessions.SessionInput(
        title=prioritisation.DEMO_TITLE,
        framework_id=frameworks.ensure_example_framework().id,
        criteria=[],
        language="English",
        questions=list(prioritisation.DEMO_QUESTIONS),
    )
    return _open_session(user, data)


def _open_session(user: User, data: sessions.SessionInput) -> LiveSession:
    """The demo user's unclosed session of this title, created and opened when there is none."""
    session = db.session.scalar(
        select(LiveSession).where(
            LiveSession.facilitator_id == user.id,
            LiveSession.state != SessionState.CLOSED,
            LiveSession.title == data.title,
        )
    )
    if session is None:
        session = sessions.create_session(user, data)
    if session.state is SessionState.DRAFT:
        sessions.set_state(session, "open")
    return session


def ensure_example_guide() -> Framework:
    """The example guide (a few sections of a programme guide), created once."""
    existing = db.session.scalar(select(Framework).where(Framework.name == example_guide.NAME))
    if existing:
        _add_guide_translations(existing)
        return existing
    items = [
        frameworks.SkillInput(code, title, "", extra=example_guide.extra_for(code), body=text)
        for code, title, text in example_guide.SECTIONS
    ]
    return frameworks.create_framework(example_guide.NAME, items, "guide")


def _add_guide_translations(guide: Framework) -> None:
    """A guide made before the example shipped translations gets them (as the example framework)."""
    shipped = {code: (title, text) for code, title, text in example_guide.SECTIONS}
    frameworks.add_shipped_translations(guide, shipped, lambda s: (s.name, s.body), example_guide.extra_for)


def prepare_review(user: User) -> LiveSession:
    """The demo's asynchronous review of the example guide: open from now for two weeks, round 1."""
    session = db.session.scalar(
        select(LiveSession).where(
            LiveSession.facilitator_id == user.id,
            LiveSession.state != SessionState.CLOSED,
            LiveSession.title == DEMO_REVIEW_TITLE,
        )
    )
    if session is None:
        data = sessions.SessionInput(
            title=DEMO_REVIEW_TITLE,
            framework_id=ensure_example_guide().id,
            criteria=["clarity", "relevance"],
            pacing="self",
            language="English",
            open_questions=["missing", "wording"],
        )
        session = sessions.create_session(user, data)
        now = utcnow().replace(second=0, microsecond=0)
        until = now + timedelta(days=REVIEW_DAYS)
        review.set_schedule(
            session, review.ScheduleInput("UTC", f"{now:%Y-%m-%dT%H:%M}", f"{until:%Y-%m-%dT%H:%M}")
        )
    review.advance(session)
    return session
