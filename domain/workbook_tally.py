"""What the workbook keeps in memory while streaming: participants and current-round votes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from domain.export_data import ParticipantRow, RatingRow, SessionInfo

Votes = dict[str, int | None]  # pseudonym -> value (None = can't judge)


OTHER = "other (<3)"  # a profile answer held by fewer than 3 participants of the session
MIN_HOLDERS = 3


def fold_rare(counts: Mapping[str, int], min_holders: int = MIN_HOLDERS) -> set[str]:
    """The answers to show as OTHER: those held by fewer than `min_holders` people, plus,
    while the OTHER group is non-empty but smaller than `min_holders`, the next least
    common answer (ties: alphabetical), so that OTHER never points at one or two people."""
    folded = {a for a, n in counts.items() if n < min_holders}

    def small() -> bool:
        return 0 < sum(counts[a] for a in folded) < min_holders and len(folded) < len(counts)

    while small():
        folded.add(min((a for a in counts if a not in folded), key=lambda a: (counts[a], a)))
    return folded


def fold_jointly(
    profiles: Mapping[str, Mapping[str, str]], folded: Mapping[str, set[str]], min_holders: int = MIN_HOLDERS
) -> None:
    """Fold more answers (in `folded`: question -> answers shown as OTHER) until every
    combination of shown answers is held by at least `min_holders` people or by none.

    Each question alone may be safe while two together single someone out (the only
    industry participant from Finland). While a combination is held by one or two people,
    the least common answer they still show (fewest holders; ties: question, then answer,
    alphabetically) is folded for the whole session, with fold_rare's rule that OTHER never
    points at one or two people; when they show nothing left to fold, the least common
    answer of anyone is. An unanswered question ("") counts as an answer: a blank can single
    someone out too. Every step folds at least one answer, so it ends (at worst everything
    reads OTHER and the session is one group).
    """
    keys = sorted(folded)

    def shown(profile: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(OTHER if profile.get(k, "") in folded[k] else profile.get(k, "") for k in keys)

    def holders() -> dict[tuple[str, str], int]:
        counts: Counter[tuple[str, str]] = Counter()
        for profile in profiles.values():
            for k, answer in zip(keys, shown(profile), strict=True):
                if answer != OTHER:
                    counts[(k, answer)] += 1
        return counts

    while True:
        groups = Counter(shown(p) for p in profiles.values())
        small = sorted(combo for combo, n in groups.items() if n < min_holders)
        counts = holders()
        if not small or not counts:
            return
        theirs = [(k, a) for k, a in zip(keys, small[0], strict=True) if a != OTHER]
        k, answer = min(theirs or counts, key=lambda ka: (counts[ka], ka))
        folded[k].add(answer)
        per_answer = Counter(profile.get(k, "") for profile in profiles.values())
        folded[k] |= fold_rare(
            {a: n for a, n in per_answer.items() if a not in folded[k]}
            | {OTHER: sum(per_answer[a] for a in folded[k])},
            min_holders,
        ) - {OTHER}


class People:
    """Participants by session, with their profile answers as the export shows them.

    With `protect` (the default export) an answer held by fewer than 3 participants of the
    session reads OTHER everywhere (fold_rare); call seal() once every participant is added.
    """

    def __init__(self, protect: bool = True) -> None:
        self.protect = protect
        self._profiles: dict[str, dict[str, Mapping[str, str]]] = defaultdict(dict)
        self._answers: Counter[tuple[str, str, str]] = Counter()
        self.folded: Counter[tuple[str, str]] = Counter()  # (session, key) -> people shown OTHER

    def add(self, p: ParticipantRow) -> None:
        self._profiles[p.session_code][p.pseudonym] = p.profile
        for key, answer in p.profile.items():
            self._answers[(p.session_code, key, answer)] += 1

    def seal(self) -> None:
        """Replace rare answers by OTHER (when protecting) and recount."""
        if not self.protect:
            return
        by_question: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        for (session, key, answer), n in self._answers.items():
            if answer:
                by_question[(session, key)][answer] = n
        rare = {q: fold_rare(counts) for q, counts in by_question.items()}
        self._answers = Counter()
        for session, profiles in self._profiles.items():
            keys = sorted({key for profile in profiles.values() for key in profile})
            own = {key: rare.setdefault((session, key), set()) for key in keys}
            fold_jointly(profiles, own)
            for pseudonym, profile in profiles.items():
                shown = {key: OTHER if profile.get(key, "") in own[key] else profile.get(key, "")
                         for key in keys}  # fmt: skip
                profiles[pseudonym] = shown
                for key, answer in shown.items():
                    self._answers[(session, key, answer)] += 1
                    if answer == OTHER:
                        self.folded[(session, key)] += 1

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
        self._rounds: dict[tuple[str, str, str], dict[int, Votes]] = {}

    def is_current(self, r: RatingRow) -> bool:
        session = self._sessions.get(r.session_code)
        return session is not None and r.round == session.current_round(r.skill_code)

    def add(self, r: RatingRow) -> None:
        key = (r.session_code, r.skill_code, r.criterion_key)
        if self.is_current(r):
            self._votes.setdefault(key, {})[r.pseudonym] = r.value
        session = self._sessions.get(r.session_code)
        if session is not None and session.current_round(r.skill_code) > 1:  # re-voted: keep every round
            self._rounds.setdefault(key, {}).setdefault(r.round, {})[r.pseudonym] = r.value

    def rounds(self, session: str, skill: str, criterion: str) -> dict[int, Votes]:
        """Every round of a re-voted item (round -> votes), empty for an item voted once."""
        return self._rounds.get((session, skill, criterion), {})

    def final(self, session: str, skill: str, criterion: str) -> tuple[int, Votes]:
        """(current round, votes in that round); the votes are empty when nobody answered."""
        return self._sessions[session].current_round(skill), self._votes.get((session, skill, criterion), {})
