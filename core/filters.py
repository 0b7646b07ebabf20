"""Template helpers: join address, dates, JSON for data attributes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, request

from analysis.rule import NINEPOINT_LABELS


def join_base(app: Flask) -> str:
    """The address phones use: PUBLIC_URL when set, else what run.py announced, else this host."""
    return app.config.get("SB_PUBLIC_URL") or app.config.get("SB_JOIN_BASE") or request.host_url.rstrip("/")


def session_name(session: Any) -> str:
    """How every page names a session: its title, then place and country, then date, when known."""
    where = ", ".join(part for part in (session.place, session.country) if part)
    return " · ".join(
        part for part in (session.title, where, session.date.isoformat() if session.date else "") if part
    )


def ninepoint_label(method: str | None) -> str:
    """The 9-point rule of a stored consensus rule, in words ("standard" when not stored)."""
    return NINEPOINT_LABELS.get(method or "standard", str(method))


def register(app: Flask) -> None:
    app.add_template_filter(session_name, "session_name")
    app.add_template_filter(ninepoint_label, "ninepoint_label")

    @app.template_filter("dt")
    def format_datetime(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""

    @app.context_processor
    def inject() -> dict[str, object]:
        return {"join_base": lambda: join_base(app)}
