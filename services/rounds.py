"""Delphi rounds over a whole session: start a round, the stopping rule, the reasons people gave."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from analysis import quartiles
from domain.errors import (
    BadPayloadError,
    InvalidStateError,
    ReasonRequiredError,
    UnknownItemError,
    ValidationError,
)
from domain.rounds import REASON_MAX_LENGTH, RoundSettings, needs_reason
from models import (
    ItemStatus,
    LiveSession,
    Pacing,
    Participant,
    Rating,
    SessionRound,
    SessionState,
    User,
    db,
    utcnow,
)
from services import audit, results, sessions


def unmet_skill_ids(session: LiveSession) -> list[int]:
    """The items that do not meet the session's stopping rule yet (all of them without a rule)."""
    return [r["skill_id"] for r in results.item_results(session) if not (r["stop"] or {}).get("met")]


def start_session_round(
    session: LiveSession, actor: User | None, items: Iterable[int] | None = None
) -> SessionRound:
    """Start a new round for several items at once: all of them, or the skill ids in `items`.

    Each item's round goes up by one, its results are hidden again and earlier answers are
    kept, as with a one-item re-vote; phones then get the previous round's feedback. In a
    self-paced session the items open at once; facilitator-paced, the first (by position) is
    shown on phones and the others wait to be opened. `actor` is who started it (None for a
    round started by a schedule).
    """
    if session.state is not SessionState.LIVE:
        raise InvalidStateError("New rounds start in a live session.")
    by_skill = {i.skill_id: i for i in session.items}
    chosen = list(by_skill) if items is None else list(dict.fromkeys(items))
    if any(s not in by_skill for s in chosen):
        raise UnknownItemError()
    if not chosen:
        raise ValidationError("No item is left for a new round.")
    targets = sorted((by_skill[s] for s in chosen), key=lambda i: i.skill.position)
    now = utcnow()
    for item in targets:
        item.round += 1
        item.revealed = False
        item.locks_at = None
        item.status = ItemStatus.OPEN if session.pacing is Pacing.SELF else ItemStatus.PENDING
        item.opened_at = now if session.pacing is Pacing.SELF else None
    started = SessionRound(
        session_id=session.id,
        number=max(i.round for i in targets),
        skill_ids=[i.skill_id for i in targets],
        started_at=now,
        started_by_id=actor.id if actor else None,
    )
    db.session.add(started)
    db.session.commit()
    if session.pacing is Pacing.FACILITATOR:
        sessions.open_item(session, targets[0].skill_id)
    return started


def asks_reasons(settings_data: dict[str, Any] | None, round_: int) -> bool:
    """Whether answers of this round fall under the session's reason rule at all."""
    return round_ >= 2 and RoundSettings.from_dict(settings_data).reason != "none"


def check_reason(
    settings_data: dict[str, Any] | None,
    session_id: int,
    participant_id: int,
    skill_id: int,
    criterion_id: int,
    round_: int,
    value: int | None,
    reason: Any,
) -> str | None:
    """The reason to store with an answer; ReasonRequiredError when the rule asks for one and none came."""
    if reason is not None and not isinstance(reason, str):
        raise ValidationError("reason must be text.")
    text = (reason or "").strip()
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(_("A reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))
    if text or round_ < 2 or value is None:  # before reading the rule: the writer asks per rating
        return text or None
    settings = RoundSettings.from_dict(settings_data)
    if settings.reason == "none":
        return None
    q1, med, q3 = _round_quartiles(session_id, skill_id, criterion_id, round_ - 1)
    previous = None
    if settings.reason == "away_from_median":
        previous = db.session.scalar(
            select(Rating.value).where(
                Rating.participant_id == participant_id,
                Rating.skill_id == skill_id,
                Rating.criterion_id == criterion_id,
                Rating.round == round_ - 1,
            )
        )
    if needs_reason(settings.reason, value, previous, med, q1, q3):
        raise ReasonRequiredError(_why(settings.reason))
    return None


Quartiles = tuple[float | None, float | None, float | None]

# A finished round's answers no longer change (answers always go to the open round), so its
# quartiles are worked out once per process. Keyed by the database as well: tests use many.
_QUARTILES: OrderedDict[tuple[str, int, int, int, int], Quartiles] = OrderedDict()
_QUARTILES_KEPT = 4096


def _round_quartiles(session_id: int, skill_id: int, criterion_id: int, round_: int) -> Quartiles:
    """(Q1, median, Q3) of a finished round's valid answers to one criterion of one skill (type 7)."""
    key = (str(db.engine.url), session_id, skill_id, criterion_id, round_)
    if key in _QUARTILES:
        _QUARTILES.move_to_end(key)
        return _QUARTILES[key]
    values = db.session.scalars(
        select(Rating.value).where(
            Rating.session_id == session_id,
            Rating.skill_id == skill_id,
            Rating.criterion_id == criterion_id,
            Rating.round == round_,
            Rating.value.is_not(None),
        )
    ).all()
    figures = quartiles([v for v in values if v is not None])
    _QUARTILES[key] = figures
    if len(_QUARTILES) > _QUARTILES_KEPT:
        _QUARTILES.popitem(last=False)
    return figures


def forget_round_figures() -> None:
    """Drop the kept quartiles (after answers of a finished round were deleted, e.g. a withdrawal)."""
    _QUARTILES.clear()


def _why(rule: str) -> str:
    if rule == "away_from_median":
        return "This answer moves away from the group's median: please say why in a few words."
    return "This answer lies outside the group's middle half (IQR): please say why in a few words."


def reasons(session: LiveSession) -> list[dict[str, Any]]:
    """Every reason given with an answer, oldest first, as the dashboard lists them beside comments."""
    rows = db.session.execute(
        select(Rating, Participant.number)
        .join(Participant, Rating.participant_id == Participant.id)
        .where(Rating.session_id == session.id, Rating.reason.is_not(None))
        .order_by(Rating.last_at)
    )
    return [reason_payload(rating, number) for rating, number in rows]


def set_reason_hidden(
    session: LiveSession, pseudonym: Any, skill_id: Any, criterion_id: Any, round_: Any, hidden: bool
) -> dict[str, Any]:
    """Keep one reason from the panel's feedback (or give it back); the dashboard still lists it."""
    number = pseudonym[1:] if isinstance(pseudonym, str) and pseudonym[:1] == "P" else ""
    if not number.isdigit() or not all(isinstance(v, int) for v in (skill_id, criterion_id, round_)):
        raise BadPayloadError("participant, skill_id, criterion_id and round name one reason.")
    found = db.session.execute(
        select(Rating, Participant.number)
        .join(Participant, Rating.participant_id == Participant.id)
        .where(
            Rating.session_id == session.id,
            Participant.number == int(number),
            Rating.skill_id == skill_id,
            Rating.criterion_id == criterion_id,
            Rating.round == round_,
            Rating.reason.is_not(None),
        )
    ).first()
    if found is None:
        raise UnknownItemError(_("No such reason in this session."))
    rating, person = found
    rating.reason_hidden = hidden
    rating.reason_changed = False  # judged now, whatever its author wrote before
    session.bump_revision()  # the panel's feedback (`feedback.reasons`) changes
    db.session.commit()
    return reason_payload(rating, person)


def note_hidden_reason_rewritten(session_id: int, pseudonym: str, skill_id: int, round_: int) -> None:
    """Log that a participant rewrote a reason the facilitator had hid (it is shown again)."""
    code = db.session.scalar(select(LiveSession.code).where(LiveSession.id == session_id))
    audit.record(
        None,
        "hidden_reason_rewritten",
        code,
        pseudonym,
        {"skill_id": skill_id, "round": round_},
        by="participant",
    )


def reason_payload(rating: Rating, number: int) -> dict[str, Any]:
    return {
        "skill_id": rating.skill_id,
        "criterion_id": rating.criterion_id,
        "round": rating.round,
        "participant": f"P{number:02d}",
        "value": "cant_judge" if rating.value is None else rating.value,
        "reason": rating.reason,
        "hidden": rating.reason_hidden,  # kept from the panel's feedback
        "changed": rating.reason_changed,  # rewritten after it was hidden: shown again, not judged since
        "at": rating.last_at.isoformat(),
    }
