"""The session form's own criteria: a preset's scale, the session's words, their translations."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from domain.scales import PRESETS
from services.custom_criteria import OTHER_LANGUAGES, ROWS

TEXTS = ("label", "question", "anchors", "cant_judge")


def base_choices() -> list[SelectChoice]:
    """The presets in the reader's words, each with its scale once ("Appropriateness (1-9)"
    already names it). Built per request: labels made at import stayed English."""
    choices = []
    for key, preset in PRESETS.items():
        scale = f"({preset.scale_min}-{preset.scale_max})"
        label = gettext(preset.label)
        choices.append(SelectChoice(key, label if scale in preset.label else f"{label} {scale}"))
    return choices


class CustomCriterionForm(Form):
    """One criterion in the session's words; a row without a label is ignored. The fields
    `<text>_<lang>` (label_pl, anchors_fi, ...) hold its translations."""

    base = SelectField(
        _l("Scale and analysis as"),
        choices=base_choices,
        default="relevance",
    )
    label = StringField(_l("Label"), validators=[Optional(), Length(max=120)])
    question = StringField(_l("Question shown on phones"), validators=[Optional(), Length(max=300)])
    anchors = TextAreaField(_l("Anchors, one per line, lowest first (empty: the preset's)"))
    cant_judge = StringField(_l('"Can\'t judge" in your words (optional)'), validators=[Length(max=60)])


for _lang in OTHER_LANGUAGES:
    setattr(CustomCriterionForm, f"label_{_lang}", StringField(_l("Label"), validators=[Length(max=120)]))
    setattr(
        CustomCriterionForm,
        f"question_{_lang}",
        StringField(_l("Question shown on phones"), validators=[Length(max=300)]),
    )
    setattr(CustomCriterionForm, f"anchors_{_lang}", TextAreaField(_l("Anchors, one per line, lowest first")))
    setattr(
        CustomCriterionForm,
        f"cant_judge_{_lang}",
        StringField(_l('"Can\'t judge"'), validators=[Length(max=60)]),
    )


def custom_rows(entries: Any) -> list[dict[str, Any]]:
    """The rows as services.custom_criteria reads them (it checks them)."""
    rows = []
    for entry in entries:
        data = entry.form
        row: dict[str, Any] = {k: getattr(data, k).data or "" for k in ("base", *TEXTS)}
        row["texts"] = {
            lang: {k: getattr(data, f"{k}_{lang}").data or "" for k in TEXTS} for lang in OTHER_LANGUAGES
        }
        rows.append(row)
    return rows


def fill_custom(entries: Any, rows: list[dict[str, Any]]) -> None:
    """Show a session's own criteria in the rows (GET of the edit page)."""
    for entry, row in zip(entries, rows, strict=False):
        data = entry.form
        for k in ("base", *TEXTS):
            value = row.get(k, "")
            getattr(data, k).data = "\n".join(value) if isinstance(value, list) else value
        for lang in OTHER_LANGUAGES:
            given = row.get("texts", {}).get(lang, {})
            for k in TEXTS:
                value = given.get(k, "")
                getattr(data, f"{k}_{lang}").data = "\n".join(value) if isinstance(value, list) else value


__all__ = ["ROWS", "CustomCriterionForm", "custom_rows", "fill_custom"]
