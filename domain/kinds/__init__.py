"""Question kinds over a whole item list, registered in one place (see STYLE: one house)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import ValidationError
from domain.kinds.base import Kind
from domain.kinds.pick import Pick
from domain.kinds.points import Points
from domain.kinds.rank import Rank

KINDS: dict[str, Kind] = {kind.name: kind for kind in (Pick(), Rank(), Points())}


def get_kind(name: str) -> Kind:
    """The registered kind called `name`; a ValidationError for anything else."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError("Unknown question kind %(kind)r.", kind=name) from None


# Criteria rated per item (the first kind of question): the item list with its answer counts, the
# selected item's results, comments, and Delphi rounds.
RATING_PANELS = ("items", "detail", "comments", "rounds")


def dashboard_panels(has_criteria: bool, kinds: Iterable[str]) -> frozenset[str]:
    """The dashboard panels that apply to what a session asks: each list question kind's own, and
    the rating panels unless it asks list questions only (a pick-only workshop shows none)."""
    kinds = list(kinds)
    panels = set(RATING_PANELS if has_criteria or not kinds else ())
    for name in kinds:
        panels.update(get_kind(name).panels)
    return frozenset(panels)


def kind_names() -> list[str]:
    return list(KINDS)
