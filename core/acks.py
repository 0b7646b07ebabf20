"""Turn Socket.IO handlers' results and domain errors into acknowledgements, in one place."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask_babel import gettext

from domain.errors import DomainError
from models import db

log = logging.getLogger("soundingboard")


def acked(handler: Callable[..., dict[str, Any] | None]) -> Callable[..., dict[str, Any]]:
    """Wrap an event handler so that it always answers {"ok": ...}, never raises."""

    @functools.wraps(handler)
    def wrapper(*args: Any) -> dict[str, Any]:
        try:
            result = handler(*args)
        except DomainError as error:
            db.session.rollback()
            return error.to_ack()
        except Exception:
            db.session.rollback()
            log.exception("event %s failed", handler.__name__)
            message = gettext("Something went wrong; try again.")
            return {"ok": False, "error": "server_error", "message": message}
        return {"ok": True, **(result or {})}

    return wrapper
