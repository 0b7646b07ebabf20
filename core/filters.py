"""Template helpers: join address, dates, JSON for data attributes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, request


def join_base(app: Flask) -> str:
    """The address phones use: PUBLIC_URL when set, else what run.py announced, else this host."""
    return app.config.get("SB_PUBLIC_URL") or app.config.get("SB_JOIN_BASE") or request.host_url.rstrip("/")


def session_name(session: Any) -> str:
    """How every page names a session: its title, then place and country, then date, when known."""
    where = ", ".join(part for part in (session.place, session.country) if part)
    return " · ".join(
        part for part in (session.title, where, session.date.isoformat() if session.date else "") if part
    )


def register(app: Flask) -> None:
    app.add_template_filter(session_name, "session_name")

    @app.template_filter("dt")
    def format_datetime(value: datetime | None) -> str:
        """A UTC time the reader's way: ISO-like in English, Babel's short form elsewhere."""
        if not value:
            return ""
        from flask_babel import format_datetime as babel_datetime
        from flask_babel import get_locale

        if str(get_locale() or "en") == "en":
            return value.strftime("%Y-%m-%d %H:%M UTC")
        return f"{babel_datetime(value.replace(tzinfo=value.tzinfo or UTC), 'short', rebase=False)} UTC"

    @app.template_filter("num")
    def format_number(value: float | None, digits: int = 2) -> str:
        """A number the reader's way (0.85 in English, 0,85 in Italian); "–" for none."""
        if value is None:
            return "–"
        from flask_babel import format_decimal

        return str(format_decimal(round(value, digits), format="0." + "#" * digits if digits else "0"))

    @app.context_processor
    def inject() -> dict[str, object]:
        return {"join_base": lambda: join_base(app)}
