"""Template helpers: join address, dates, JSON for data attributes."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request


def join_base(app: Flask) -> str:
    """The address phones use: PUBLIC_URL when set, else what run.py announced, else this host."""
    return app.config.get("SB_PUBLIC_URL") or app.config.get("SB_JOIN_BASE") or request.host_url.rstrip("/")


def register(app: Flask) -> None:
    @app.template_filter("dt")
    def format_datetime(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""

    @app.context_processor
    def inject() -> dict[str, object]:
        return {"join_base": lambda: join_base(app)}
