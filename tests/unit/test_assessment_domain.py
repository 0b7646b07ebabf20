"""Self-assessment domain: answers, anchors, links, personal codes and the profile."""

from __future__ import annotations

import pytest

from domain.assessment import (
    QUESTIONS,
    InvalidAnswerError,
    SkillRef,
    anchors_for,
    asked_questions,
    build_profile,
    check_answer,
    format_resume_code,
    hash_resume_code,
    new_resume_code,
    parse_anchor_lines,
    parse_links,
)
from domain.assessment_chart import bars, radar, wrap_label
from domain.errors import DomainError

ASKED = ("mastery", "use", "importance")


@pytest.mark.parametrize(("value", "expected"), [(1, 1), ("5", 5), (3, 3)])
def test_answers_on_the_scale_are_kept(value, expected):
    assert check_answer("mastery", value, ASKED) == expected


@pytest.mark.parametrize("value", [0, 6, "x", None, True, 2.5, "", [3]])
def test_answers_off_the_scale_are_refused(value):
    with pytest.raises(InvalidAnswerError):
        check_answer("mastery", value, ASKED)


def test_a_question_not_asked_is_refused():
    with pytest.raises(InvalidAnswerError):
        check_answer("importance", 3, ("mastery", "use"))


def test_anchors_fall_back_from_skill_to_publication_to_default():
    own = {"use": {"*": list("abcde"), "COM": list("vwxyz")}}
    assert anchors_for("use", "COM", own) == tuple("vwxyz")
    assert anchors_for("use", "NEG", own) == tuple("abcde")
    assert anchors_for("mastery", "NEG", own) == QUESTIONS["mastery"].anchors


def test_anchor_lines_need_five_or_none():
    assert parse_anchor_lines("  \n") is None
    assert parse_anchor_lines("a\nb\n\nc\nd\ne\n") == ["a", "b", "c", "d", "e"]
    with pytest.raises(DomainError):
        parse_anchor_lines("a\nb")


def test_links_accept_web_addresses_only():
    assert parse_links("Module 3 | https://example.org/m3\nhttp://x.org\n") == [
        {"label": "Module 3", "url": "https://example.org/m3"},
        {"label": "http://x.org", "url": "http://x.org"},
    ]
    with pytest.raises(DomainError):
        parse_links("Click | javascript:alert(1)")


def test_personal_codes_are_long_hashed_and_forgiving_when_typed():
    code = new_resume_code()
    assert len(code) == 10 and code != new_resume_code()
    typed = format_resume_code(code).lower().replace("-", " - ")
    assert hash_resume_code(typed) == hash_resume_code(code) and len(hash_resume_code(code)) == 64


SKILLS = [
    SkillRef("A", "Alpha", "One"),
    SkillRef("B", "Beta", "One"),
    SkillRef("C", "Gamma", "Two"),
    SkillRef("D", "Delta", "Two"),
]


def _answers(rows):
    return {(code, q): v for code, values in rows.items() for q, v in zip(ASKED, values, strict=True)}


def test_profile_strengths_development_areas_and_cluster_means():
    answers = _answers({"A": (5, 5, 4), "B": (2, 3, 5), "C": (4, 2, 2), "D": (3, 3, 4)})
    profile = build_profile(asked_questions(True), SKILLS, answers)
    assert [s.skill.code for s in profile.strengths] == ["A", "C"]
    assert [(s.skill.code, s.gap) for s in profile.development] == [("B", 3), ("D", 1)]
    assert [(c.name, c.means["mastery"], c.means["importance"]) for c in profile.clusters] == [
        ("One", 3.5, 4.5),
        ("Two", 3.5, 3.0),
    ]
    assert [name for name, _ in profile.grouped()] == ["One", "Two"]
    assert not profile.has_previous


def test_without_importance_the_gap_is_use_minus_mastery():
    answers = {("A", "mastery"): 2, ("A", "use"): 4}
    profile = build_profile(asked_questions(False), SKILLS[:1], answers)
    assert profile.development[0].gap == 2 and "importance" not in profile.skills[0].values


def test_change_since_the_previous_take():
    before = _answers({"A": (2, 2, 4), "B": (2, 3, 5), "C": (4, 2, 2), "D": (3, 3, 4)})
    now = _answers({"A": (4, 2, 4), "B": (1, 3, 5), "C": (4, 2, 2), "D": (3, 3, 4)})
    profile = build_profile(asked_questions(True), SKILLS, now, before)
    assert profile.has_previous
    assert [s.change("mastery") for s in profile.skills] == [2, -1, 0, 0]
    assert profile.clusters[0].previous["mastery"] == 2.0 and profile.clusters[0].means["mastery"] == 2.5


def test_an_unanswered_profile_has_no_means_and_no_lists():
    profile = build_profile(asked_questions(True), SKILLS, {})
    assert profile.clusters[0].means["mastery"] is None
    assert profile.strengths == () and profile.development == ()


def test_charts_radar_needs_three_axes_and_bars_scale_to_five():
    answers = _answers({"A": (5, 5, 4), "B": (2, 3, 5), "C": (4, 2, 2), "D": (3, 3, 4)})
    profile = build_profile(asked_questions(True), SKILLS, answers)
    chart = radar(profile)
    assert chart is not None and len(chart.axes) == 4 and len(chart.polygons) == 3
    first_mastery = chart.polygons[0].points.split()[0]  # axis A points up: mastery 5 at full radius
    assert first_mastery == f"{chart.centre},{chart.centre - 110.0}"
    assert radar(profile, by_cluster=True) is None  # two clusters: no area to draw
    bar = bars(profile)
    assert [b.width for b in bar.rows[0].bars] == [180.0, 180.0, 144.0]


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("Communication", ("Communication",)),
        ("Critical thinking", ("Critical", "thinking")),
        ("Self-management", ("Self-", "management")),  # at its own hyphen first
        ("Entrepreneurial mindset", ("Entrepreneur-", "ial mindset")),
        ("Interpersonal communication skills", ("Interpersonal", "communicatio…")),  # two lines at most
    ],
)
def test_radar_labels_wrap_to_two_short_lines(label, lines):
    assert wrap_label(label) == lines


def test_long_skill_names_take_two_lines_in_the_bar_chart_not_the_page_margin():
    """A Finnish name of 27 characters once ran off the PDF's left edge ("rittäjämäinen ...")."""
    from domain.assessment_chart import LABEL_CHARS, label_lines

    assert label_lines("Viestintä", LABEL_CHARS) == ("Viestintä",)
    assert label_lines("Yrittäjämäinen ajattelutapa", LABEL_CHARS) == ("Yrittäjämäinen", "ajattelutapa")
    lines = label_lines("Przedsiębiorcze nastawienie do działania", LABEL_CHARS)
    assert lines == ("Przedsiębiorcze", "nastawienie do dział…")
    assert all(len(line) <= LABEL_CHARS for line in label_lines("Verkostoitumisosaamisenkehittäminen", 21))


@pytest.mark.parametrize("seed", range(60))
def test_a_withheld_breakdown_group_shows_neither_figures_nor_headcount(seed):
    """Differencing: respondents minus the shown headcounts, and the overall mean minus the shown
    groups' means, must never give one withheld group back."""
    import random
    from datetime import UTC, datetime

    from domain.assessment import AssessmentQuestion
    from domain.assessment_summary import Response, aggregate

    rng = random.Random(seed)
    options = ["University", "Business", "Public", "NGO"]
    question = AssessmentQuestion("mastery", "Mastery", "How well?", ("1", "2", "3", "4", "5"))
    skills = [SkillRef("A", "Alpha", "One")]
    sectors = rng.choices([*options, ""], [rng.random() ** 2 for _ in range(5)], k=rng.randint(3, 14))
    at = datetime(2026, 5, 4, tzinfo=UTC)
    responses = [Response(n, {"sector": s}, at, 1, {("A", "mastery"): rng.randint(1, 5)})
                 for n, s in enumerate(sectors, 1)]  # fmt: skip
    agg = aggregate([question], skills, responses, [{"key": "sector", "label": "Sector", "options": options}])
    (breakdown,) = agg.breakdowns
    real = {o or "(not answered)": sectors.count(o) for o in {*options, *sectors}}
    withheld = [(answer, real[answer]) for answer, count, means in breakdown.groups if count is None]
    for answer, count, means in breakdown.groups:
        assert (means is None) or count is not None and count >= 3  # figures only with a headcount of 3+
        if count is not None:
            assert count == real[answer] and (count >= 3 or count == 0)
    if withheld:  # what the subtraction gives: two or more groups, together 3 or more people
        assert agg.n - sum(c for _, c, _ in breakdown.groups if c is not None) == sum(n for _, n in withheld)
        if len(withheld) < len(breakdown.groups):
            assert sum(1 for _, n in withheld if n) >= 2 and sum(n for _, n in withheld) >= 3
