"""Facilitator blueprint: accounts, frameworks, sessions, the live dashboard and projector."""

from flask import Blueprint

bp = Blueprint("facilitator", __name__, url_prefix="/f")

from facilitator import (  # noqa: E402,F401
    account_routes,
    assessment_routes,
    auth_routes,
    events,
    question_events,
    review_routes,
    routes,
    session_routes,
    spreadsheet_routes,
)
