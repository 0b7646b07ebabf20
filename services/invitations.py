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

from sqlalchemy import select

from domain.errors import DomainError, ValidationError
from models import Invitation, LiveSession, Participant, db, utcnow
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
        raise ValidationError(f"Not e-mail addresses: {', '.join(bad[:10])}.")
    if not parts:
        raise ValidationError("Give at least one e-mail address.")
    return list(dict.fromkeys(p.lower() for p in parts))


def invite(session: LiveSession, text: str, base_url: str, smtp: Mapping[str, Any]) -> int:
    """Mail a personal link to each address not invited yet, and again to those whose invitation
    could not be sent (with a new code: the first never arrived); return how many were sent."""
    if not is_configured(smtp):
        raise ValidationError("No SMTP server is configured: download the personal links instead.")
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
        raise MailError(f"Could not send to {', '.join(failed)} (send again to retry); {sent} sent.")
    return sent


def remind(session: LiveSession, base_url: str, smtp: Mapping[str, Any]) -> int:
    """Mail everyone invited who has not finished the current round; return how many."""
    if not is_configured(smtp):
        raise ValidationError("No SMTP server is configured.")
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
        raise MailError(f"Could not remind {', '.join(failed)}; {sent} reminded.")
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
