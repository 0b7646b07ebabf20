"""The personal profile as a PDF, rendered offline by WeasyPrint from the profile's own HTML."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from core.offload import run_blocking

STYLESHEETS = ("css/app.css", "css/assessment.css")


def stylesheet_text(static_folder: str) -> str:
    """The screen stylesheets, inlined: WeasyPrint applies their @media print rules."""
    return "\n".join((Path(static_folder) / name).read_text(encoding="utf-8") for name in STYLESHEETS)


class _ScreenCssNotes(logging.Filter):
    """Drop WeasyPrint's notes on the screen stylesheets' CSS it does not support (position:
    sticky, display: contents, width media queries, vendor selectors...): the PDF only needs
    their print rules, and a note per rule on every download only cluttered the server's terminal.
    Anything else WeasyPrint says (a resource it could not load, say) still reaches the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "/weasyprint/css/" not in record.pathname.replace("\\", "/")


_SCREEN_CSS_NOTES = _ScreenCssNotes()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """Nothing is fetched while rendering: the page is self-contained (inline CSS and SVG)."""
    raise ValueError(f"not fetched while rendering a profile: {url[:80]}")


def render_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained HTML page (off the gevent loop: rendering takes ~1 s)."""
    from weasyprint import HTML  # imported here: it loads pango, which only this page needs

    logger = logging.getLogger("weasyprint")
    if _SCREEN_CSS_NOTES not in logger.filters:
        logger.addFilter(_SCREEN_CSS_NOTES)
    return run_blocking(lambda: HTML(string=html, url_fetcher=_no_fetch).write_pdf())
