"""Frameworks: create, import, edit (a used version is copied, never changed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from domain import example_framework
from domain.errors import ValidationError
from models import Framework, FrameworkVersion, LiveSession, Skill, db

CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


@dataclass(frozen=True)
class SkillInput:
    code: str
    name: str
    definition: str
    cluster: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def check_skills(skills: Sequence[SkillInput]) -> None:
    """Raise ValidationError listing every problem with a list of skills."""
    problems: list[str] = []
    seen: set[str] = set()
    for number, skill in enumerate(skills, start=1):
        code = skill.code.strip()
        if not code or len(code) > 20 or not set(code) <= CODE_CHARS:
            problems.append(f"Skill {number}: code must be 1-20 letters, digits, '-', '_' or '.'.")
        if code.upper() in seen:
            problems.append(f"Skill {number}: code {code!r} is used twice.")
        seen.add(code.upper())
        if not skill.name.strip() or len(skill.name) > 120:
            problems.append(f"Skill {number}: name must be 1-120 characters.")
        if not skill.definition.strip() or len(skill.definition) > 1000:
            problems.append(f"Skill {number}: definition must be 1-1000 characters.")
    if not skills:
        problems.append("A framework needs at least one skill.")
    if problems:
        raise ValidationError(" ".join(problems))


def create_framework(name: str, skills: Sequence[SkillInput]) -> Framework:
    if not name.strip():
        raise ValidationError("The framework needs a name.")
    check_skills(skills)
    framework = Framework(name=name.strip()[:200])
    version = FrameworkVersion(framework=framework, number=1)
    _fill(version, skills)
    db.session.add(framework)
    db.session.commit()
    return framework


def _fill(version: FrameworkVersion, skills: Iterable[SkillInput]) -> None:
    """Set the version's skills; a skill keeping its code keeps its row.

    Replacing every row would insert a kept code's new row before deleting its old one (UNIQUE).
    """
    existing = {s.code: s for s in version.skills}
    rows = []
    for position, s in enumerate(skills):
        code = s.code.strip()
        row = existing.pop(code, None) or Skill(code=code)
        row.name, row.definition, row.cluster = s.name.strip(), s.definition.strip(), s.cluster.strip()
        row.extra, row.position = dict(s.extra), position
        rows.append(row)
    version.skills = rows


def is_version_used(version_id: int) -> bool:
    return (
        db.session.scalar(
            select(LiveSession.id).where(LiveSession.framework_version_id == version_id).limit(1)
        )
        is not None
    )


def save_skills(
    framework: Framework, skills: Sequence[SkillInput], name: str | None = None, keep_extra: bool = False
) -> FrameworkVersion:
    """Replace the latest version's skills, or add a new version when sessions used it.

    `keep_extra` carries translations and notes over by skill code (the editor does not show them).
    """
    check_skills(skills)
    if keep_extra:
        previous = {s.code: s.extra for s in framework.latest.skills}
        skills = [
            s
            if s.extra
            else SkillInput(s.code, s.name, s.definition, s.cluster, dict(previous.get(s.code.strip()) or {}))
            for s in skills
        ]
    if name is not None:
        if not name.strip():
            raise ValidationError("The framework needs a name.")
        framework.name = name.strip()[:200]
    latest = framework.latest
    if is_version_used(latest.id):
        latest = FrameworkVersion(framework=framework, number=latest.number + 1)
        db.session.add(latest)
    _fill(latest, skills)
    db.session.commit()
    return latest


def list_frameworks() -> list[Framework]:
    return list(db.session.scalars(select(Framework).order_by(Framework.name)))


def skill_inputs(version: FrameworkVersion) -> list[SkillInput]:
    return [SkillInput(s.code, s.name, s.definition, s.cluster, dict(s.extra)) for s in version.skills]


def _add_example_translations(framework: Framework) -> None:
    """An example framework made before it shipped translations gets them: only for skills whose
    English text is still the shipped one, and only translations it does not have yet."""
    shipped = {code: (name, definition) for code, name, _cluster, definition in example_framework.SKILLS}
    changed = False
    for skill in framework.latest.skills:
        if shipped.get(skill.code) != (skill.name, skill.definition):
            continue
        extra = dict(skill.extra or {})
        for key, value in example_framework.extra_for(skill.code).items():
            if not extra.get(key):
                extra[key], changed = value, True
        skill.extra = extra
    if changed:
        db.session.commit()


def ensure_example_framework() -> Framework:
    """Create the shipped example framework once; return it on later calls."""
    existing = db.session.scalar(select(Framework).where(Framework.name == example_framework.NAME))
    if existing:
        _add_example_translations(existing)
        return existing
    skills = [
        SkillInput(code, name, definition, cluster, example_framework.extra_for(code))
        for code, name, cluster, definition in example_framework.SKILLS
    ]
    return create_framework(example_framework.NAME, skills)


def translation_languages(version: FrameworkVersion) -> list[str]:
    """The shipped languages (but English, the framework's own) and any other the skills carry."""
    from core.i18n import LANGUAGES, SOURCE, skill_texts

    found = {lang for s in version.skills for lang in skill_texts(s.extra)}
    return [lang for lang in LANGUAGES if lang != SOURCE] + sorted(found - set(LANGUAGES))


def translation_status(version: FrameworkVersion) -> list[tuple[str, int, int]]:
    """(language, skills with both name and definition in it, skills) per language."""
    from core.i18n import skill_texts

    total = len(version.skills)
    out = []
    for lang in translation_languages(version):
        done = sum(
            1 for s in version.skills
            if (t := skill_texts(s.extra).get(lang)) and t.get("name") and t.get("definition")
        )
        out.append((lang, done, total))
    return out


def save_translations(framework: Framework, lang: str, texts: dict[str, tuple[str, str]]) -> FrameworkVersion:
    """Set one language's name and definition per skill code (empty removes it); like any change of
    the skills, a version that sessions used is kept and a new one made."""
    lang = lang.strip().lower()
    if not (2 <= len(lang) <= 8 and lang.replace("-", "").isalpha()):
        raise ValidationError("A language code is 2 to 8 letters, e.g. pl.")
    skills = []
    for s in skill_inputs(framework.latest):
        extra = dict(s.extra)
        name, definition = texts.get(s.code, ("", ""))
        for key, value, limit in ((f"name_{lang}", name, 120), (f"definition_{lang}", definition, 1000)):
            value = (value or "").strip()
            if len(value) > limit:
                raise ValidationError(f"{s.code}: a translation is longer than {limit} characters.")
            if value:
                extra[key] = value
            else:
                extra.pop(key, None)
        skills.append(SkillInput(s.code, s.name, s.definition, s.cluster, extra))
    if skills == skill_inputs(framework.latest):
        return framework.latest
    return save_skills(framework, skills)
