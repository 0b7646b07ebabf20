"""Facilitator forms (Flask-WTF: CSRF on every POST)."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    FieldList,
    FormField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from core.i18n import LANGUAGES, SOURCE
from domain import profile_questions
from domain.item_lists import KINDS as LIST_KINDS
from domain.open_questions import OPEN_QUESTIONS
from domain.scales import PRESETS, CriterionPreset, preset_for
from facilitator.custom_criterion_form import ROWS as CUSTOM_ROWS
from facilitator.custom_criterion_form import CustomCriterionForm
from facilitator.question_form import ROWS, QuestionForm
from services import session_texts


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this computer for 14 days"))


class SetupForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password (8 characters or more)"), validators=[DataRequired(), Length(min=8)]
    )
    confirm = PasswordField(
        _l("Repeat the password"), validators=[EqualTo("password", _l("The passwords differ."))]
    )


OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != SOURCE]
LANGUAGE_CHOICES = [SelectChoice("", _l("(none)")), *(SelectChoice(k, v) for k, v in LANGUAGES.items())]


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    framework_id = SelectField(_l("Framework"), coerce=int)
    criteria = CheckboxList(
        _l("Criteria"),
        choices=[SelectChoice(k, _l(p.label)) for k, p in PRESETS.items()],
        default=["relevance", "clarity"],
    )
    custom_criteria = FieldList(
        FormField(CustomCriterionForm), min_entries=CUSTOM_ROWS, max_entries=CUSTOM_ROWS
    )
    open_questions = CheckboxList(
        _l("Open questions about each item"),
        choices=[SelectChoice(k, _l(q.label)) for k, q in OPEN_QUESTIONS.items()],
        default=[],
    )
    pacing = RadioField(
        _l("Pacing"),
        default="facilitator",
        choices=[
            SelectChoice("facilitator", _l("Facilitator-paced: one item at a time, phones follow")),
            SelectChoice("self", _l("Self-paced: participants go through all items")),
        ],
    )
    date = DateField(_l("Date"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    country = StringField(_l("Country"), validators=[Optional(), Length(max=80)])
    # The phones' fallback for skills not translated into a participant's language, the
    # projector's language; a second one shows beside it on the projector.
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="", validate_choice=False)
    second_language = SelectField(
        _l("Second language on the projector (optional)"), choices=LANGUAGE_CHOICES, default=""
    )
    consent_text = TextAreaField(_l("Consent text shown before joining"))
    profile_questions = TextAreaField(
        _l("Profile questions asked at join: one per line, 'Label: option, option, ...'")
    )
    countdown_seconds = IntegerField(
        _l("Countdown per item (seconds, empty for none)"), validators=[Optional(), NumberRange(5, 3600)]
    )
    capacity = IntegerField(
        _l("Most people who may join (empty for no limit)"), validators=[Optional(), NumberRange(1, 10000)]
    )
    retention_days = IntegerField(
        _l("Keep the link between answers and participants for (days after closing)"),
        default=180,
        validators=[DataRequired(), NumberRange(1, 3650)],
    )
    agree_pct = DecimalField(
        _l("Consensus: share agreeing (%)"), default=75, places=0, validators=[NumberRange(50, 100)]
    )
    iqr_max = DecimalField(
        _l("Consensus: largest IQR (empty for no IQR condition)"),
        default=1,
        places=2,
        validators=[Optional(), NumberRange(0, 8)],
    )
    ninepoint_method = SelectField(
        _l("9-point scale rule"),
        choices=[
            SelectChoice(
                "standard", _l("Standard: RAND/UCLA for appropriateness, COMET 70/15 for importance")
            ),
            SelectChoice("comet", _l("COMET 70/15 for every 9-point scale")),
            SelectChoice("rand_ucla", _l("RAND/UCLA (median and IPRAS) for every 9-point scale")),
        ],
        default="standard",
    )
    # Delphi rounds (domain/rounds.py RoundSettings)
    round_feedback = CheckboxList(
        _l("Group result shown on phones from round 2"),
        choices=[
            SelectChoice("distribution", _l("Distribution (bars)")),
            SelectChoice("median", _l("Median")),
            SelectChoice("iqr", _l("IQR (middle half)")),
        ],
        default=["distribution", "median", "iqr"],
    )
    reason_rule = SelectField(
        _l("Ask for a short reason"),
        choices=[
            SelectChoice("none", _l("Never")),
            SelectChoice("away_from_median", _l("When an answer moves away from the group's median")),
            SelectChoice("outside_iqr", _l("When an answer lies outside the group's IQR")),
        ],
    )
    stop_consensus = BooleanField(_l("Stop an item once it reaches consensus"))
    stop_stability = BooleanField(_l("Stop an item once its answers are stable (net change below 15%)"))
    max_rounds = IntegerField(
        _l("Stop after this many rounds (empty for no limit)"), validators=[Optional(), NumberRange(2, 10)]
    )
    # Prioritisation: questions over the whole list (facilitator/question_form.py)
    questions = FieldList(FormField(QuestionForm), min_entries=ROWS, max_entries=ROWS)


# The session's own words in the other languages: title_pl, consent_text_fi, profile_questions_it...
for _lang in OTHER_LANGUAGES:
    # labelled by the language's own name, under "Translations:" (templates/_macros.html)
    setattr(SessionForm, f"title_{_lang}", StringField(LANGUAGES[_lang], validators=[Length(max=200)]))
    setattr(SessionForm, f"consent_text_{_lang}", TextAreaField(LANGUAGES[_lang]))
    setattr(SessionForm, f"profile_questions_{_lang}", TextAreaField(LANGUAGES[_lang]))


def criterion_wordings() -> dict[str, dict[str, dict[str, str]]]:
    """Each preset criterion's label and preview (question, lowest and highest anchor) for each
    kind of item list, translated, as sessions store it: {key: {"label": {kind: text}, ...}}.
    The set-up form shows the selected list's (static/js/session_form.js follows a new pick)."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for key in PRESETS:
        worded = {kind: preset_for(key, kind) for kind in LIST_KINDS}
        out[key] = {
            "label": {kind: _(p.label) for kind, p in worded.items()},
            "preview": {kind: _preview(p) for kind, p in worded.items()},
        }
    return out


def _preview(preset: CriterionPreset) -> str:
    return f"{_(preset.question)} ({_(preset.anchors[0])} … {_(preset.anchors[-1])})"


def parse_profile_questions(text: str, translations: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """'Sector: University, Business' -> [{"key": "sector", "label": "Sector", "options": [...],
    "texts": {lang: ...}}], `translations` the same lines per language; a ValueError in the
    reader's language says which line is wrong."""
    try:
        questions = profile_questions.parse(text)
        for lang, lines in (translations or {}).items():
            profile_questions.add_translation(questions, lang, lines)
    except profile_questions.ProfileMismatchError as exc:
        language = LANGUAGES.get(exc.language, exc.language)
        if not exc.line:
            raise ValueError(
                _("Profile questions, %(language)s: give one line per question (%(expected)s, got %(got)s).",
                  language=language, expected=exc.expected, got=exc.got)
            ) from None  # fmt: skip
        raise ValueError(
            _("Profile questions, %(language)s, line %(line)s: give %(expected)s options (got %(got)s).",
              language=language, line=exc.line, expected=exc.expected, got=exc.got)
        ) from None  # fmt: skip
    except profile_questions.ProfileLineError as exc:
        where = f"{LANGUAGES.get(exc.language, exc.language)}, " if exc.language else ""
        raise ValueError(
            where + _("Line %(line)s: write 'Label: option, option' with two options or more.", line=exc.line)
        ) from None
    return questions


def profile_translations(form: Any) -> dict[str, str]:
    """The profile questions' lines per other language, as the form has them."""
    return {lang: getattr(form, f"profile_questions_{lang}").data or "" for lang in OTHER_LANGUAGES}


def fill_profile_questions(form: Any, questions: list[dict[str, Any]]) -> None:
    """Show profile questions, and their translations, in the form (GET)."""
    form.profile_questions.data = profile_questions.format_lines(questions)
    for lang in OTHER_LANGUAGES:
        getattr(form, f"profile_questions_{lang}").data = profile_questions.format_lines(
            questions, lang, partial(session_texts.word, lang=lang)
        )


def format_profile_questions(questions: list[dict[str, Any]]) -> str:
    return profile_questions.format_lines(questions)
