"""What the workbook keeps in memory while streaming: participants and final-round votes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from domain.export_data import ParticipantRow, RatingRow

Votes = dict[str, int | None]  # pseudonym -> value (None = can't judge)


class People:
    """Participants by session, with their profile answers."""

    def __init__(self) -> None:
        self._profiles: dict[str, dict[str, Mapping[str, str]]] = defaultdict(dict)
        self._answers: Counter[tuple[str, str, str]] = Counter()

    def add(self, p: ParticipantRow) -> None:
        self._profiles[p.session_code][p.pseudonym] = p.profile
        for key, answer in p.profile.items():
            self._answers[(p.session_code, key, answer)] += 1

    def pseudonyms(self, session: str) -> list[str]:
        return list(self._profiles.get(session, {}))

    def profile(self, session: str, pseudonym: str) -> Mapping[str, str]:
        return self._profiles.get(session, {}).get(pseudonym, {})

    def count(self, session: str, key: str | None = None, answer: str | None = None) -> int:
        """Participants of a session, or those of them who gave `answer` to question `key`."""
        if key is None:
            return len(self._profiles.get(session, {}))
        return self._answers[(session, key, answer or "")]


class Tally:
    """Ratings by item: (session, skill, criterion) -> (pseudonym, round) -> value."""

    def __init__(self) -> None:
        self._votes: dict[tuple[str, str, str], dict[tuple[str, int], int | None]] = {}
        self._finals: dict[tuple[str, str, str], tuple[int | None, Votes]] = {}

    def add(self, r: RatingRow) -> None:
        item = (r.session_code, r.skill_code, r.criterion_key)
        self._votes.setdefault(item, {})[(r.pseudonym, r.round)] = r.value

    def final(self, session: str, skill: str, criterion: str) -> tuple[int | None, Votes]:
        """(final round, votes in that round); (None, {}) when nobody rated the item."""
        item = (session, skill, criterion)
        if item not in self._finals:
            votes = self._votes.get(item, {})
            last = max((round_ for _, round_ in votes), default=None)
            self._finals[item] = (last, {p: v for (p, r), v in votes.items() if r == last})
        return self._finals[item]
