"""Texts the statistics engine writes for people, translatable at the edge.

analysis/ imports no Flask, so it cannot look up a catalog. Its texts are English strings (what a
notebook, the CLI and the workbook read) that also carry their message id and parameters: an
edge that speaks another language translates them (core/i18n.py translate_text; the dashboard's
script through `as_data`). Numbers inside stay numbers (`Num`) so that the edge writes them the
reader's way (0,85 in Italian).
"""

from __future__ import annotations

from typing import Any


class Num(float):
    """A number in a text, with the format it is written in ("g", ".2f", ".0%")."""

    spec: str

    def __new__(cls, value: float, spec: str = "g") -> Num:
        self = super().__new__(cls, value)
        self.spec = spec
        return self

    def __str__(self) -> str:
        value = float(self)
        if value.is_integer() and self.spec == ",":  # a count: 200,000, not 200,000.0
            return format(int(value), ",")
        return format(value, self.spec)


class Text(str):
    """English text built from a message id and its parameters, which it keeps."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any]) -> Text:
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params = msgid, params
        return self

    def __getnewargs__(self) -> tuple[str, dict[str, Any]]:  # type: ignore[override]
        return self.msgid, self.params  # copies and pickles rebuild the text, not just its English


def N_(msgid: str, **params: Any) -> Text:
    """A translatable text (found by `pybabel extract -k N_`)."""
    return Text(msgid, params)


def as_data(value: Any) -> Any:
    """JSON for a script that translates with the page's catalog: {"msgid", "params"} for a
    text, {"num", "spec"} for a number in one, the value itself otherwise."""
    if isinstance(value, Text):
        return {"msgid": value.msgid, "params": {k: as_data(v) for k, v in value.params.items()}}
    if isinstance(value, Num):
        return {"num": float(value), "spec": value.spec}
    return value


# What each measure is called inside a sentence ("relevance: no consensus (...)").
MEASURE_NAMES = {
    "relevance": N_("relevance"),
    "importance": N_("importance"),
    "clarity": N_("clarity"),
    "essentiality": N_("essentiality"),
    "appropriateness": N_("appropriateness"),
}


def measure_name(measure: str) -> Text | str:
    return MEASURE_NAMES.get(str(measure), str(measure))
