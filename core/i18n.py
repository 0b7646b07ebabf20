"""Languages: which one a request gets, the gettext catalogs (compiled at start), the JS catalog.

The interface ships in English (the source language) and in the languages of LANGUAGES; their
catalogs live in translations/<code>/LC_MESSAGES/messages.po. The .mo files gettext reads are
not in the repository: `compile_catalogs` builds each one at start when it is missing or older
than its .po, so `pip install -e .` and `run.py` are still all it takes.

Who gets which language:
- a phone (participant pages): the language picked with the switch (cookie `sb_lang`), else the
  browser's Accept-Language, else English;
- a facilitator: the language of their account (account page), else as a phone;
- the projector: the session's language (set by the page through `use_locale`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale

from core.config import ROOT

TRANSLATIONS = ROOT / "translations"
SOURCE = "en"
# Code -> the language's own name (what the switch shows): the shipped languages, English first.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "it": "Italiano",
    "pl": "Polski",
    "fi": "Suomi",
    "nl": "Nederlands",
}
COOKIE = "sb_lang"
COOKIE_AGE = 365 * 24 * 3600
JS_PREFIXES = ("static/js/", "analysis/")  # the scripts' own texts, and the statistics' (analysis.text)


def normalise(value: str | None) -> str | None:
    """A shipped language code from a code, a locale ('pl_PL', 'it-IT') or a name ('Italian',
    'Polski'), else None. Session languages were free text before the switch existed."""
    if not value:
        return None
    text = value.strip()
    code = text.replace("-", "_").split("_")[0].lower()
    if code in LANGUAGES:
        return code
    lowered = text.lower()
    for known in LANGUAGES:
        locale = Locale.parse(known)
        names = {LANGUAGES[known].lower(), (locale.english_name or "").lower()}
        names |= {str(locale.get_display_name(other) or "").lower() for other in LANGUAGES}
        if lowered in names:
            return known
    return None


def use_locale(code: str | None) -> None:
    """Make this request render in `code` (the projector: the session's language)."""
    lang = normalise(code)
    if lang:
        g.sb_locale = lang
        _refresh()


def _refresh() -> None:
    # Flask-Babel caches the locale per request; drop the cache after a change.
    from flask_babel import refresh

    refresh()


def select_locale() -> str:
    if not has_request_context():
        return SOURCE
    forced = g.get("sb_locale")
    if forced:
        return str(forced)
    # Phones (pages and Socket.IO namespace) follow their own switch; everywhere else a signed-in
    # facilitator's account language comes first.
    phone = request.blueprint == "participant" or getattr(request, "namespace", None) == "/participant"
    if not phone:
        from flask_login import current_user

        try:
            signed_in = current_user.is_authenticated
            mine = normalise(getattr(current_user, "language", None)) if signed_in else None
        except Exception:  # no user loader in this context
            mine = None
        if mine:
            return mine
    picked = normalise(request.cookies.get(COOKIE))
    if picked:
        return picked
    return request.accept_languages.best_match(list(LANGUAGES), default=SOURCE) or SOURCE


def compile_catalogs(root: Path = TRANSLATIONS) -> list[Path]:
    """Write each messages.mo (and the JS catalog) that is missing or older than its .po."""
    written = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        js_path = po_path.with_name("messages.js.json")
        stamp = po_path.stat().st_mtime
        if all(p.exists() and p.stat().st_mtime >= stamp for p in (mo_path, js_path)):
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        # A temporary name of this process's own: two processes starting at once (two workers
        # behind one queue, parallel test workers) each write theirs, and the rename is atomic.
        tmp = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        tmp.replace(mo_path)
        js: dict[str, Any] = {}
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if not any(str(loc[0]).startswith(JS_PREFIXES) for loc in message.locations):
                continue
            key = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
            value = list(message.string) if isinstance(message.string, tuple) else message.string
            if value and (not isinstance(value, list) or all(value)):
                js[key] = value
        js_tmp = js_path.with_name(f"{js_path.name}.{os.getpid()}.tmp")
        js_tmp.write_text(json.dumps(js, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        js_tmp.replace(js_path)
        written.append(mo_path)
    return written


def js_catalog(code: str) -> str:
    """The script that gives static/js its messages in `code`: SB_I18N = {lang, plural, messages}."""
    lang = normalise(code) or SOURCE
    path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.js.json"
    messages = path.read_text(encoding="utf-8") if path.exists() else "{}"
    plural = get_plural(lang).plural_expr  # a C expression, which is JavaScript too
    return (
        f"/* Sounding Board messages: {LANGUAGES[lang]} */\n"
        f'window.SB_I18N = {{"lang": {json.dumps(lang)}, '
        f'"plural": function (n) {{ return Number({plural}); }}, "messages": {messages}}};\n'
    )


def reader_language() -> str:
    """The language of this request's reader ("en" outside a request, e.g. the CLI export)."""
    if not has_request_context():
        return SOURCE
    return str(get_locale() or SOURCE)


def language_name(code: str | None) -> str:
    lang = normalise(code)
    return LANGUAGES.get(lang or "", code or "")


def init_app(app: Flask) -> None:
    compile_catalogs()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", SOURCE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)

    @app.before_request
    def fresh_locale() -> None:
        # Flask-Babel caches the locale on the app context, which a test (or a CLI command) may
        # keep across requests: each request chooses again.
        g.pop("sb_locale", None)
        _refresh()

    @app.get("/i18n/<code>.js")
    def i18n_js(code: str) -> Response:
        response = current_app.response_class(js_catalog(code), mimetype="text/javascript")
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/lang/<code>")
    def set_language(code: str) -> Any:
        """The phone's switch: keep the choice in a cookie and go back where the person was."""
        from flask import redirect

        lang = normalise(code) or SOURCE
        target = request.args.get("next", "/")
        if not target.startswith("/") or target.startswith("//") or "\\" in target:  # no open redirect
            target = "/"
        response = redirect(target)
        response.set_cookie(
            COOKIE, lang, max_age=COOKIE_AGE, samesite="Lax", secure=request.is_secure, httponly=False
        )
        return response

    @app.context_processor
    def languages() -> dict[str, Any]:
        return {
            "LANGUAGES": LANGUAGES,
            "current_lang": lambda: str(get_locale() or SOURCE),
            "language_name": language_name,
        }


# --- Texts in a given language, whatever the request's: payloads broadcast to a whole room carry
# every shipped language, and each phone picks its own (static/js/common.js, SB.localise).

_catalogs: dict[str, Any] = {}


def translations_for(lang: str) -> Any:
    from babel.support import NullTranslations, Translations

    if lang not in _catalogs:
        _catalogs[lang] = (
            NullTranslations() if lang == SOURCE else Translations.load(str(TRANSLATIONS), [lang])
        )
    return _catalogs[lang]


def gettext_in(lang: str, message: str) -> str:
    return str(translations_for(lang).gettext(message)) if message else message


def criterion_texts(key: str, label: str, question: str, anchors: list[str]) -> dict[str, dict[str, Any]]:
    """A preset criterion's label, question and anchors in each shipped language, for those of
    its texts that are still the preset's own, in any list kind's wording (a changed text stays
    as written)."""
    from domain.scales import preset_wordings

    wordings = preset_wordings(key)
    if not wordings:
        return {}
    labels = {p.label for p in wordings}
    questions = {p.question for p in wordings}
    out: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGES:
        if lang == SOURCE:
            continue
        texts: dict[str, Any] = {}
        if label in labels:
            texts["label"] = gettext_in(lang, label)
        if question in questions:
            texts["question"] = gettext_in(lang, question)
        if list(anchors) == list(wordings[0].anchors):
            texts["anchors"] = [gettext_in(lang, a) for a in anchors]
        if texts:
            out[lang] = texts
    return out


def skill_texts(extra: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    """The translations a framework carries for one skill (name_xx, definition_xx, cluster_xx,
    a guide section's body_xx): {xx: {"name": ..., "definition": ..., "cluster": ..., "body": ...}}."""
    out: dict[str, dict[str, str]] = {}
    for key, value in (extra or {}).items():
        base, _, lang = str(key).partition("_")
        known = base in ("name", "definition", "cluster", "body")
        if known and lang and isinstance(value, str) and value.strip():
            out.setdefault(lang.lower(), {})[base] = value.strip()
    return out


def translate_text(value: Any, lang: str | None = None) -> Any:
    """An analysis text (analysis.text.Text) in `lang` (default: this request's reader's), its
    numbers written that language's way; any other value as it is."""
    from babel.numbers import format_decimal, format_percent

    from analysis.text import Num, Text

    lang = lang or reader_language()
    if isinstance(value, Num):
        if value.spec.endswith("%"):
            return format_percent(float(value), locale=lang)
        if value.spec == ",":  # a count with thousands separators: 200,000 / 200 000 / 200.000
            return format_decimal(float(value), locale=lang)
        digits = value.spec.strip(".f") if value.spec.endswith("f") else ""
        pattern = f"0.{'0' * int(digits)}" if digits.isdigit() and int(digits) else "0.######"
        return format_decimal(float(value), format=pattern, locale=lang)
    if not isinstance(value, Text) or lang == SOURCE:
        return value
    params = {k: translate_text(v, lang) for k, v in value.params.items()}
    template = gettext_in(lang, value.msgid)
    return template % params if params else template
