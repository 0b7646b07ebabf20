"""The facilitator's pages name each skill, criterion and the session in the page's language where
the framework (or the session) has it, else in its own words (the live pages: test_dashboard_names)."""

from __future__ import annotations

import html
import re

from core.i18n import COOKIE
from services import assessment as publishing
from services import frameworks, prioritisation
from services.prioritisation import QuestionSpec
from tests.conftest import login, match_group
from tests.integration.test_assessment import answer_all, fresh_get, start

POLISH_TITLE = "Spotkanie walidacyjne"


def _untranslated_framework():
    """A framework with no translation at all: the same skills in English only."""
    skills = [frameworks.SkillInput("COM", "Communication", "Explains clearly.", "Interpersonal")]
    return frameworks.create_framework("English only", skills)


def _page(app, user, url, lang=""):
    """The page as `user` reads it with the language switch on `lang` (the account has none)."""
    client = app.test_client()
    if lang:
        client.set_cookie(COOKIE, lang)
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_a_polish_dashboard_names_the_session_in_polish(app, make_session):
    session = make_session(texts={"pl": {"title": POLISH_TITLE}})
    page = _page(app, session.facilitator, f"/f/sessions/{session.code}", "pl")
    assert match_group(r'<h1 class="dash-title">([^<]*)</h1>', page) == POLISH_TITLE
    assert match_group(r'<span class="topbar-title">([^<]*)</span>', page) == POLISH_TITLE
    assert POLISH_TITLE in match_group(r"<title>([^<]*)</title>", page)
    english = _page(app, session.facilitator, f"/f/sessions/{session.code}")
    assert match_group(r'<h1 class="dash-title">([^<]*)</h1>', english) == "Validation meeting"


def test_the_projector_names_the_session_in_the_rooms_language(app, make_user, make_session):
    """The projector speaks the session's language (core/i18n.py), whoever opened it."""
    facilitator = make_user()
    for language, title in (("pl", POLISH_TITLE), ("it", "Validation meeting")):
        session = make_session(
            facilitator=facilitator, language=language, texts={"pl": {"title": POLISH_TITLE}}
        )
        page = _page(app, facilitator, f"/f/sessions/{session.code}/projector", "fi")
        assert match_group(r'<h1 class="proj-title">([^<]*)</h1>', page) == title


def _results_rows(page):
    return match_group(r'<table class="table results-table">(.*?)</table>', page, re.S)


def test_a_polish_results_page_names_skills_and_criteria_in_polish(app, make_meeting):
    meeting = make_meeting(
        criteria=("relevance",), values={"relevance": [4, 3, 4]}, texts={"pl": {"title": POLISH_TITLE}}
    )
    url = f"/f/sessions/{meeting.session.code}/results"
    page = _page(app, meeting.session.facilitator, url, "pl")
    rows = _results_rows(page)
    assert "<strong>COM</strong> Komunikacja" in rows
    assert "<td>Istotność</td>" in rows
    assert "Communication" not in rows and "Relevance" not in rows
    assert POLISH_TITLE in match_group(r"<h1>([^<]*)<", page)
    figures = match_group(r'<h2>[^<]*</h2>\s*<table class="table">(.*?)</table>', page, re.S)
    assert "<tr><td>Istotność</td>" in figures

    english = _results_rows(_page(app, meeting.session.facilitator, url))
    assert "<strong>COM</strong> Communication" in english
    assert "<td>Relevance</td>" in english


def test_a_skill_the_framework_lacks_in_polish_keeps_its_own_name(app, make_meeting):
    """Not the session's language either (Italian here): the framework's own text."""
    framework = _untranslated_framework()
    meeting = make_meeting(
        criteria=("relevance",), values={"relevance": [4, 3, 4]}, framework_id=framework.id, language="it"
    )
    page = _page(app, meeting.session.facilitator, f"/f/sessions/{meeting.session.code}/results", "pl")
    rows = _results_rows(page)
    assert "<strong>COM</strong> Communication" in rows
    assert "<td>Istotność</td>" in rows  # a preset criterion still speaks the catalog's Polish


def _pick_workshop(make_session, make_participant, **overrides):
    """A live session asking one 'pick 1' question (translated into Polish); one person picked COM."""
    prompt = {"pl": {"prompt": "Które umiejętności?"}}
    session = make_session(
        state="live",
        criteria=[],
        questions=[QuestionSpec("pick", "Which skills?", {"k": 1}, prompt)],
        **overrides,
    )
    person, _token = make_participant(session, {"sector": "Business"})
    question = prioritisation.questions_of(session.id)[0]
    prioritisation.open_question(session, question.id)
    com = next(i.skill_id for i in session.items if i.skill.code == "COM")
    prioritisation.record_answer(person, {"question_id": question.id, "value": {"picks": [com]}})
    return session


def test_a_polish_results_page_names_list_questions_and_profile_groups_in_polish(
    app, make_session, make_participant
):
    session = _pick_workshop(make_session, make_participant)
    url = f"/f/sessions/{session.code}/results"

    page = _page(app, session.facilitator, url, "pl")
    table = match_group(r'<table class="table list-results-table">(.*?)</table>', page, re.S)
    assert "<strong>COM</strong> Komunikacja" in table and "Communication" not in table
    assert "1. Które umiejętności?" in page
    assert ">Sektor</a>" in page and "<th>Biznes</th>" in page

    english = _page(app, session.facilitator, url)
    assert "<strong>COM</strong> Communication" in english and "1. Which skills?" in english
    assert ">Sector</a>" in english and "<th>Business</th>" in english


def test_the_comparison_and_the_session_list_speak_the_readers_language(app, make_meeting):
    meeting = make_meeting(
        criteria=("relevance",), values={"relevance": [4, 3, 4]}, texts={"pl": {"title": POLISH_TITLE}}
    )
    user, code = meeting.session.facilitator, meeting.session.code
    table = r'<table class="table compare-table">(.*?)</table>'

    compared = match_group(table, _page(app, user, f"/f/sessions/{code}/compare", "pl"), re.S)
    assert "<strong>COM</strong> Komunikacja" in compared and "<td>Istotność</td>" in compared
    assert POLISH_TITLE in compared
    assert f">{POLISH_TITLE}</a>" in _page(app, user, "/f/", "pl")

    english = match_group(table, _page(app, user, f"/f/sessions/{code}/compare"), re.S)
    assert "<strong>COM</strong> Communication" in english and "<td>Relevance</td>" in english
    assert ">Validation meeting</a>" in _page(app, user, "/f/")


def test_the_suggestions_page_names_each_skill_in_the_readers_language(app, make_session):
    session = make_session(texts={"pl": {"title": POLISH_TITLE}})
    url = f"/f/sessions/{session.code}/suggestions"
    page = _page(app, session.facilitator, url, "pl")
    assert "<h2><code>COM</code> Komunikacja</h2>" in page
    assert POLISH_TITLE in match_group(r"<title>([^<]*)</title>", page)
    assert "<h2><code>COM</code> Communication</h2>" in _page(app, session.facilitator, url)


def test_a_polish_coordinator_reads_the_self_assessments_skills_in_polish(app, make_user):
    owner = make_user("coordinator")
    framework = frameworks.ensure_example_framework()
    data = publishing.AssessmentInput(title="KT self-assessment", framework_id=framework.id)
    assessment = publishing.create_assessment(owner, data)
    publishing.set_state(assessment, "open")
    total = len(assessment.framework_version.skills)
    for mastery in ("2", "3", "4"):
        person = app.test_client()
        start(person, assessment.code, sector="University")
        answer_all(person, assessment.code, {"mastery": mastery, "use": "3", "importance": "5"}, total)
    desk = app.test_client()
    login(desk, owner)
    desk.set_cookie(COOKIE, "pl")
    page = html.unescape(fresh_get(desk, f"/f/assessments/{assessment.code}").text)
    row = match_group(r'<tr data-skill="COM">(.*?)</tr>', page, re.S)
    assert "Komunikacja" in row and "Interpersonalne" in row and "<strong>3,00</strong>" in row
    clusters = match_group(r'<table class="table" id="cluster-aggregates">(.*?)</table>', page, re.S)
    assert "<td>Interpersonalne</td>" in clusters and "Interpersonal<" not in clusters

    desk.set_cookie(COOKIE, "en")
    english = html.unescape(fresh_get(desk, f"/f/assessments/{assessment.code}").text)
    row = match_group(r'<tr data-skill="COM">(.*?)</tr>', english, re.S)
    assert "Communication" in row and "<strong>3.00</strong>" in row


def test_pooled_list_questions_name_the_skills_in_the_readers_language(
    app, make_user, make_session, make_participant
):
    facilitator = make_user()
    first, _second = (_pick_workshop(make_session, make_participant, facilitator=facilitator) for _ in "ab")
    url = f"/f/sessions/{first.code}/compare"
    table = r'<table class="table list-results-table">(.*?)</table>'
    page = _page(app, facilitator, url, "pl")
    assert "<strong>COM</strong> Komunikacja" in match_group(table, page, re.S)
    assert "1. Które umiejętności?" in page
    assert "<strong>COM</strong> Communication" in match_group(table, _page(app, facilitator, url), re.S)
