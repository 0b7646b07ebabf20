"""Every translation fills in the same values as its English text, and `pybabel compile` has
nothing to report beyond its known false positives.

A translation that drops, misspells or adds a placeholder shows a wrong or missing value, or raises
when it is formatted. The project writes two kinds of placeholder: %(name)s (Python, Jinja and
analysis texts) and {name} (static/js, through SB.format). Each translated entry must use exactly
the names of its msgid; each plural form those of msgid_plural (a form for one may say "one"
instead of the number: listed below). A string that is %-formatted must not hold a lone % (it
raises), and one that is not formatted must not hold %% (it shows two).

babel's own check (what `pybabel compile` prints) reads "% o" and "% i" in English prose as
positional conversions; FALSE_POSITIVES lists the messages where it does, and why that is harmless.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from core.i18n import LANGUAGES, SOURCE, TRANSLATIONS

SHIPPED = [lang for lang in LANGUAGES if lang != SOURCE]

NAMED = re.compile(r"%\((\w+)\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrs]")
BRACED = re.compile(r"\{(\w+)\}")
PERCENT_TOKENS = re.compile(rf"%%|{NAMED.pattern}")

# (language, msgid, plural form, placeholder the form leaves out): the form used for exactly one
# (Italian "l'unica competenza", "un altro commento") names the one thing instead of writing 1.
OMITTED_IN_THE_FORM_FOR_ONE = {
    ("it", "Check the %(num)s skill read from <strong>%(file)s</strong>. Nothing is stored until you "
     "confirm.", 0, "%(num)"),
    ("it", "You answered the {n} skill.", 0, "{n}"),
    ("it", "and {n} more starred comment", 0, "{n}"),
    ("it", "✓ The {n} skill is answered, and everything is saved. Thank you! You may close this page.",
     0, "{n}"),
}  # fmt: skip

# babel's python-format check on messages with no placeholder at all: "(% of the panel)" and
# "30% in", "95% interval" look like the conversions "% o" and "% i" to it, and it then compares
# them with whatever the translation's "%" happens to precede ("% d" in "(% del gruppo)", "% s" in
# Finnish "30 % sekä") or finds none. None of these strings is ever %-formatted: they have no
# parameters (gettext/_l formats only with keyword arguments, analysis texts only with params,
# and none comes from a template, where Jinja always formats), so each shows its "%" as written.
FALSE_POSITIVES = {
    "Chosen when picked by at least (% of the panel)": "a form label (facilitator/question_form.py)",
    "at least 30% in both the top and the bottom band": "a Codebook meaning (domain/workbook_codebook.py)",
    "lower end of the Wilson 95% interval of the share": "a Codebook meaning (domain/kinds/pick.py)",
    "upper end of the Wilson 95% interval of the share": "a Codebook meaning (domain/kinds/pick.py)",
}


def _catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _names(text: str) -> set[str]:
    return {f"%({name})" for name in NAMED.findall(text)} | {f"{{{name}}}" for name in BRACED.findall(text)}


def _formatted(message: Message) -> bool:
    """Whether the text goes through %: it says so (%(name)s, %%), or a template shows it."""
    ids = tuple(message.id) if isinstance(message.id, tuple | list) else (str(message.id),)
    in_template = any(str(path).startswith("templates/") for path, _line in message.locations)
    return in_template or any(PERCENT_TOKENS.search(text) for text in ids)


def placeholder_problems(lang: str, catalog: Catalog) -> Iterator[str]:
    for message in catalog:
        if not message.id or not message.string:
            continue
        pairs: list[tuple[int, str, str]]
        if isinstance(message.id, tuple | list):
            pairs = [(i, str(message.id[1]), str(form)) for i, form in enumerate(message.string)]
            singular = str(message.id[0])
        else:
            pairs = [(0, str(message.id), str(message.string))]
            singular = str(message.id)
        formatted = _formatted(message)
        for index, english, form in pairs:
            if not form:
                continue
            missing = _names(english) - _names(form)
            missing -= {
                n
                for lng, mid, i, n in OMITTED_IN_THE_FORM_FOR_ONE
                if (lng, mid, i) == (lang, singular, index)
            }
            added = _names(form) - _names(english)
            where = f"{lang}:{message.lineno} {singular!r} form {index}"
            if missing or added:
                yield f"{where}: missing {sorted(missing)}, not in the English {sorted(added)}"
            if formatted and "%" in PERCENT_TOKENS.sub("", form):
                yield f"{where}: a lone % in a formatted text (write %%)"
            if not formatted and "%%" in form:
                yield f"{where}: %% in a text that is never formatted (it shows both)"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_translation_uses_the_english_placeholders(lang: str) -> None:
    problems = list(placeholder_problems(lang, _catalog(lang)))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", SHIPPED)
def test_pybabel_compile_finds_nothing_but_the_known_false_positives(lang: str) -> None:
    found = [
        f"{lang}:{message.lineno} {message.id!r}: {error}"
        for message, errors in _catalog(lang).check()
        for error in errors
        if message.id not in FALSE_POSITIVES
    ]
    assert not found, "\n".join(found)


def test_the_exceptions_are_still_needed() -> None:
    """The lists stay minimal: each entry still exists and still needs its exception."""
    catalogs = {lang: _catalog(lang) for lang in SHIPPED}
    flagged = {message.id for catalog in catalogs.values() for message, _errors in catalog.check()}
    assert set(FALSE_POSITIVES) <= flagged
    for msgid in FALSE_POSITIVES:  # and they stay harmless: nothing to fill in, never formatted
        for catalog in catalogs.values():
            message = catalog.get(msgid)
            assert message is not None and not _names(msgid) and not _formatted(message), msgid
    for lang, msgid, index, name in OMITTED_IN_THE_FORM_FOR_ONE:
        message = catalogs[lang].get(msgid)
        assert message is not None, msgid
        forms = message.string
        assert isinstance(forms, tuple | list), (lang, msgid)
        assert name not in _names(str(forms[index])), (lang, msgid)


def test_the_check_finds_broken_placeholders() -> None:
    """Dropped, misspelled and added placeholders, in both styles, and a lone % where one raises."""
    catalog = Catalog(locale="it")
    catalog.add("%(n)s sessions", "%(num)s sessioni")
    catalog.add("Pick {k}", "Scegli")
    catalog.add("Hello", "Ciao {name}")
    catalog.add(("%(n)s skill", "%(n)s skills"), ("una competenza", "competenze"))
    catalog.add("%(pct)s%% agree", "%(pct)s % d'accordo")
    catalog.add("Share (%)", "Quota (%%)")
    catalog.add("%(pct)s%% in the top", "%(pct)s%% in alto")  # right
    problems = list(placeholder_problems("it", catalog))
    assert len(problems) == 7, problems
    assert "missing ['%(n)'], not in the English ['%(num)']" in problems[0]
    assert "missing ['{k}']" in problems[1]
    assert "not in the English ['{name}']" in problems[2]
    assert "form 0: missing ['%(n)']" in problems[3]  # only the forms listed may leave it out
    assert "form 1: missing ['%(n)']" in problems[4]
    assert "lone %" in problems[5]
    assert "never formatted" in problems[6]
