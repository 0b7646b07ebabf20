"""Form of a self-assessment's settings (Flask-WTF: CSRF on every POST)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from domain.assessment import QUESTIONS


class AssessmentForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    framework_id = SelectField("Framework", coerce=int)
    intro = TextAreaField("Introduction shown before the first question", validators=[Length(max=4000)])
    include_importance = BooleanField('Also ask "How important is it in my role?"', default=True)
    profile_questions = TextAreaField("Profile questions (optional)", validators=[Length(max=4000)])
    anchors_mastery = TextAreaField(f"Anchors: {QUESTIONS['mastery'].prompt}")
    anchors_use = TextAreaField(f"Anchors: {QUESTIONS['use'].prompt}")
    anchors_importance = TextAreaField(f"Anchors: {QUESTIONS['importance'].prompt}")
