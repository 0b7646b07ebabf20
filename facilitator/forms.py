"""Facilitator forms (Flask-WTF: CSRF on every POST)."""

from __future__ import annotations

from typing import Any

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

from domain.scales import PRESETS
from facilitator.question_form import ROWS, QuestionForm


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in on this computer for 14 days")


class SetupForm(FlaskForm):
    display_name = StringField("Your name", validators=[Optional(), Length(max=120)])
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password (8 characters or more)", validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField("Repeat the password", validators=[EqualTo("password", "The passwords differ.")])


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SessionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    framework_id = SelectField("Framework", coerce=int)
    criteria = CheckboxList(
        "Criteria",
        choices=[SelectChoice(k, p.label) for k, p in PRESETS.items()],
        default=["relevance", "clarity"],
    )
    pacing = RadioField(
        "Pacing",
        default="facilitator",
        choices=[
            SelectChoice("facilitator", "Facilitator-paced: one skill at a time, phones follow"),
            SelectChoice("self", "Self-paced: participants go through all skills"),
        ],
    )
    date = DateField("Date", validators=[Optional()])
    place = StringField("Place", validators=[Optional(), Length(max=200)])
    country = StringField("Country", validators=[Optional(), Length(max=80)])
    language = StringField("Language", validators=[Optional(), Length(max=40)])
    consent_text = TextAreaField("Consent text shown before joining")
    profile_questions = TextAreaField(
        "Profile questions asked at join: one per line, 'Label: option, option, ...'"
    )
    countdown_seconds = IntegerField(
        "Countdown per skill (seconds, empty for none)", validators=[Optional(), NumberRange(5, 3600)]
    )
    agree_pct = DecimalField(
        "Consensus: share agreeing (%)", default=75, places=0, validators=[NumberRange(50, 100)]
    )
    iqr_max = DecimalField(
        "Consensus: largest IQR (empty for no IQR condition)",
        default=1,
        places=2,
        validators=[Optional(), NumberRange(0, 8)],
    )
    ninepoint_method = SelectField(
        "9-point scale rule",
        choices=[
            SelectChoice("standard", "Standard: RAND/UCLA for appropriateness, COMET 70/15 for importance"),
            SelectChoice("comet", "COMET 70/15 for every 9-point scale"),
            SelectChoice("rand_ucla", "RAND/UCLA (median and IPRAS) for every 9-point scale"),
        ],
        default="standard",
    )
    # Prioritisation: questions over the whole list (facilitator/question_form.py)
    questions = FieldList(FormField(QuestionForm), min_entries=ROWS, max_entries=ROWS)


def parse_profile_questions(text: str) -> list[dict[str, Any]]:
    """'Sector: University, Business' -> [{"key": "sector", "label": "Sector", "options": [...]}]."""
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, rest = line.partition(":")
        options = [o.strip() for o in rest.split(",") if o.strip()]
        if not sep or not label.strip() or len(options) < 2:
            raise ValueError(f"Line {number}: write 'Label: option, option' with two options or more.")
        key = "".join(ch if ch.isalnum() else "_" for ch in label.strip().lower())[:40]
        questions.append({"key": key, "label": label.strip()[:80], "options": options[:20]})
    return questions


def format_profile_questions(questions: list[dict[str, Any]]) -> str:
    return "\n".join(f"{q['label']}: {', '.join(q['options'])}" for q in questions)
