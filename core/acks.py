"""Turn Socket.IO handlers' results and domain errors into acknowledgements, in one place."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from babel import Locale
from flask_babel import force_locale, gettext

from core.offload import is_disk_full, is_locked
from core.packet_json import MALFORMED
from domain.errors import BadPayloadError, DomainError
from models import db

log = logging.getLogger("soundingboard")

# Identifiers are 64-bit signed integers in the database: a bigger one is a malformed payload,
# not a server error (SQLite and PostgreSQL both raise on it).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def busy() -> dict[str, Any]:
    """The answer when another process held SQLite's write lock past the wait: nothing was stored."""
    message = gettext("The database is busy (another program holds it); nothing was saved. Try again.")
    return {"ok": False, "error": "server_busy", "message": message}


def disk_full() -> dict[str, Any]:
    message = gettext("The server's disk is full: nothing was saved. Tell the facilitator.")
    return {"ok": False, "error": "server_error", "message": message}


def check_payload(args: tuple[Any, ...]) -> None:
    """Refuse what no handler accepts: several arguments, a payload that is not an object, huge ints.

    No argument at all is allowed (the handler sees None, as for `sync` sent bare).
    """
    if len(args) > 1:
        raise BadPayloadError("Send one object as the event's only argument.")
    if not args:
        return
    if not isinstance(args[0], dict):
        raise BadPayloadError("Send a JSON object.")
    stack: list[Any] = [args[0]]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
            raise BadPayloadError("A number in the payload is too large to be an identifier or answer.")


def acked(handler: Callable[..., dict[str, Any] | None]) -> Callable[..., dict[str, Any]]:
    """Wrap an event handler so that it always answers {"ok": ...}, never raises.

    A caller without a request (the rating hot path) passes `locale=`: a refusal is worded in it,
    and an accepted answer, which has no words, costs no switch of language.
    """

    @functools.wraps(handler)
    def wrapper(*args: Any, locale: str | Locale | None = None, **context: Any) -> dict[str, Any]:
        """`args`: what the client sent; `context`: what the server adds (e.g. the socket id)."""
        try:
            check_payload(args)
            result = handler(*args, **context)
        except Exception as error:
            db.session.rollback()
            if locale is None:
                return _refusal(handler.__name__, error)
            with force_locale(locale):
                return _refusal(handler.__name__, error)
        return {"ok": True, **(result or {})}

    return wrapper


def _refusal(name: str, error: Exception) -> dict[str, Any]:
    if isinstance(error, DomainError):
        return error.to_ack()
    if is_locked(error):  # another process kept the database locked: nothing was stored
        return busy()
    if is_disk_full(error):
        log.error("event %s refused: the disk is full", name)
        return disk_full()
    log.exception("event %s failed", name)
    message = gettext("Something went wrong; try again.")
    return {"ok": False, "error": "server_error", "message": message}


def unknown_event(event: str, *_args: Any) -> dict[str, Any]:
    """The answer to an event this namespace does not know (a catch-all handler returns it)."""
    if event == MALFORMED:
        return BadPayloadError("The payload is not JSON this server can read (nested too deeply?).").to_ack()
    name = event if isinstance(event, str) else "?"
    return {
        "ok": False,
        "error": "unknown_event",
        "message": f"This connection does not accept the event {name[:40]!r}.",
    }
