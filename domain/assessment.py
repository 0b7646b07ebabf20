"""Self-assessment questions, their anchors, answer checks and the personal profile."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from domain.errors import DomainError
from domain.joincode import ALPHABET

SCALE = (1, 2, 3, 4, 5)
LANG_MARK = "@"  # anchors stored for one language: {"mastery": {"COM@pl": [...], "*@pl": [...]}}


def N_(message: str) -> str:
    """Marks a text for the catalogs; services translate the built-in questions where shown."""
    return message


RESUME_LENGTH = 10  # 23^10, about 4e13 codes: not guessable through a web form


@dataclass(frozen=True)
class AssessmentQuestion:
    """A question asked about every skill, on a 1-5 scale with one anchor per level."""

    key: str
    label: str
    prompt: str
    anchors: tuple[str, ...]


QUESTIONS: dict[str, AssessmentQuestion] = {
    q.key: q
    for q in (
        AssessmentQuestion(
            "mastery",
            N_("Mastery"),
            N_("How well do I master it?"),
            (
                N_("I do not yet know how to do this"),
                N_("I can do it with help or guidance"),
                N_("I can do it on my own in familiar situations"),
                N_("I do it well, also in new or difficult situations"),
                N_("I do it expertly and can teach or coach others"),
            ),
        ),
        AssessmentQuestion(
            "use",
            N_("Use"),
            N_("How often do I use it in my work?"),
            (
                N_("Never"),
                N_("Rarely, a few times a year"),
                N_("Sometimes, about monthly"),
                N_("Often, about weekly"),
                N_("Constantly, almost every day"),
            ),
        ),
        AssessmentQuestion(
            "importance",
            N_("Importance"),
            N_("How important is it in my role?"),
            (
                N_("Not important"),
                N_("Slightly important"),
                N_("Moderately important"),
                N_("Very important"),
                N_("Essential"),
            ),
        ),
    )
}
REQUIRED = ("mastery", "use")


class AssessmentNotFoundError(DomainError):
    """No self-assessment has this code."""

    code = "assessment_not_found"
    http_status = 404


class AssessmentClosedError(DomainError):
    """This self-assessment is not open for answers."""

    code = "assessment_closed"
    http_status = 409


class AssessmentFrozenError(DomainError):
    """This self-assessment has been answered; publish a new version to change its questions."""

    code = "assessment_frozen"
    http_status = 409


class UnknownResumeCodeError(DomainError):
    """No self-assessment has this personal code. Check it and try again."""

    code = "unknown_resume_code"
    http_status = 404


class InvalidAnswerError(DomainError):
    """That answer is not on the question's scale."""

    code = "invalid_answer"


def asked_questions(include_importance: bool) -> tuple[AssessmentQuestion, ...]:
    keys = (*REQUIRED, "importance") if include_importance else REQUIRED
    return tuple(QUESTIONS[k] for k in keys)


def anchor_scope(skill_code: str, lang: str | None = None) -> str:
    """Where one skill's (or, with "*", the publication's) anchors in one language are stored."""
    return f"{skill_code}{LANG_MARK}{lang}" if lang else skill_code


def anchors_for(
    question: str,
    skill_code: str,
    overrides: Mapping[str, Mapping[str, Sequence[str]]],
    lang: str | None = None,
) -> tuple[str, ...]:
    """The anchors of one question for one skill: the skill's own, else the publication's, else
    ours; at each level the `lang` version first. Ours are the English catalog texts (QUESTIONS),
    which the caller translates."""
    mine = overrides.get(question, {})
    for scope in (skill_code, "*"):
        chosen = (mine.get(anchor_scope(scope, lang)) if lang else None) or mine.get(scope)
        if chosen:
            return tuple(chosen)
    return QUESTIONS[question].anchors


def parse_anchor_lines(text: str) -> list[str] | None:
    """Five non-empty lines, one per level; empty text means "use the default"."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    if len(lines) != len(SCALE):
        raise DomainError(
            "Give exactly %(n)s anchors, one per line (got %(got)s).", n=len(SCALE), got=len(lines)
        )
    return lines


def parse_links(text: str) -> list[dict[str, str]]:
    """Lines "label | https://..." (or a bare address) as links; other schemes are refused."""
    links = []
    for line in text.splitlines():
        if not line.strip():
            continue
        label, _, url = line.rpartition("|") if "|" in line else ("", "", line)
        url = url.strip()
        if not url.startswith(("https://", "http://")):
            raise DomainError("A link must start with https:// or http:// (%(url)s).", url=url[:60])
        links.append({"label": label.strip() or url, "url": url})
    return links


def check_answer(question: str, value: object, asked: Sequence[str]) -> int:
    """The answer as an int on the 1-5 scale, or InvalidAnswerError."""
    if question not in asked:
        raise InvalidAnswerError("This question is not asked in this self-assessment.")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidAnswerError()
    try:
        number = int(value)
    except ValueError:
        raise InvalidAnswerError() from None
    if number not in SCALE:
        raise InvalidAnswerError()
    return number


def new_resume_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RESUME_LENGTH))


def normalize_resume_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def format_resume_code(code: str) -> str:
    """Shown in groups of five so that it can be copied by hand."""
    return f"{code[:5]}-{code[5:]}"


def hash_resume_code(code: str) -> str:
    """Only the hash is stored: a database leak does not hand out anyone's profile."""
    return hashlib.sha256(normalize_resume_code(code).encode()).hexdigest()


@dataclass(frozen=True)
class SkillRef:
    code: str
    name: str
    cluster: str
    guidance: str = ""
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SkillScore:
    skill: SkillRef
    values: dict[str, int | None]
    previous: dict[str, int | None] = field(default_factory=dict)

    def change(self, question: str) -> int | None:
        now, before = self.values.get(question), self.previous.get(question)
        return None if now is None or before is None else now - before

    @property
    def gap(self) -> int | None:
        """Importance minus mastery (or, without importance, use minus mastery)."""
        mastery = self.values.get("mastery")
        target = self.values.get("importance", self.values.get("use"))
        return None if mastery is None or target is None else target - mastery


@dataclass(frozen=True)
class ClusterScore:
    name: str
    means: dict[str, float | None]
    previous: dict[str, float | None]


@dataclass(frozen=True)
class Profile:
    questions: tuple[AssessmentQuestion, ...]
    skills: tuple[SkillScore, ...]
    clusters: tuple[ClusterScore, ...]
    strengths: tuple[SkillScore, ...]
    development: tuple[SkillScore, ...]
    has_previous: bool

    def grouped(self) -> list[tuple[str, list[SkillScore]]]:
        """Skills grouped by cluster, clusters in the order they first appear."""
        groups: dict[str, list[SkillScore]] = {}
        for score in self.skills:
            groups.setdefault(score.skill.cluster, []).append(score)
        return list(groups.items())


def _mean(values: Sequence[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None


def build_profile(
    questions: Sequence[AssessmentQuestion],
    skills: Sequence[SkillRef],
    answers: Mapping[tuple[str, str], int],
    previous: Mapping[tuple[str, str], int] | None = None,
) -> Profile:
    """One person's profile from their answers keyed by (skill code, question key).

    Strengths: mastery 4 or 5, highest first. Development areas: skills whose importance
    (or, when importance is not asked, use) exceeds mastery by at least one level, largest
    gap first, then by importance: "important but less mastered".
    """
    keys = [q.key for q in questions]
    before = previous or {}
    scores = tuple(
        SkillScore(
            skill,
            {k: answers.get((skill.code, k)) for k in keys},
            {k: before.get((skill.code, k)) for k in keys} if before else {},
        )
        for skill in skills
    )
    clusters = []
    for name in dict.fromkeys(s.cluster for s in skills if s.cluster):
        mine = [s for s in scores if s.skill.cluster == name]
        clusters.append(
            ClusterScore(
                name,
                {k: _mean([s.values[k] for s in mine]) for k in keys},
                {k: _mean([s.previous.get(k) for s in mine]) for k in keys} if before else {},
            )
        )
    strengths = sorted(
        (s for s in scores if (s.values.get("mastery") or 0) >= 4),
        key=lambda s: (-(s.values["mastery"] or 0), -(s.values.get("use") or 0)),
    )
    development = sorted(
        (s for s in scores if s.gap is not None and s.gap >= 1),
        key=lambda s: (-(s.gap or 0), -(s.values.get("importance") or s.values.get("use") or 0)),
    )
    return Profile(
        tuple(questions), scores, tuple(clusters), tuple(strengths), tuple(development), bool(before)
    )
