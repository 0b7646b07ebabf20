"""Template helpers: join address, dates, JSON for data attributes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, request

from analysis.rule import NINEPOINT_LABELS
from domain.open_questions import OPEN_QUESTIONS
from domain.resume_code import to_local


def join_base(app: Flask) -> str:
    """The address phones use: PUBLIC_URL when set, else what run.py announced, else this host."""
    return app.config.get("SB_PUBLIC_URL") or app.config.get("SB_JOIN_BASE") or request.host_url.rstrip("/")


def shown_title(session: Any) -> str:
    """A session's title in the reader's language: the set-up's translation, else as written."""
    from core.i18n import reader_language
    from services import session_texts

    return session_texts.title(session, reader_language())


def session_name(session: Any) -> str:
    """How every page names a session: its title (in the reader's language), then place and
    country, then date, when known."""
    where = ", ".join(part for part in (session.place, session.country) if part)
    when = session.date.isoformat() if session.date else ""
    return " · ".join(part for part in (shown_title(session), where, when) if part)


def ninepoint_label(method: str | None) -> str:
    """The 9-point rule of a stored consensus rule, in the reader's words ("standard" when not stored)."""
    from core.i18n import translate_text

    return translate_text(NINEPOINT_LABELS.get(method or "standard", str(method)))


def state_words() -> dict[str, str]:
    """A session's states in the reader's words: the one vocabulary of badges, titles and the
    dashboard's script (which gets them from the badge's data-words)."""
    from flask_babel import gettext

    return {
        "draft": gettext("draft"),
        "open": gettext("open"),
        "live": gettext("live"),
        "closed": gettext("closed"),
    }


def state_label(state: Any) -> str:
    """One session state (enum or its value) in the reader's words."""
    value = str(getattr(state, "value", state))
    return state_words().get(value, value)


def register(app: Flask) -> None:
    app.add_template_filter(state_label, "state_label")
    app.add_template_global(state_words, "state_words")
    app.add_template_filter(session_name, "session_name")
    app.add_template_filter(shown_title, "shown_title")
    app.add_template_filter(ninepoint_label, "ninepoint_label")
    app.add_template_filter(role_label, "role_label")
    app.add_template_filter(translate_in, "translate_in")
    app.add_template_filter(_translate_text, "tr")
    app.add_template_filter(consensus_label, "consensus_label")
    app.add_template_global(framework_label, "framework_label")

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

    @app.template_filter("dec")
    def format_fixed(value: float | None, digits: int = 2, empty: str = "–") -> str:
        """A number with a fixed number of decimals, the reader's way (0.80, 0,80); `empty` for none."""
        if value is None:
            return empty
        from flask_babel import format_decimal

        return str(format_decimal(value, format="0." + "0" * digits if digits else "0"))

    @app.template_filter("pct")
    def format_pct(value: float | None, empty: str = "–") -> str:
        """A share as a whole percentage, the reader's way (80%, 80 %, 80 %)."""
        if value is None:
            return empty
        from flask_babel import format_percent

        return str(format_percent(value))

    @app.template_filter("local")
    def format_local(value: datetime | None, zone_name: str, with_zone: bool = True) -> str:
        """A date in a session's time zone, in the reader's language: "Mon 14 Dec 2026, 18:00
        (Europe/Rome)", "pon. 14 gru 2026, 18:00 (Europe/Rome)"."""
        local = to_local(value, zone_name)
        if local is None:
            return ""
        text = _reader_date(local, "EEE d MMM y, HH:mm", "yMMMEd")
        return f"{text} ({zone_name})" if with_zone else text

    @app.template_filter("open_question_labels")
    def open_question_labels(keys: list[str]) -> str:
        from flask_babel import gettext

        return "; ".join(gettext(OPEN_QUESTIONS[k].label) for k in keys if k in OPEN_QUESTIONS) or gettext(
            "none"
        )

    @app.template_filter("local_short")
    def format_local_short(value: datetime | None, zone_name: str) -> str:
        """A date in a session's time zone, for tables: "Tue 1 Dec, 18:00"."""
        local = to_local(value, zone_name)
        return _reader_date(local, "EEE d MMM, HH:mm", "MMMEd") if local else ""

    @app.template_filter("day")
    def format_day(value: date) -> str:
        """A calendar day, for tables: "Tue 1 Dec" in English, "wt., 1 gru" in Polish."""
        return _reader_date(datetime(value.year, value.month, value.day), "EEE d MMM", "MMMEd", time=False)

    @app.template_filter("local_input")
    def format_local_input(value: datetime | None, zone_name: str) -> str:
        """The value of a datetime-local field in the session's zone: "2026-12-14T18:00"."""
        local = to_local(value, zone_name)
        return f"{local:%Y-%m-%dT%H:%M}" if local else ""

    @app.context_processor
    def inject() -> dict[str, object]:
        return {"join_base": lambda: join_base(app)}


def framework_label(name: str, version: int, count: int, kind: str = "skills") -> str:
    """ "KT soft skills (v2, 12 skills)": one whole phrase per list kind and plural form, so that
    each language can put the count and the noun in the right case."""
    from flask_babel import ngettext

    params = {"name": name, "version": version}
    if kind == "guide":
        return ngettext(
            "%(name)s (v%(version)s, %(num)d section)",
            "%(name)s (v%(version)s, %(num)d sections)",
            count,
            **params,
        )
    if kind == "questionnaire":
        return ngettext(
            "%(name)s (v%(version)s, %(num)d item)", "%(name)s (v%(version)s, %(num)d items)", count, **params
        )
    return ngettext(
        "%(name)s (v%(version)s, %(num)d skill)", "%(name)s (v%(version)s, %(num)d skills)", count, **params
    )


def role_label(role: Any) -> str:
    """An account role in words (the table of accounts)."""
    from flask_babel import gettext

    labels = {
        "facilitator": N_("Facilitator"),
        "coordinator": N_("Coordinator"),
        "admin": N_("Administrator"),
    }
    code = str(getattr(role, "value", role))
    return gettext(labels[code]) if code in labels else code


def N_(message: str) -> str:
    return message


def translate_in(message: str, lang: str) -> str:
    """A catalog text in a given language, whatever the page's (the anchors' translation form)."""
    from core.i18n import gettext_in

    return gettext_in(lang, message)


def _translate_text(value: Any) -> Any:
    """An analysis text in the reader's language (analysis/text.py); other values unchanged."""
    from core.i18n import translate_text

    return translate_text(value)


def consensus_label(code: str | None) -> str:
    """A consensus classification ("no_consensus") in the reader's words."""
    from analysis.decision import CONSENSUS_NAMES

    return str(_translate_text(CONSENSUS_NAMES.get(code or "", (code or "").replace("_", " "))))


def _reader_date(value: datetime, pattern: str, skeleton: str, time: bool = True) -> str:
    """`value` as it is (its own zone), written in the reader's language (English outside a request).

    English keeps `pattern` ("Mon 14 Dec 2026, 18:00"); other languages take the date the way
    their CLDR skeleton writes it (Finnish "ma 14.12.2026", not "ma 14 joulu 2026"), then the time."""
    from babel.dates import format_datetime, format_skeleton
    from flask_babel import get_locale

    locale = get_locale() or "en"
    if str(locale) == "en":
        return str(format_datetime(value, pattern, locale=locale))
    written = str(format_skeleton(skeleton, value, locale=locale))
    return f"{written}, {format_skeleton('Hm', value, locale=locale)}" if time else written
