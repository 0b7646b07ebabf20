"""Issue 14: every message is translated in every shipped language, and templates show no text
outside gettext.

The first test extracts the messages as a translator would (pybabel extract with babel.cfg) into
a temporary file and compares them with translations/<lang>/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import gettext
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from core.i18n import LANGUAGES, SOURCE, TRANSLATIONS, compile_catalogs, normalise

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [lang for lang in LANGUAGES if lang != SOURCE]
KEYWORDS = ["-k", "lazy_gettext", "-k", "_l", "-k", "N_"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", *KEYWORDS,
         "--omit-header", "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with out.open("rb") as handle:
        catalog = read_po(handle)
    messages = {m.id: m for m in catalog if m.id}
    assert len(messages) > 400  # the extraction itself worked (templates, Python and JS)
    return messages


def _catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _placeholders(text: str) -> tuple[list[str], list[str], int]:
    named = sorted(set(re.findall(r"%\((\w+)\)s", text)))
    return named, sorted(set(re.findall(r"\{(\w+)\}", text))), text.count("%%")


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_message_is_translated(extracted, lang: str) -> None:
    catalog = _catalog(lang)
    missing, fuzzy, broken = [], [], []
    for key in extracted:
        message = catalog.get(key)
        if (
            message is None
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        ):
            missing.append(key)
            continue
        if message.fuzzy:
            fuzzy.append(key)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(key, tuple):
            if len(forms) != get_plural(lang).num_plurals:
                broken.append((key, f"{len(forms)} plural forms"))
            forms = forms[1:]  # a singular may say "one" instead of the number
        english = _placeholders(key if isinstance(key, str) else key[1])
        for form in forms:
            if _placeholders(form) != english:
                broken.append((key, form))
    assert not missing, f"{lang}: {len(missing)} messages without a translation, e.g. {missing[:5]}"
    assert not fuzzy, f"{lang}: fuzzy translations {fuzzy[:5]}"
    assert not broken, f"{lang}: placeholders differ from the English: {broken[:5]}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_catalog_header_has_the_languages_plural_rule(lang: str) -> None:
    catalog = _catalog(lang)
    assert catalog.num_plurals == get_plural(lang).num_plurals
    assert catalog.plural_expr == get_plural(lang).plural_expr


def test_polish_uses_three_plural_forms() -> None:
    catalog = _catalog("pl")
    forms = catalog.get(("%(num)s skill", "%(num)s skills")).string
    plural = gettext.c2py(catalog.plural_expr)
    assert [forms[plural(n)] % {"num": n} for n in (1, 3, 5, 22, 25)] == [
        "1 umiejętność",
        "3 umiejętności",
        "5 umiejętności",
        "22 umiejętności",
        "25 umiejętności",
    ]
    person = catalog.get(("person has started.", "people have started.")).string
    started = ["osoba rozpoczęła.", "osoby rozpoczęły.", "osób rozpoczęło."]
    assert [person[plural(n)] for n in (1, 2, 5)] == started


def test_catalogs_compile_at_start_and_feed_the_scripts(tmp_path: Path) -> None:
    """A fresh checkout has only the .po files: the app writes the .mo and the JS catalog."""
    lang_dir = tmp_path / "it" / "LC_MESSAGES"
    lang_dir.mkdir(parents=True)
    (lang_dir / "messages.po").write_bytes((TRANSLATIONS / "it" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert compile_catalogs(tmp_path) == [lang_dir / "messages.mo"]
    assert compile_catalogs(tmp_path) == []  # up to date: nothing rewritten
    js = (lang_dir / "messages.js.json").read_text(encoding="utf-8")
    assert '"Send comment": "Invia il commento"' in js
    assert "Welcome to Sounding Board" not in js  # only what static/js uses


# Visible text a template may show without _(): names, symbols, codes and notation.
ALLOWED = {
    "Sounding Board",
    "N",
    "n",
    "k*",
    "r",
    "CSV",
    "SVG",
    "PNG",
    "I-CVI",
    "CVR",
    "S-CVI/Ave",
    "S-CVI/UA",
    "ICC(2,1)",
    "ICC(2,k)",
    "wg(J)",
    "(≥ .80)",
    "n =",
    "#",
}
TEXT = re.compile(
    r"({#.*?#}|{{.*?}}|{%.*?%}|<script.*?</script>|<style.*?</style>|<(?:[^>{]|{{.*?}}|{%.*?%}|{)*?>)", re.S
)
VISIBLE_ATTRS = re.compile(r'\s(?:placeholder|title|aria-label|alt)="([^"]*)"')


def _untranslated(path: Path) -> list[str]:
    found = []
    parts = TEXT.split(path.read_text(encoding="utf-8"))
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if re.search(r"block (body_class|main_class) %}$", parts[i - 1] if i else ""):
                continue
            text = html.unescape(" ".join(part.split()))  # "&lt;" is a sign, not a word
            if (parts[i - 1] if i else "").startswith("<code"):
                continue  # commands and addresses are typed as they are
            if re.search(r"[A-Za-z]{2}", text) and not {text, text.strip(" ·.,:;")} & ALLOWED:
                found.append(text)
        elif part.startswith("<") and not part.startswith(("<script", "<style", "<!")):
            for value in VISIBLE_ATTRS.findall(part):
                if re.search(r"[A-Za-z]{2}", value) and "{{" not in value and value not in ALLOWED:
                    found.append(f"attribute: {value}")
    return found


def test_templates_show_no_text_outside_gettext() -> None:
    """A heuristic: text between tags and visible attributes must come from {{ _(...) }}."""
    problems = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        found = _untranslated(path)
        if found:
            problems[str(path.relative_to(ROOT))] = found
    assert not problems, problems


def test_the_template_check_finds_plain_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text('<p>{{ _("Fine") }}</p><p>Plain words</p><input placeholder="Type here">')
    assert _untranslated(page) == ["Plain words", "attribute: Type here"]


def test_every_domain_error_message_is_marked_for_translation() -> None:
    import importlib
    import pkgutil

    import domain
    from domain.error_messages import DOMAIN_ERROR_MESSAGES
    from domain.errors import DomainError

    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        found: list[type] = []
        sub: type
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    listed = set(DOMAIN_ERROR_MESSAGES)
    unlisted = [c.__name__ for c in subclasses(DomainError) if c.__doc__ and c.__doc__ not in listed]
    assert not unlisted


@pytest.mark.parametrize(
    ("value", "code"),
    [("pl", "pl"), ("pl_PL", "pl"), ("it-IT", "it"), ("Italian", "it"), ("Suomi", "fi"), ("Dutch", "nl"),
     ("nederlands", "nl"), ("", None), ("Klingon", None), ("es", None)],
)  # fmt: skip
def test_language_names_and_codes_normalise(value: str, code: str | None) -> None:
    assert normalise(value) == code


# Translations that may read the same in another language: names and shared loanwords only.
SAME_IN_ANOTHER_LANGUAGE: set[tuple[str, str]] = set()


def _words(text: str) -> list[str]:
    """The words of a translation, without placeholders, markup and one-letter symbols."""
    text = re.sub(r"%\(\w+\)s|\{\w+\}|<[^>]+>", " ", text)
    return re.findall(r"[^\W\d_]{2,}", text)


def test_no_translation_is_copied_from_another_language() -> None:
    """A Polish phone must not show Italian: a sentence of several words that reads exactly as
    another language's translation was copied, not translated."""
    catalogs = {lang: _catalog(lang) for lang in SHIPPED}
    copied = []
    for lang in SHIPPED:
        for message in catalogs[lang]:
            if not message.id or (lang, message.id) in SAME_IN_ANOTHER_LANGUAGE:
                continue
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for other in SHIPPED:
                twin = catalogs[other].get(message.id)
                if other == lang or twin is None:
                    continue
                theirs = twin.string if isinstance(twin.string, tuple) else (twin.string,)
                if any(form and len(_words(form)) >= 3 and form in theirs for form in forms):
                    copied.append((lang, other, message.id))
                    break
    assert not copied, f"{len(copied)} translations copied from another language, e.g. {copied[:5]}"
