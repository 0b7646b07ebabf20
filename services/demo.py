"""The demo: a facilitator account, the example framework and an open session to try things with."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from models import LiveSession, SessionState, User, db
from services import frameworks, prioritisation, sessions, users

DEMO_EMAIL = "demo@soundingboard.local"
DEMO_TITLE = "Demo validation meeting"


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
