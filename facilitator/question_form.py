"""The session form's list questions (pick, rank, points): fields and their translation."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from core.i18n import LANGUAGES
from domain.kinds import KINDS
from services.prioritisation import QuestionSpec
from services.session_texts import OTHER_LANGUAGES

ROWS = 3  # a workshop runs a few rounds: pick, then rank, then points
# A stored question's parameters and the form fields that set them (question_specs, fill_questions).
PARAM_FIELDS = {"k": "count", "exact": "exact", "threshold": "threshold", "budget": "budget"}


class QuestionForm(Form):
    """One list question; a row whose kind is empty is ignored."""

    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("", _l("(none)")),
            *(SelectChoice(k.name, _l(k.label)) for k in KINDS.values()),
        ],
        default="",
    )
    prompt = StringField(_l("Question shown on phones"), validators=[Optional()])
    count = IntegerField(
        _l("How many (to pick, or to rank; empty ranks all)"), validators=[Optional(), NumberRange(1, 500)]
    )
    exact = SelectField(
        _l("Pick"),
        choices=[
            SelectChoice("exact", _l("exactly that many")),
            SelectChoice("at_most", _l("at most that many")),
        ],
    )
    budget = IntegerField(_l("Points to spread"), default=100, validators=[Optional(), NumberRange(1, 10000)])
    threshold = IntegerField(
        _l("Chosen when picked by at least (% of the panel)"),
        default=50,
        validators=[Optional(), NumberRange(1, 100)],
    )


for _lang in OTHER_LANGUAGES:  # prompt_it, prompt_pl, ...: the question in other languages
    setattr(QuestionForm, f"prompt_{_lang}", StringField(LANGUAGES[_lang], validators=[Optional()]))


def question_specs(entries: Any) -> list[QuestionSpec]:
    """The filled rows as specs for services.prioritisation (which checks them)."""
    specs = []
    for entry in entries:
        data = entry.form
        if not data.kind.data:
            continue
        params: dict[str, Any] = {
            "exact": data.exact.data != "at_most",
            "budget": data.budget.data or 100,
            "threshold": data.threshold.data or 50,
        }
        if data.count.data is not None:
            params["k"] = data.count.data
        texts = {lang: {"prompt": getattr(data, f"prompt_{lang}").data or ""} for lang in OTHER_LANGUAGES}
        specs.append(QuestionSpec(data.kind.data, data.prompt.data or "", params, texts))
    return specs


def fill_questions(entries: Any, questions: list[Any]) -> None:
    """Show a session's stored questions in the rows (GET of the edit page)."""
    for entry, question in zip(entries, questions, strict=False):
        data = getattr(entry, "form", entry)  # a row of the session form, or a form of its own
        data.kind.data = question.kind
        data.prompt.data = question.prompt
        for lang in OTHER_LANGUAGES:
            getattr(data, f"prompt_{lang}").data = (question.texts or {}).get(lang, {}).get("prompt", "")
        data.count.data = question.params.get("k")
        data.exact.data = "exact" if question.params.get("exact", True) else "at_most"
        data.budget.data = question.params.get("budget", 100)
        data.threshold.data = question.params.get("threshold", 50)


def describe_question(question: Any) -> str:
    """A question fixed since voting started, in the form's words: its prompt, then its kind and
    each parameter as "label: value": "Which? (Pick k of n · How many (...): 3 · Pick: exactly that many)"."""
    form = QuestionForm()
    fill_questions([form], [question])
    kinds = {choice.value: choice.label for choice in form.kind.choices}
    kind = str(kinds.get(question.kind, question.kind))
    parts = [kind] if question.prompt else []  # without a prompt the kind's name heads the line
    for key in question.params:
        if key not in PARAM_FIELDS or question.params[key] is None:
            continue
        field = form[PARAM_FIELDS[key]]
        value = field.data
        if isinstance(field, SelectField):
            value = next((choice.label for choice in field.choices if choice.value == value), value)
        parts.append(f"{field.label.text}: {value}")
    return f"{question.prompt or kind} ({' · '.join(parts)})"
