"""Question kinds over a whole item list, registered in one place (see STYLE: one house)."""

from __future__ import annotations

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
        raise ValidationError(f"Unknown question kind {name!r}.") from None


def kind_names() -> list[str]:
    return list(KINDS)
