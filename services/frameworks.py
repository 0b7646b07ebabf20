"""Item lists (frameworks of skills, guides, questionnaires): create, import, edit.

A used version is copied, never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from domain import example_framework
from domain.errors import NotAuthorizedError, ValidationError
from domain.item_lists import BODY_LIMIT, ItemListKind, kind_of
from models import Framework, FrameworkVersion, LiveSession, Role, Skill, User, db

CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


@dataclass(frozen=True)
class SkillInput:
    code: str
    name: str
    definition: str
    cluster: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # a guide section's paragraphs


def _kind(key: str | None) -> ItemListKind:
    try:
        return kind_of(key)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def check_skills(skills: Sequence[SkillInput], kind: str | None = None) -> None:
    """Raise ValidationError listing every problem with a list of items of this kind, in the
    reader's language."""
    spec = _kind(kind)
    problems: list[str] = []
    seen: set[str] = set()
    for number, skill in enumerate(skills, start=1):
        item = _("%(noun)s %(num)s", noun=_(spec.noun).capitalize(), num=number)
        code = skill.code.strip()
        if not code or len(code) > 20 or not set(code) <= CODE_CHARS:
            problems.append(_("%(item)s: the code must be 1-20 letters, digits, '-', '_' or '.'.", item=item))
        if code.upper() in seen:
            problems.append(_("%(item)s: the code %(code)s is used twice.", item=item, code=repr(code)))
        seen.add(code.upper())
        if not skill.name.strip() or len(skill.name) > 120:
            problems.append(_("%(item)s: the name must be 1-120 characters.", item=item))
        needs = "definition" in spec.required
        if (needs and not skill.definition.strip()) or len(skill.definition) > 1000:
            problems.append(
                _("%(item)s: the definition must be 1-1000 characters.", item=item)
                if needs
                else _("%(item)s: the definition may have at most 1000 characters.", item=item)
            )
        if ("body" in spec.required and not skill.body.strip()) or len(skill.body) > BODY_LIMIT:
            problems.append(
                _("%(item)s: the text must be 1-%(limit)s characters.", item=item, limit=BODY_LIMIT)
            )
    if not skills:
        problems.append(_("%(list)s: add at least one item.", list=_(spec.label)))
    if problems:
        raise ValidationError(" ".join(problems))


def create_framework(
    name: str,
    skills: Sequence[SkillInput],
    kind: str | None = None,
    owner: User | None = None,
    shared: bool = False,
) -> Framework:
    """A new framework; `owner` None is one nobody owns (coordinators and admins manage it)."""
    if not name.strip():
        raise ValidationError(_("The framework needs a name."))
    spec = _kind(kind)
    check_skills(skills, spec.key)
    framework = Framework(name=name.strip()[:200], kind=spec.key, owner=owner, shared=shared or owner is None)
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
        row.body = s.body.strip()
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

    `keep_extra` carries translations, notes and a guide's texts over by item code (the editor
    does not show them).
    """
    if keep_extra:
        previous = {s.code: s for s in framework.latest.skills}
        skills = [_carried(s, previous.get(s.code.strip())) for s in skills]
    check_skills(skills, framework.kind)
    if name is not None:
        if not name.strip():
            raise ValidationError(_("The framework needs a name."))
        framework.name = name.strip()[:200]
    latest = framework.latest
    if is_version_used(latest.id):
        latest = FrameworkVersion(framework=framework, number=latest.number + 1)
        db.session.add(latest)
    _fill(latest, skills)
    db.session.commit()
    return latest


def _carried(item: SkillInput, before: Skill | None) -> SkillInput:
    if before is None:
        return item
    extra = item.extra or dict(before.extra or {})
    return SkillInput(item.code, item.name, item.definition, item.cluster, extra, item.body or before.body)


def replace_field(item: SkillInput, name: str, value: str) -> SkillInput:
    """The item with one of its texts (name, definition, body) replaced."""
    texts = {"name": item.name, "definition": item.definition, "body": item.body, name: value}
    return SkillInput(
        item.code, texts["name"], texts["definition"], item.cluster, dict(item.extra), texts["body"]
    )


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
        raise NotAuthorizedError(_("This framework belongs to another facilitator, who has not shared it."))
    return framework


def check_manage(user: User, framework: Framework) -> Framework:
    if not may_manage(user, framework):
        raise NotAuthorizedError(
            _("Only this framework's owner, a coordinator or an administrator may change it.")
        )
    return framework


def set_shared(user: User, framework: Framework, shared: bool) -> None:
    check_manage(user, framework)
    framework.shared = shared
    db.session.commit()


def skill_inputs(version: FrameworkVersion) -> list[SkillInput]:
    return [
        SkillInput(s.code, s.name, s.definition, s.cluster, dict(s.extra), s.body) for s in version.skills
    ]


def _add_example_translations(framework: Framework) -> None:
    shipped = {code: (name, definition) for code, name, _cluster, definition in example_framework.SKILLS}
    extra_for = example_framework.extra_for
    add_shipped_translations(framework, shipped, lambda s: (s.name, s.definition), extra_for)


def add_shipped_translations(
    framework: Framework,
    shipped: Mapping[str, tuple[str, ...]],
    texts: Callable[[Skill], tuple[str, ...]],
    extra_for: Callable[[str], dict[str, str]],
) -> None:
    """A shipped example made before it shipped translations gets them: only for items whose
    English `texts` are still the `shipped` ones, and only translations it does not have yet."""
    changed = False
    for skill in framework.latest.skills:
        if shipped.get(skill.code) != texts(skill):
            continue
        extra = dict(skill.extra or {})
        for key, value in extra_for(skill.code).items():
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
            1
            for s in version.skills
            if (t := skill_texts(s.extra).get(lang)) and t.get("name") and t.get("definition")
        )
        out.append((lang, done, total))
    return out


def save_translations(
    framework: Framework,
    lang: str,
    texts: dict[str, tuple[str, str]],
    clusters: dict[str, str] | None = None,
) -> FrameworkVersion:
    """Set one language's name and definition per skill code and, given `clusters`, each cluster's
    name (empty removes it); like any change of the skills, a version that sessions used is kept
    and a new one made."""
    lang = lang.strip().lower()
    if not (2 <= len(lang) <= 8 and lang.replace("-", "").isalpha()):
        raise ValidationError(_("A language code is 2 to 8 letters, e.g. pl."))
    skills = []
    for s in skill_inputs(framework.latest):
        extra = dict(s.extra)
        name, definition = texts.get(s.code, ("", ""))
        fields = [(f"name_{lang}", name, 120), (f"definition_{lang}", definition, 1000)]
        if clusters is not None and s.cluster:
            fields.append((f"cluster_{lang}", clusters.get(s.cluster, ""), 120))
        for key, value, limit in fields:
            value = (value or "").strip()
            if len(value) > limit:
                raise ValidationError(
                    _("%(code)s: a translation is longer than %(num)s characters.", code=s.code, num=limit)
                )
            if value:
                extra[key] = value
            else:
                extra.pop(key, None)
        skills.append(SkillInput(s.code, s.name, s.definition, s.cluster, extra))
    if skills == skill_inputs(framework.latest):
        return framework.latest
    return save_skills(framework, skills)
