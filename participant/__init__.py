"""Participant blueprint: joining from a phone and answering, no account needed."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from participant import assessment_routes, events, question_events, review_routes, routes  # noqa: E402,F401
