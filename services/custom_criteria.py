"""Criteria a session words itself: a preset's scale and analysis, the session's own label,
question, anchors and "can't judge", and their translations for phones in other languages."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.i18n import LANGUAGES, SOURCE, gettext_in
from domain.scales import PRESETS
from models import Criterion

PREFIX = "custom"  # keys custom1, custom2, ... by row: a row keeps its key when edited
ROWS = 2
OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != SOURCE]


def is_custom(key: str) -> bool:
    return key.startswith(PREFIX)


def base_of(c: Criterion) -> str:
    """The preset whose scale and analysis a criterion uses (one preset per measure)."""
    return next((p.key for p in PRESETS.values() if p.measure == c.measure), "")


def clean(rows: list[dict[str, Any]], problems: list[str]) -> list[dict[str, Any]]:
    """The filled rows as criterion fields, or `problems` say why not. A row without a label is
    left out; anchors left empty are the preset's (translated from the catalogs)."""
    out = []
    for number, row in enumerate(rows, start=1):
        label = str(row.get("label") or "").strip()
        if not label:
            continue
        preset = PRESETS.get(str(row.get("base") or ""))
        if preset is None:
            problems.append(_("Custom criterion %(num)s: choose the scale it uses.", num=number))
            continue
        points = preset.scale_max - preset.scale_min + 1
        anchors = _lines(row.get("anchors"))
        if anchors and len(anchors) != points:
            problems.append(
                _("Custom criterion %(num)s: give %(points)s anchors, one per line (got %(got)s).",
                  num=number, points=points, got=len(anchors))
            )  # fmt: skip
            continue
        texts: dict[str, dict[str, Any]] = {}
        for lang in OTHER_LANGUAGES:
            given = (row.get("texts") or {}).get(lang) or {}
            t: dict[str, Any] = {
                k: str(given.get(k) or "").strip()[:300] for k in ("label", "question", "cant_judge")
            }
            t = {k: v for k, v in t.items() if v}
            lines = _lines(given.get("anchors"))
            if lines and len(lines) != points:
                problems.append(
                    _("Custom criterion %(num)s, %(language)s: give %(points)s anchors, one per line "
                      "(got %(got)s).", num=number, language=LANGUAGES[lang], points=points, got=len(lines))
                )  # fmt: skip
            elif lines:
                t["anchors"] = lines
            elif not anchors:  # the preset's anchors: the catalog has them in every language
                t["anchors"] = [gettext_in(lang, a) for a in preset.anchors]
            if t:
                texts[lang] = t
        out.append(
            {
                "key": f"{PREFIX}{number}",
                "measure": preset.measure,
                "scale_min": preset.scale_min,
                "scale_max": preset.scale_max,
                "label": label[:120],
                "question": str(row.get("question") or "").strip()[:300],
                "anchors": anchors or list(preset.anchors),
                "cant_judge": str(row.get("cant_judge") or "").strip()[:60],
                "texts": texts,
            }
        )
    return out


def as_rows(criteria: list[Criterion]) -> list[dict[str, Any]]:
    """A session's custom criteria as the rows that would make them (edit form, session_input):
    anchors that are the preset's own, in any language, show as empty, as they were given."""
    rows = []
    for c in criteria:
        if not is_custom(c.key):
            continue
        preset = PRESETS.get(base_of(c))
        own = preset is None or list(c.anchors) != list(preset.anchors)
        texts = {}
        for lang, given in (c.texts or {}).items():
            t = dict(given)
            if not own and preset and t.get("anchors") == [gettext_in(lang, a) for a in preset.anchors]:
                t.pop("anchors")
            texts[lang] = t
        rows.append(
            {
                "base": base_of(c),
                "label": c.label,
                "question": c.question,
                "anchors": list(c.anchors) if own else [],
                "cant_judge": c.cant_judge,
                "texts": texts,
            }
        )
    return rows


def apply(criterion: Criterion, fields: dict[str, Any]) -> Criterion:
    for name, value in fields.items():
        setattr(criterion, name, value)
    return criterion


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [str(line).strip() for line in (value or []) if str(line).strip()]
