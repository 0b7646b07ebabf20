"""What the workbook keeps in memory while streaming: participants and current-round votes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from domain.export_data import ParticipantRow, RatingRow, SessionInfo

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
    """Current-round ratings by item: (session, skill, criterion) -> pseudonym -> value.

    The current round of each skill comes with the sessions (SessionInfo.rounds); ratings
    of superseded rounds are written to the Ratings sheet and not kept here.
    """

    def __init__(self, sessions: tuple[SessionInfo, ...]) -> None:
        self._sessions = {s.code: s for s in sessions}
        self._votes: dict[tuple[str, str, str], Votes] = {}

    def is_current(self, r: RatingRow) -> bool:
        session = self._sessions.get(r.session_code)
        return session is not None and r.round == session.current_round(r.skill_code)

    def add(self, r: RatingRow) -> None:
        if self.is_current(r):
            self._votes.setdefault((r.session_code, r.skill_code, r.criterion_key), {})[r.pseudonym] = r.value

    def final(self, session: str, skill: str, criterion: str) -> tuple[int, Votes]:
        """(current round, votes in that round); the votes are empty when nobody answered."""
        return self._sessions[session].current_round(skill), self._votes.get((session, skill, criterion), {})
