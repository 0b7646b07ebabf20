"""The demo: a facilitator account, the example framework and an open session to try things with."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from models import LiveSession, SessionState, User, db
from services import frameworks, sessions, users

DEMO_EMAIL = "demo@soundingboard.local"


@dataclass(frozen=True)
class Demo:
    email: str
    password: str
    session: LiveSession


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
    session = db.session.scalar(
        select(LiveSession).where(
            LiveSession.facilitator_id == user.id, LiveSession.state != SessionState.CLOSED
        )
    )
    if session is None:
        session = sessions.create_session(
            user,
            sessions.SessionInput(
                title="Demo validation meeting",
                framework_id=framework.id,
                criteria=["relevance", "importance", "clarity"],
                language="English",
            ),
        )
    if session.state is SessionState.DRAFT:
        sessions.set_state(session, "open")
    return Demo(DEMO_EMAIL, password, session)
