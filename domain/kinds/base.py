"""What every list-question kind provides, and the errors its answers can be refused with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from domain.errors import BadPayloadError, DomainError, UnknownItemError, ValidationError, Word


class TooManyPicksError(DomainError):
    """More items were chosen than the question allows."""

    code = "too_many_picks"


class TooFewPicksError(DomainError):
    """Fewer items were chosen than the question asks for."""

    code = "too_few_picks"


class DuplicateItemError(DomainError):
    """The same item appears twice in the answer."""

    code = "duplicate_item"


class IncompleteRankingError(DomainError):
    """Fewer items were ranked than the question asks for."""

    code = "incomplete_ranking"


class DuplicateRankError(DomainError):
    """Two items were given the same rank."""

    code = "duplicate_rank"


class OverBudgetError(DomainError):
    """More points were spent than the budget holds."""

    code = "over_budget"


@dataclass(frozen=True)
class ExportColumn:
    """One column of the person x item sheet: its header and what it means (for the Codebook)."""

    header: str
    meaning: str


class Kind(Protocol):
    """A question kind: settings, answer check, summary and export cells, in one unit."""

    name: str
    label: str
    panels: tuple[str, ...]  # the dashboard panels a session asking this kind shows
    columns: tuple[ExportColumn, ...]  # one person's cells per skill (Rankings sheet)
    summary_columns: tuple[ExportColumn, ...]  # the keys of the summary's items (Priorities sheet)

    def check_params(self, raw: Mapping[str, Any], n_items: int) -> dict[str, Any]:
        """The question's settings, cleaned; raise ValidationError with a reason people read."""
        ...

    def check_answer(self, params: Mapping[str, Any], item_ids: Sequence[int], raw: Any) -> dict[str, Any]:
        """The answer, normalised for storage; raise a DomainError with a stable code."""
        ...

    def summarize(
        self, params: Mapping[str, Any], item_ids: Sequence[int], values: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """The group's result as a plain dict: `n`, and `items` (one entry per item, best first)."""
        ...

    def cells(self, params: Mapping[str, Any], value: Mapping[str, Any] | None, item_id: int) -> list[Any]:
        """One person's cells for one item, in the order of `columns`."""
        ...

    def remap(self, value: Mapping[str, Any], ids: Mapping[int, int]) -> dict[str, Any]:
        """A stored answer with its item ids renamed (pooling sessions by skill code); others dropped."""
        ...

    def parts(self, value: Mapping[str, Any]) -> list[tuple[int, int | None]]:
        """The item ids a stored answer names, in its order, each with its number (points) or None."""
        ...


def count_param(raw: Mapping[str, Any], key: str, low: int, high: int, label: str) -> int:
    """An integer setting within [low, high], or a ValidationError naming it."""
    value = raw.get(key)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(
            "%(label)s must be a whole number from %(low)s to %(high)s.",
            label=Word(label),
            low=low,
            high=high,
        )
    return value


def item_list(raw: Any, item_ids: Sequence[int], field: str) -> list[int]:
    """A list of distinct known item ids, in the order given."""
    if not isinstance(raw, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in raw):
        raise BadPayloadError(f"{field} must be a list of skill ids.")
    known = set(item_ids)
    unknown = [i for i in raw if i not in known]
    if unknown:
        raise UnknownItemError("This session has no skill with id %(id)s.", id=unknown[0])
    if len(set(raw)) != len(raw):
        raise DuplicateItemError()
    return list(raw)


def agreement(result: Any) -> dict[str, Any]:
    """Kendall's W and its chi-square test as a plain dict (analysis.KendallResult)."""
    return {"w": result.w, "chi2": result.chi2, "df": result.df, "p": result.p_value}


def keyed_ints(raw: Any, item_ids: Sequence[int], field: str) -> dict[int, int]:
    """{"<skill id>": whole number} with known ids; JSON object keys arrive as strings."""
    if not isinstance(raw, Mapping):
        raise BadPayloadError(f"{field} must map skill ids to whole numbers.")
    known = set(item_ids)
    clean: dict[int, int] = {}
    for key, value in raw.items():
        if not (isinstance(key, str) and key.isdigit()) and not (
            isinstance(key, int) and not isinstance(key, bool)
        ):
            raise BadPayloadError(f"{field} must map skill ids to whole numbers.")
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadPayloadError(f"{field} must map skill ids to whole numbers.")
        item = int(key)
        if item not in known:
            raise UnknownItemError("This session has no skill with id %(id)s.", id=item)
        if item in clean:
            raise DuplicateItemError()
        clean[item] = value
    return clean
