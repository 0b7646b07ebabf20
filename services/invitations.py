"""Invitations and reminders by e-mail, where an SMTP server is configured.

Addresses live in their own table, never joined to answers, and are deleted when the review
closes (services/review.close_review). Without SMTP nothing here runs: coordinators download the
personal links as CSV and send them with their own mail.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from domain.errors import DomainError, ValidationError
from domain.resume_code import from_local
from models import Invitation, LiveSession, Participant, Reminder, SessionState, db, utcnow
from services import review, review_stats

ADDRESS = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


class MailError(DomainError):
    code = "mail_failed"
    http_status = 502


def is_configured(smtp: Mapping[str, Any]) -> bool:
    return bool(smtp.get("host") and smtp.get("from"))


def invited_count(session: LiveSession) -> int:
    return len(db.session.scalars(select(Invitation.id).where(Invitation.session_id == session.id)).all())


def parse_addresses(text: str) -> list[str]:
    """Addresses separated by lines, commas or semicolons; every bad one is named."""
    parts = [p.strip() for p in re.split(r"[\s,;]+", text) if p.strip()]
    bad = [p for p in parts if not ADDRESS.fullmatch(p)]
    if bad:
        raise ValidationError(_("Not e-mail addresses: %(list)s.", list=", ".join(bad[:10])))
    if not parts:
        raise ValidationError(_("Give at least one e-mail address."))
    return list(dict.fromkeys(p.lower() for p in parts))


def invite(session: LiveSession, text: str, base_url: str, smtp: Mapping[str, Any]) -> int:
    """Mail a personal link to each address not invited yet, and again to those whose invitation
    could not be sent (with a new code: the first never arrived); return how many were sent."""
    if not is_configured(smtp):
        raise ValidationError(_("No SMTP server is configured: download the personal links instead."))
    known = {
        i.email: i for i in db.session.scalars(select(Invitation).where(Invitation.session_id == session.id))
    }
    wanted = parse_addresses(text)
    fresh = [a for a in wanted if a not in known]
    unsent = [known[a] for a in wanted if a in known and known[a].sent_at is None]
    for address, (slot, _code) in zip(
        fresh, review.make_slots(session, len(fresh)) if fresh else [], strict=True
    ):
        invitation = Invitation(session_id=session.id, participant_id=slot.id, email=address)
        db.session.add(invitation)
        unsent.append(invitation)
    db.session.commit()
    sent, failed = 0, []
    for invitation in unsent:
        invited = db.session.get(Participant, invitation.participant_id)
        assert invited is not None
        code = review.issue_resume_code(invited, session)  # shown only in this mail
        link = f"{base_url}/back/{session.code}/{code}"
        try:
            _send(
                smtp, invitation.email, f"Invitation: {session.title}", _invitation_text(session, link, code)
            )
        except (OSError, smtplib.SMTPException):
            failed.append(invitation.email)
            continue
        invitation.sent_at = utcnow()
        db.session.commit()
        sent += 1
    if failed:
        raise MailError(
            _(
                "Could not send to %(list)s (send again to retry); %(num)s sent.",
                list=", ".join(failed),
                num=sent,
            )
        )
    return sent


def remind(session: LiveSession, base_url: str, smtp: Mapping[str, Any]) -> int:
    """Mail everyone invited who has not finished the current round; return how many."""
    if not is_configured(smtp):
        raise ValidationError(_("No SMTP server is configured."))
    finished = {p.pseudonym for p in review_stats.progress(session) if p.is_finished}
    rows = db.session.execute(
        select(Invitation, Participant.number)
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Invitation.session_id == session.id)
    )
    sent, failed = 0, []
    for invitation, number in rows.all():
        if f"P{number:02d}" in finished or invitation.sent_at is None:
            continue
        try:
            _send(smtp, invitation.email, f"Reminder: {session.title}", _reminder_text(session, base_url))
        except (OSError, smtplib.SMTPException):
            failed.append(invitation.email)
            continue
        invitation.reminded_at = utcnow()
        db.session.commit()
        sent += 1
    if failed:
        raise MailError(_("Could not remind %(list)s; %(num)s reminded.", list=", ".join(failed), num=sent))
    return sent


def _invitation_text(session: LiveSession, link: str, code: str) -> str:
    return (
        f"You are invited to the review “{session.title}”.\n\n"
        f"Open your personal link to take part, at your own pace:\n{link}\n\n"
        f"Your answers are saved as you go. To continue on another device, open the link there,\n"
        f"or enter your resume code {code} on the review's page.\n\n"
        f"Your answers are recorded under a pseudonym; this address is deleted when the review closes.\n"
    )


def _reminder_text(session: LiveSession, base_url: str) -> str:
    return (
        f"A reminder: the review “{session.title}” is waiting for your answers.\n\n"
        f"Open the personal link from your invitation, or enter your resume code at\n"
        f"{base_url}/back/{session.code}\n"
    )


def _send(smtp: Mapping[str, Any], to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp["from"], to, subject
    message.set_content(body)
    security = (smtp.get("security") or "starttls").lower()
    port = int(smtp.get("port") or 587)
    context = ssl.create_default_context()
    if security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp["host"], port, timeout=20, context=context)
    else:
        client = smtplib.SMTP(smtp["host"], port, timeout=20)
    with client:
        if security == "starttls":
            client.starttls(context=context)
        if smtp.get("user"):
            client.login(smtp["user"], smtp.get("password") or "")
        client.send_message(message)


# Reminders at times the facilitator sets ----------------------------------------------------------


def reminders(session: LiveSession) -> list[Reminder]:
    return list(
        db.session.scalars(
            select(Reminder).where(Reminder.session_id == session.id).order_by(Reminder.due_at)
        )
    )


def schedule_reminder(session: LiveSession, when: str, base_url: str, smtp: Mapping[str, Any]) -> Reminder:
    """A reminder at `when` (in the session's time zone), while the review is open."""
    if not is_configured(smtp):
        raise ValidationError(_("No SMTP server is configured."))
    try:
        due = from_local(when, session.timezone)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if due is None:
        raise ValidationError(_("Give the date and time of the reminder."))
    if session.state is SessionState.CLOSED or due <= utcnow():
        raise ValidationError(_("A reminder is set for a time still to come, while the review is open."))
    if (session.open_from and due <= session.open_from) or (session.open_until and due >= session.open_until):
        raise ValidationError(_("A reminder goes out between the review's opening and closing dates."))
    reminder = Reminder(session_id=session.id, due_at=due, base_url=base_url)
    db.session.add(reminder)
    db.session.commit()
    return reminder


def cancel_reminder(session: LiveSession, reminder_id: int) -> None:
    """Drop a reminder not sent yet (one already sent stays, as a record)."""
    db.session.execute(
        delete(Reminder).where(
            Reminder.id == reminder_id, Reminder.session_id == session.id, Reminder.sent_at.is_(None)
        )
    )
    db.session.commit()


def send_due_reminders(smtp: Mapping[str, Any]) -> int:
    """Mail every reminder whose time has come in a live review; return how many reminders went.

    Each is first taken by one process (sent_at set where it was empty), so that with several
    processes, or the ticker racing itself, nobody is reminded twice.
    """
    if not is_configured(smtp):
        return 0
    now = utcnow()
    due = db.session.execute(
        select(Reminder, LiveSession)
        .join(LiveSession, LiveSession.id == Reminder.session_id)
        .where(Reminder.sent_at.is_(None), Reminder.due_at <= now, LiveSession.state == SessionState.LIVE)
        .order_by(Reminder.due_at)
    ).all()
    done = 0
    for reminder, session in due:
        taken = db.session.execute(
            update(Reminder).where(Reminder.id == reminder.id, Reminder.sent_at.is_(None)).values(sent_at=now)
        )
        db.session.commit()
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            continue
        try:
            reminder.sent_count = remind(session, reminder.base_url, smtp)
        except MailError as exc:
            reminder.failed = exc.message[:2000]
        db.session.commit()
        done += 1
    return done
