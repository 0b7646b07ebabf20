"""The personal profile as a PDF, rendered offline by WeasyPrint from the profile's own HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.offload import run_blocking

STYLESHEETS = ("css/app.css", "css/assessment.css")


def stylesheet_text(static_folder: str) -> str:
    """The screen stylesheets, inlined: WeasyPrint applies their @media print rules."""
    return "\n".join((Path(static_folder) / name).read_text(encoding="utf-8") for name in STYLESHEETS)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """Nothing is fetched while rendering: the page is self-contained (inline CSS and SVG)."""
    raise ValueError(f"not fetched while rendering a profile: {url[:80]}")


def render_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained HTML page (off the gevent loop: rendering takes ~1 s)."""
    from weasyprint import HTML  # imported here: it loads pango, which only this page needs

    return run_blocking(lambda: HTML(string=html, url_fetcher=_no_fetch).write_pdf())
