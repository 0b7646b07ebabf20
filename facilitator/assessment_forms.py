"""Form of a self-assessment's settings (Flask-WTF: CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.i18n import LANGUAGES, SOURCE
from domain.assessment import QUESTIONS

OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != SOURCE]


class AssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    framework_id = SelectField(_l("Framework"), coerce=int)
    intro = TextAreaField(_l("Introduction shown before the first question"), validators=[Length(max=4000)])
    include_importance = BooleanField(_l('Also ask "How important is it in my role?"'), default=True)
    profile_questions = TextAreaField(_l("Profile questions (optional)"), validators=[Length(max=4000)])
    anchors_mastery = TextAreaField(_l("Anchors: %(question)s", question=_l(QUESTIONS["mastery"].prompt)))
    anchors_use = TextAreaField(_l("Anchors: %(question)s", question=_l(QUESTIONS["use"].prompt)))
    anchors_importance = TextAreaField(
        _l("Anchors: %(question)s", question=_l(QUESTIONS["importance"].prompt))
    )


for _lang in OTHER_LANGUAGES:  # profile_questions_it, ...: the same lines in other languages
    setattr(
        AssessmentForm,
        f"profile_questions_{_lang}",
        TextAreaField(LANGUAGES[_lang], validators=[Length(max=4000)]),
    )
