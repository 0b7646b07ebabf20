"""Facilitator blueprint: accounts, frameworks, sessions, the live dashboard and projector."""

from flask import Blueprint

bp = Blueprint("facilitator", __name__, url_prefix="/f")

from facilitator import assessment_routes, events, routes, session_routes, spreadsheet_routes  # noqa: E402,F401
