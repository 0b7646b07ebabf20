"""A session's own words (title, consent, profile questions, list questions' prompts) in a
reader's language: the session's translation, else the catalog's for wording Sounding Board
ships (domain.built_in_words), else the session's own text."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from core.i18n import LANGUAGES, SOURCE, gettext_in
from domain import profile_questions
from domain.built_in_words import ASSESSMENT_PROFILE, DEFAULT_CONSENT, SESSION_PROFILE, WORDS

OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != SOURCE]
FIELDS = ("title", "consent")


def word(text: str, lang: str) -> str:
    """Shipped wording in `lang` (the catalogs'); any other text as written."""
    return gettext_in(lang, text) if lang != SOURCE and text in WORDS else text


def own(text: str, texts: dict[str, Any] | None, name: str, lang: str) -> str:
    """`text` in `lang`: `texts[lang][name]` when given, else the shipped wording's translation."""
    given = ((texts or {}).get(lang) or {}).get(name)
    return str(given) if given else word(text, lang)


def title(session: Any, lang: str) -> str:
    return own(session.title, getattr(session, "texts", None), "title", lang)


def consent(session: Any, lang: str) -> str:
    return own(session.consent_text, session.texts, "consent", lang)


def consent_version(session: Any, lang: str) -> str:
    """A fingerprint of the consent text a reader in `lang` is shown ("" when there is none): a
    join page sends it back, so that agreeing to a text since edited is not taken as consent."""
    if not session.consent_text.strip():
        return ""
    return hashlib.sha256(consent(session, lang).encode()).hexdigest()[:16]


def profile(questions: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Profile questions as a phone in `lang` shows them: label and (key, shown) choices."""
    return [profile_questions.localised(q, lang, lambda t: word(t, lang)) for q in questions]


def profile_version(questions: list[dict[str, Any]], lang: str) -> str:
    """A fingerprint of the profile questions as a reader in `lang` is shown them: a join page
    left open compares it with the state's, and shows the questions edited meanwhile."""
    shown = json.dumps(profile(questions, lang), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


def profile_i18n(question: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A profile question's label and options in every other language (for payloads)."""
    out = {}
    for lang in OTHER_LANGUAGES:
        shown = profile([question], lang)[0]
        out[lang] = {"label": shown["label"], "options": [s for _key, s in shown["choices"]]}
    return out


def prompt(question: Any, lang: str) -> str:
    return own(question.prompt, question.texts, "prompt", lang) if question.prompt else ""


def prompt_i18n(question: Any) -> dict[str, dict[str, str]]:
    """A list question's prompt in every other language that has one (for payloads)."""
    out = {}
    for lang in OTHER_LANGUAGES:
        shown = prompt(question, lang)
        if shown and shown != question.prompt:
            out[lang] = {"prompt": shown}
    return out


def stale(text: str, translated: str, lang: str, before: str) -> bool:
    """Whether `translated` is what the form showed for `before`, the text as it was, which the
    facilitator then changed, leaving the translation: the catalog's for shipped wording (the form
    proposes it), or the text itself (a copy). A translation of their own stays, whatever it equals."""
    return text != before and translated == word(before, lang)


def clean(
    texts: dict[str, Any] | None, consent_text: str = "", consent_before: str = DEFAULT_CONSENT
) -> dict[str, dict[str, str]]:
    """Given translations of title and consent, trimmed, empty and stale ones left out;
    `consent_before`: the consent text the form showed (a new session's: the built-in one)."""
    out: dict[str, dict[str, str]] = {}
    for lang in OTHER_LANGUAGES:
        given = (texts or {}).get(lang) or {}
        t = {k: str(given.get(k) or "").strip() for k in FIELDS}
        t = {k: (v[:200] if k == "title" else v) for k, v in t.items() if v}
        if "consent" in t and stale(consent_text, t["consent"], lang, consent_before):
            del t["consent"]
        if t:
            out[lang] = t
    return out


def clean_profile(questions: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Profile questions without the stale translations of a question whose label was changed;
    `before`: the questions the form showed (stored, or a new form's built-in ones), by position."""
    for position, q in enumerate(questions):
        was = before[position].get("label", "") if position < len(before) else None
        texts = q.get("texts") or {}
        q["texts"] = {
            lang: t
            for lang, t in texts.items()
            if was is None or not stale(q.get("label", ""), t.get("label", ""), lang, was)
        }
    return questions


# --- what the forms propose ------------------------------------------------------------------


def default_profile() -> list[dict[str, Any]]:
    """A new session's profile question, in every shipped language."""
    return profile_questions.built_in(SESSION_PROFILE, OTHER_LANGUAGES, gettext_in)


def default_assessment_profile() -> list[dict[str, Any]]:
    return profile_questions.built_in(ASSESSMENT_PROFILE, OTHER_LANGUAGES, gettext_in)


def default_texts() -> dict[str, dict[str, str]]:
    """A new session's consent text in every other shipped language."""
    return {lang: {"consent": gettext_in(lang, DEFAULT_CONSENT)} for lang in OTHER_LANGUAGES}
