"""Kinds of item list a session can review: a skills framework, a guide's sections, a questionnaire.

One registry: each kind says what its items are called, which fields an item must have, and
which field a "Suggest a better wording" answer replaces. Everything else (sessions, rounds,
ratings, exports) treats every kind alike: an item is a row with a code, a name, a short
definition, an optional cluster and, for guides, a body of a few paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemListKind:
    key: str
    label: str  # "Guide"
    noun: str  # what one item is called: "section"
    plural: str
    required: tuple[str, ...]  # item fields that must not be empty
    wording_field: str  # the field a suggested wording replaces


SKILL_FIELDS = ("code", "name", "definition", "cluster")
KINDS: dict[str, ItemListKind] = {
    kind.key: kind
    for kind in (
        ItemListKind("skills", "Skills framework", "skill", "skills", SKILL_FIELDS, "definition"),
        ItemListKind("guide", "Guide", "section", "sections", ("code", "name", "body"), "body"),
        ItemListKind("questionnaire", "Questionnaire", "item", "items", ("code", "name"), "name"),
    )
}  # fmt: skip
DEFAULT_KIND = "skills"
BODY_LIMIT = 10_000  # a guide section: a title and a few paragraphs


def kind_of(key: str | None) -> ItemListKind:
    """The kind named `key`; unknown or empty keys raise ValueError listing the known ones."""
    if not key:
        return KINDS[DEFAULT_KIND]
    try:
        return KINDS[key.strip().lower()]
    except KeyError:
        raise ValueError(f"Unknown kind of list {key!r}: use {', '.join(KINDS)}.") from None


def paragraphs(text: str) -> list[str]:
    """A body split at blank lines into paragraphs, each with its line breaks kept as spaces."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()]
