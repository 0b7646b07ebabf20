"""Profile questions asked on joining, in the session's words and their translations.

A question is {"key", "label", "options", "texts": {lang: {"label", "options"}}}. An answer
stores the option as written in `options` (its key), never a translation, so that the same
answer from phones in different languages pools, exports and is suppressed as one group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ProfileLineError(ValueError):
    """A line that is not 'Label: option, option' with two options or more (`line` counts from 1)."""

    def __init__(self, line: int, language: str = "") -> None:
        super().__init__(f"Line {line}: write 'Label: option, option' with two options or more.")
        self.line, self.language = line, language


class ProfileMismatchError(ValueError):
    """A translation whose lines or options do not match the session's own questions."""

    def __init__(self, line: int, language: str, expected: int, got: int) -> None:
        super().__init__(f"{language}, line {line}: give {expected} options (got {got}).")
        self.line, self.language, self.expected, self.got = line, language, expected, got


def _split(line: str) -> tuple[str, list[str]] | None:
    label, sep, rest = line.partition(":")
    options = [o.strip() for o in rest.split(",") if o.strip()]
    if not sep or not label.strip() or len(options) < 2:
        return None
    return label.strip()[:80], options[:20]


def parse(text: str) -> list[dict[str, Any]]:
    """'Sector: University, Business' -> [{"key": "sector", "label": "Sector", "options": [...]}]."""
    questions = []
    for number, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        split = _split(line)
        if split is None:
            raise ProfileLineError(number)
        label, options = split
        key = "".join(ch if ch.isalnum() else "_" for ch in label.lower())[:40]
        questions.append({"key": key, "label": label, "options": options, "texts": {}})
    return questions


def add_translation(questions: list[dict[str, Any]], lang: str, text: str) -> None:
    """Give `questions` their texts in `lang` from lines written as the session's own: one line
    per question, in the same order, with as many options. Empty text: none in that language."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return
    if len(lines) != len(questions):
        raise ProfileMismatchError(0, lang, len(questions), len(lines))
    for number, (question, line) in enumerate(zip(questions, lines, strict=True), start=1):
        split = _split(line)
        if split is None:
            raise ProfileLineError(number, lang)
        label, options = split
        if len(options) != len(question["options"]):
            raise ProfileMismatchError(number, lang, len(question["options"]), len(options))
        question.setdefault("texts", {})[lang] = {"label": label, "options": options}


def format_lines(questions: list[dict[str, Any]], lang: str = "", word: Callable[[str], str] = str) -> str:
    """The questions as the form's lines: the session's own words, or as a phone in `lang` shows
    them (`localised`): a question without a text of its own in `lang` (its label was changed)
    shows the shipped or own wording, so that saving the lines again keeps the other questions'
    texts. "" when no question has a text in `lang`."""
    if lang and not any((q.get("texts") or {}).get(lang) for q in questions):
        return ""
    lines = []
    for q in questions:
        if lang:
            shown = localised(q, lang, word)
            label, options = shown["label"], [text for _key, text in shown["choices"]]
        else:
            label, options = q["label"], q["options"]
        lines.append(f"{label}: {', '.join(options)}")
    return "\n".join(lines)


def localised(question: dict[str, Any], lang: str, word: Callable[[str], str] = str) -> dict[str, Any]:
    """The question as a phone in `lang` shows it: `label`, and `choices` as (key, shown) pairs;
    texts without a translation of their own go through `word` (the catalogs' shipped wording)."""
    texts = (question.get("texts") or {}).get(lang) or {}
    options = list(question["options"])
    shown = texts.get("options") or []
    if len(shown) != len(options):
        shown = [word(o) for o in options]
    return {
        "key": question["key"],
        "label": texts.get("label") or word(question.get("label", question["key"])),
        "choices": list(zip(options, shown, strict=True)),
    }


def built_in(
    spec: tuple[tuple[str, str, tuple[str, ...]], ...],
    languages: list[str],
    translate: Callable[[str, str], str],
) -> list[dict[str, Any]]:
    """Shipped questions (domain.built_in_words) with their texts in `languages` from the catalogs."""
    return [
        {
            "key": key,
            "label": label,
            "options": list(options),
            "texts": {
                lang: {"label": translate(lang, label), "options": [translate(lang, o) for o in options]}
                for lang in languages
            },
        }
        for key, label, options in spec
    ]
