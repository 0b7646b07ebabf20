"""Frameworks: create, import, edit (a used version is copied, never changed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from domain import example_framework
from domain.errors import NotAuthorizedError, ValidationError
from models import Framework, FrameworkVersion, LiveSession, Role, Skill, User, db

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


def create_framework(
    name: str, skills: Sequence[SkillInput], owner: User | None = None, shared: bool = False
) -> Framework:
    """A new framework; `owner` None is one nobody owns (coordinators and admins manage it)."""
    if not name.strip():
        raise ValidationError("The framework needs a name.")
    check_skills(skills)
    framework = Framework(name=name.strip()[:200], owner=owner, shared=shared or owner is None)
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


def list_frameworks(user: User | None = None) -> list[Framework]:
    """Every framework, or those `user` may use: their own, shared ones, all for coordinators and admins."""
    query = select(Framework).order_by(Framework.name)
    if user is not None and not manages_all(user):
        query = query.where((Framework.owner_id == user.id) | Framework.shared | Framework.owner_id.is_(None))
    return list(db.session.scalars(query))


# Who may do what ----------------------------------------------------------------------------


def manages_all(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def may_manage(user: User, framework: Framework) -> bool:
    """Change, replace, rename or (un)share: the owner, coordinators and admins."""
    return manages_all(user) or (framework.owner_id is not None and framework.owner_id == user.id)


def may_use(user: User, framework: Framework) -> bool:
    """See, export, and base sessions and self-assessments on it: managers, or anyone once shared."""
    return may_manage(user, framework) or framework.shared or framework.owner_id is None


def check_use(user: User, framework: Framework) -> Framework:
    if not may_use(user, framework):
        raise NotAuthorizedError("This framework belongs to another facilitator, who has not shared it.")
    return framework


def check_manage(user: User, framework: Framework) -> Framework:
    if not may_manage(user, framework):
        raise NotAuthorizedError(
            "Only this framework's owner, a coordinator or an administrator may change it."
        )
    return framework


def set_shared(user: User, framework: Framework, shared: bool) -> None:
    check_manage(user, framework)
    framework.shared = shared
    db.session.commit()


def skill_inputs(version: FrameworkVersion) -> list[SkillInput]:
    return [SkillInput(s.code, s.name, s.definition, s.cluster, dict(s.extra)) for s in version.skills]


def ensure_example_framework() -> Framework:
    """Create the shipped example framework once; return it on later calls."""
    existing = db.session.scalar(select(Framework).where(Framework.name == example_framework.NAME))
    if existing:
        return existing
    skills = [
        SkillInput(code, name, definition, cluster)
        for code, name, cluster, definition in example_framework.SKILLS
    ]
    return create_framework(example_framework.NAME, skills)
