"""Framework versions: saving and importing into a version no session used changes it in place."""

from __future__ import annotations

from domain.framework_file import parse_framework_file
from services import frameworks, spreadsheet
from services.frameworks import SkillInput


def _framework():
    return frameworks.create_framework(
        "Soft skills",
        [SkillInput("COM", "Communication", "Speaks clearly."), SkillInput("NEG", "Negotiation", "Agrees.")],
    )


def test_import_into_an_unused_framework_updates_the_skills_it_keeps(app):
    framework = _framework()
    com = framework.latest.skills[0].id
    data = (
        "code,name,definition,cluster\n"
        "COM,Communicating,Listens and speaks clearly.,People\n"
        "LEA,Leading,Leads.,Management\n"
    )
    draft = parse_framework_file("soft-skills.csv", data.encode())
    spreadsheet.import_framework(draft, framework)
    version = framework.latest
    assert version.number == 1  # nobody used version 1: changed in place
    assert [(s.code, s.name, s.cluster, s.position) for s in version.skills] == [
        ("COM", "Communicating", "People", 0),
        ("LEA", "Leading", "Management", 1),
    ]
    assert version.skills[0].id == com


def test_save_reorders_and_renames_within_an_unused_version(app):
    framework = _framework()
    frameworks.save_skills(
        framework,
        [SkillInput("NEG", "Negotiating", "Agrees."), SkillInput("COM", "Communication", "Speaks clearly.")],
        name="Renamed",
    )
    assert framework.name == "Renamed"
    assert [(s.code, s.name) for s in framework.latest.skills] == [
        ("NEG", "Negotiating"),
        ("COM", "Communication"),
    ]


def test_save_after_a_session_used_the_version_makes_a_new_one(app, make_session):
    session = make_session(state="draft")
    framework = session.framework_version.framework
    skills = frameworks.skill_inputs(framework.latest)
    frameworks.save_skills(framework, [replace_name(skills[0], "Talking"), *skills[1:]])
    assert framework.latest.number == 2
    assert session.framework_version.skills[0].name != "Talking"
    assert framework.latest.skills[0].name == "Talking"


def replace_name(skill: SkillInput, name: str) -> SkillInput:
    return SkillInput(skill.code, name, skill.definition, skill.cluster, dict(skill.extra))
