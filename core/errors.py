"""Refusals Flask raises itself (403, 400, 405, 413) shown in the house page, in the reader's language."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def _texts(status: int) -> tuple[str, str, str]:
    """(stable code, title, message) of one status; read at request time, so translated."""
    if status == 403:
        return "forbidden", _("Not allowed"), _("Your account may not open this page. Ask an administrator.")
    if status == 405:
        return (
            "method_not_allowed",
            _("Not possible"),
            _("This address does not accept that kind of request."),
        )
    if status == 413:
        return "too_large", _("Too large"), _("What you sent is too large.")
    return (
        "bad_request",
        _("Not possible"),
        _("The request was not understood. Reload the page and try again."),
    )


def _page(error: HTTPException) -> Any:
    status = error.code or 400
    code, title, message = _texts(status)
    if request.path.startswith("/api/"):
        return jsonify({"ok": False, "error": code, "message": message}), status
    response = render_template("error.html", title=title, message=message)
    headers = dict(error.get_response().headers) if status == 405 else {}  # keeps Allow
    return response, status, {k: v for k, v in headers.items() if k == "Allow"}


def register(app: Flask) -> None:
    for status in (400, 403, 405, 413):
        app.register_error_handler(status, _page)
