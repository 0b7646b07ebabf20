"""Domain errors, each with a stable `code` that clients can rely on (see docs/protocol.md)."""


class Word(str):
    """A refusal's parameter that is itself a catalogued word (a field's label, a kind's plural,
    a stock criterion's name): shown in the reader's language too, where the catalog has it."""


class DomainError(Exception):
    """Base class: `code` is stable and machine-readable, the message is for people.

    A message with values in it is raised as a template and its values,
    `InvalidValueError("%(label)s takes %(low)s to %(high)s.", label=..., low=1, high=5)`: the
    template is looked up in the catalog (domain/error_messages.py) and then filled in, so the
    reader gets the sentence in their language with the numbers in it. str() is the English.
    """

    code = "error"
    http_status = 400

    def __init__(self, message: str = "", **params: object) -> None:
        self.template = message or self.__doc__ or self.code
        self.params = params
        super().__init__(self.template % params if params else self.template)

    @property
    def message(self) -> str:
        """In the reader's language where the catalog has it (domain/error_messages.py)."""
        try:
            from flask import has_app_context
            from flask_babel import gettext
        except ImportError:  # pragma: no cover - the domain also works without Flask
            return str(self)
        # An app context is enough: the hot path forces the phone's locale (rating_events.py)
        if not has_app_context():
            return str(self)
        text = gettext(self.template)
        if not self.params:
            return text
        values = {name: gettext(v) if isinstance(v, Word) else v for name, v in self.params.items()}
        try:
            return text % values
        except (KeyError, ValueError, TypeError):  # a translation that lost a value: the English
            return str(self)

    def to_ack(self) -> dict[str, object]:
        return {"ok": False, "error": self.code, "message": self.message}


class BadPayloadError(DomainError):
    """The request is malformed."""

    code = "bad_payload"


class SessionNotFoundError(DomainError):
    """No session has this code."""

    code = "session_not_found"
    http_status = 404


class SessionClosedError(DomainError):
    """This session is closed; its results are read-only."""

    code = "session_closed"
    http_status = 409


class SessionFullError(DomainError):
    """This session is full. Ask the facilitator."""

    code = "session_full"
    http_status = 409


class SessionNotLiveError(DomainError):
    """Voting has not started yet."""

    code = "session_not_live"
    http_status = 409


class InvalidStateError(DomainError):
    """That change is not possible in the session's current state."""

    code = "invalid_state"
    http_status = 409


class ItemLockedError(DomainError):
    """This skill is locked; answers can no longer change."""

    code = "item_locked"
    http_status = 409


class ItemNotOpenError(DomainError):
    """This skill is not open for answers yet."""

    code = "item_not_open"
    http_status = 409


class UnknownItemError(DomainError):
    """This session has no such skill or criterion."""

    code = "unknown_item"
    http_status = 404


class InvalidValueError(DomainError):
    """The value is outside the criterion's scale."""

    code = "invalid_value"


class CommentTooLongError(DomainError):
    """The comment is longer than allowed."""

    code = "comment_too_long"


class ConsentRequiredError(DomainError):
    """The consent text must be accepted before joining."""

    code = "consent_required"


class ConsentChangedError(DomainError):
    """The consent text changed while this page was open. Read it again below and agree to join."""

    code = "consent_changed"
    http_status = 409


class NotAuthorizedError(DomainError):
    """You are not allowed to do this."""

    code = "not_authorized"
    http_status = 403


class UnknownParticipantError(DomainError):
    """This participant token is unknown; join the session again."""

    code = "unknown_participant"
    http_status = 401


class FrameworkInUseError(DomainError):
    """This framework version is used by a session and cannot change."""

    code = "framework_in_use"
    http_status = 409


class ValidationError(DomainError):
    """Some fields are invalid."""

    code = "validation_error"


class ReasonRequiredError(DomainError):
    """This answer needs a short reason (the session's round rule); send it with the answer."""

    code = "reason_required"
