"""The server's ticker: acts on reviews' dates (open, next round, close, reminders) and on countdowns
whose timer was lost, while nobody is asking."""

from __future__ import annotations

import logging

from flask import Flask, current_app

from core.extensions import socketio
from core.live import push_session
from services import invitations, review, sessions

log = logging.getLogger("soundingboard")
EVERY = 30.0  # seconds; requests and phones' syncs also act on due dates at once


def tick() -> int:
    """Advance every review with a date that has come, lock and tell the countdowns a restart left
    without a timer, then mail the reminders due (only here: a phone's request must not wait for a
    mail server); return how many sessions changed."""
    changed = 0
    for session in review.due_sessions():
        if review.advance(session):
            push_session(session)
            changed += 1
    for session in sessions.lost_countdowns():
        if sessions.expire_countdowns(session):
            push_session(session)
            changed += 1
    invitations.send_due_reminders(current_app.config["SB_SMTP"])
    return changed


def start(app: Flask, every: float = EVERY) -> None:
    socketio.start_background_task(_run, app, every)


def _run(app: Flask, every: float) -> None:
    while True:
        socketio.sleep(every)
        with app.app_context():
            try:
                tick()
            except Exception:  # a bad row must not stop the ticker for every other review
                log.exception("review ticker failed")
