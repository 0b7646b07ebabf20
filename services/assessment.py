"""Publishing self-assessments: create, edit until answered, open, close, new version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from domain import built_in_words
from domain.assessment import (
    QUESTIONS,
    AssessmentFrozenError,
    AssessmentNotFoundError,
    AssessmentQuestion,
    SkillRef,
    anchor_scope,
    anchors_for,
    asked_questions,
)
from domain.errors import InvalidStateError, NotAuthorizedError, ValidationError
from domain.joincode import generate_code, normalize_code
from models import (
    Assessment,
    AssessmentAnswer,
    AssessmentRespondent,
    AssessmentState,
    Framework,
    Role,
    Skill,
    User,
    db,
)
from services import frameworks, session_texts


@dataclass
class AssessmentInput:
    title: str
    framework_id: int
    intro: str = ""
    include_importance: bool = True
    profile_questions: list[dict[str, Any]] = field(default_factory=session_texts.default_assessment_profile)
    default_anchors: dict[str, list[str]] = field(default_factory=dict)  # question -> five anchors


def get_assessment(code: str) -> Assessment:
    found = db.session.scalar(select(Assessment).where(Assessment.code == normalize_code(code)))
    if found is None:
        raise AssessmentNotFoundError()
    return found


def get_assessment_for(user: User, code: str) -> Assessment:
    """A publication its owner (or an admin or coordinator) may manage."""
    found = get_assessment(code)
    if found.owner_id != user.id and user.role not in (Role.ADMIN, Role.COORDINATOR):
        raise NotAuthorizedError("This self-assessment belongs to someone else.")
    return found


def list_assessments(user: User) -> list[Assessment]:
    query = select(Assessment).order_by(Assessment.created_at.desc())
    if user.role is Role.FACILITATOR:
        query = query.where(Assessment.owner_id == user.id)
    return list(db.session.scalars(query))


def respondent_count(assessment: Assessment) -> int:
    query = select(func.count()).where(AssessmentRespondent.assessment_id == assessment.id)
    return int(db.session.scalar(query) or 0)


def is_frozen(assessment: Assessment) -> bool:
    """Answered once, its questions stay as they were: compare like with like."""
    answered = exists().where(
        AssessmentAnswer.respondent_id == AssessmentRespondent.id,
        AssessmentRespondent.assessment_id == assessment.id,
    )
    return bool(db.session.scalar(select(answered)))


def questions(assessment: Assessment) -> tuple[AssessmentQuestion, ...]:
    return asked_questions(assessment.include_importance)


@dataclass(frozen=True)
class ShownSkill:
    """A skill as one respondent reads it: the framework's translation into `lang` where it has
    one (name, definition and cluster each), else the framework's own text."""

    code: str
    name: str
    definition: str
    cluster: str
    lang: str  # the language of the name: `lang` or "en" (the framework's own)


def shown_skill(skill: Skill, lang: str | None = None) -> ShownSkill:
    from core.i18n import SOURCE, skill_texts

    texts = skill_texts(skill.extra).get(lang or "", {}) if lang and lang != SOURCE else {}
    return ShownSkill(
        skill.code,
        texts.get("name") or skill.name,
        texts.get("definition") or skill.definition,
        texts.get("cluster") or skill.cluster,
        lang if lang and texts.get("name") else SOURCE,
    )


def skill_refs(assessment: Assessment, lang: str | None = None) -> list[SkillRef]:
    """The framework version's skills with the coordinator's "how to develop it"; names,
    clusters and advice in `lang` where the framework or the coordinator has them."""
    refs = []
    for skill in assessment.framework_version.skills:
        text, links = guidance_in(assessment, skill.code, lang)
        shown = shown_skill(skill, lang)
        refs.append(SkillRef(skill.code, shown.name, shown.cluster, text, links))
    return refs


def guidance_in(
    assessment: Assessment, skill_code: str, lang: str | None = None
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A skill's "how to develop it" text and links in `lang`: the coordinator's translation
    ("text@pl", "links@pl"), else their own text (each of the two on its own)."""
    advice = assessment.guidance.get(skill_code, {})
    text = (advice.get(f"text@{lang}") if lang else "") or advice.get("text", "")
    links = (advice.get(f"links@{lang}") if lang else None) or advice.get("links", [])
    return text, tuple((link["label"], link["url"]) for link in links)


def anchors(assessment: Assessment, skill: Skill, question: str, lang: str | None = None) -> tuple[str, ...]:
    """One question's anchors for one skill in `lang`: the coordinator's for that language, else
    their own, else the built-in ones from the catalog."""
    from core.i18n import SOURCE, gettext_in

    found = anchors_for(question, skill.code, assessment.anchors, lang)
    if not lang or lang == SOURCE or found != QUESTIONS[question].anchors:
        return found
    return tuple(gettext_in(lang, a) for a in found)


def _check(data: AssessmentInput) -> Framework:
    if not data.title.strip():
        raise ValidationError("Give the self-assessment a title.")
    framework = db.session.get(Framework, data.framework_id)
    if framework is None or not framework.versions or not framework.latest.skills:
        raise ValidationError("Choose a framework that has skills.")
    return framework


def _default_anchors(data: AssessmentInput) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, lines in data.default_anchors.items():
        if key in QUESTIONS and lines and list(lines) != list(QUESTIONS[key].anchors):
            result[key] = {"*": list(lines)}
    return result


def create_assessment(owner: User, data: AssessmentInput) -> Assessment:
    """A draft publication of the framework's latest version, with a fresh short code."""
    framework = _check(data)
    frameworks.check_use(owner, framework)
    for _attempt in range(10):
        assessment = Assessment(
            code=generate_code(),
            title=data.title.strip(),
            intro=data.intro.strip(),
            owner=owner,
            framework_version=framework.latest,
            include_importance=data.include_importance,
            anchors=_default_anchors(data),
            profile_questions=session_texts.clean_profile(
                data.profile_questions, session_texts.default_assessment_profile()
            ),
            guidance={},
        )
        db.session.add(assessment)
        try:
            db.session.commit()
        except IntegrityError:  # code taken: draw another
            db.session.rollback()
            continue
        return assessment
    raise RuntimeError("could not draw a free code")


def update_settings(assessment: Assessment, data: AssessmentInput) -> None:
    """Change title, intro, questions and default anchors while nobody has answered."""
    if is_frozen(assessment):
        raise AssessmentFrozenError()
    framework = _check(data)
    assessment.title = data.title.strip()
    assessment.intro = data.intro.strip()
    assessment.framework_version = framework.latest
    assessment.include_importance = data.include_importance
    assessment.profile_questions = session_texts.clean_profile(
        data.profile_questions, assessment.profile_questions
    )
    kept = {q: {k: v for k, v in per.items() if k != "*"} for q, per in assessment.anchors.items()}
    for q, per in _default_anchors(data).items():
        kept.setdefault(q, {}).update(per)
    assessment.anchors = kept
    db.session.commit()


def set_retention(assessment: Assessment, days: object) -> None:
    """Days a respondent's code and profile are kept after their last answer (any time: it is no question)."""
    try:
        value = int(str(days).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 3650:
        raise ValidationError(_("Keep the data between 1 and 3650 days."))
    assessment.retention_days = value
    db.session.commit()


def update_skill(
    assessment: Assessment,
    skill_code: str,
    anchors: dict[str, list[str] | None],
    text: str,
    links: list[dict[str, str]],
) -> None:
    """Per-skill anchors (only before the first answer) and "how to develop it" (always)."""
    if skill_code not in {s.code for s in assessment.framework_version.skills}:
        raise ValidationError("That skill is not in this framework version.")
    _set_anchors(assessment, skill_code, anchors)
    guidance = dict(assessment.guidance)
    kept = {k: v for k, v in guidance.get(skill_code, {}).items() if "@" in k}  # the translations
    guidance[skill_code] = {**kept, "text": text.strip(), "links": links}
    assessment.guidance = guidance
    db.session.commit()


def translate_guidance(
    assessment: Assessment, lang: str, advice: dict[str, tuple[str, list[dict[str, str]]]]
) -> None:
    """One language's "how to develop it", {skill code: (text, links)}; empty removes that
    translation (the own text shows). Editable at any time, like the own text."""
    codes = {s.code for s in assessment.framework_version.skills}
    guidance = {code: dict(per) for code, per in assessment.guidance.items()}
    for code, (text, links) in advice.items():
        if code not in codes:
            raise ValidationError("That skill is not in this framework version.")
        per = guidance.setdefault(code, {})
        for key, value in ((f"text@{lang}", text.strip()), (f"links@{lang}", links)):
            per.pop(key, None)
            if value:
                per[key] = value
    assessment.guidance = guidance
    db.session.commit()


def translate_anchors(
    assessment: Assessment, lang: str, anchors: dict[str, dict[str, list[str] | None]]
) -> None:
    """One language's anchors, {scope: {question: lines}}, where a scope is a skill code or "*"
    (the publication's default); empty lines remove a translation. Frozen once answered."""
    codes = {s.code for s in assessment.framework_version.skills} | {"*"}
    for scope, per_question in anchors.items():
        if scope not in codes:
            raise ValidationError("That skill is not in this framework version.")
        _set_anchors(assessment, anchor_scope(scope, lang), per_question)
    db.session.commit()


def _set_anchors(assessment: Assessment, scope: str, anchors: dict[str, list[str] | None]) -> None:
    current = {q: dict(per) for q, per in assessment.anchors.items()}
    for question, lines in anchors.items():
        per = current.setdefault(question, {})
        if per.get(scope) != lines and (lines or scope in per):
            if is_frozen(assessment):
                raise AssessmentFrozenError()
            per.pop(scope, None)
            if lines:
                per[scope] = lines
    assessment.anchors = current


def set_state(assessment: Assessment, target: str) -> None:
    if target not in {s.value for s in AssessmentState}:
        raise InvalidStateError("%(state)r is not a state of a self-assessment.", state=target[:20])
    assessment.move_to(AssessmentState(target))
    db.session.commit()


def new_version(owner: User, assessment: Assessment) -> Assessment:
    """A draft copy to edit: answers given to the old one keep their questions."""
    copy = create_assessment(
        owner,
        AssessmentInput(
            title=assessment.title,
            framework_id=assessment.framework_version.framework_id,
            intro=assessment.intro,
            include_importance=assessment.include_importance,
            profile_questions=list(assessment.profile_questions),
        ),
    )
    copy.anchors = {q: dict(per) for q, per in assessment.anchors.items()}
    copy.guidance = dict(assessment.guidance)
    copy.previous_id = assessment.id
    copy.version = assessment.version + 1
    db.session.commit()
    return copy


DEMO_TITLE = built_in_words.ASSESSMENT_TITLE


def ensure_demo_assessment(owner: User, framework_id: int) -> Assessment:
    """The demo's open self-assessment of the example framework (the same one on every run)."""
    query = select(Assessment).where(Assessment.owner_id == owner.id, Assessment.title == DEMO_TITLE)
    found = db.session.scalar(query.order_by(Assessment.id.desc()))
    if found is None:
        found = create_assessment(owner, AssessmentInput(DEMO_TITLE, framework_id))
    if found.state is not AssessmentState.OPEN:
        set_state(found, "open")
    return found
