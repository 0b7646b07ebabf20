"""Self-assessment over HTTP: publish, take it skill by skill, see the profile, come back by code."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import pytest
from flask import g

from services import assessment as publishing
from services import frameworks
from tests.conftest import login, match_group


@pytest.fixture
def make_assessment(app: Any, make_user: Any) -> Any:
    def make(state: str = "open", **overrides: Any) -> Any:
        framework = frameworks.ensure_example_framework()
        owner = overrides.pop("owner", None) or make_user("coordinator")
        data = publishing.AssessmentInput(
            **{"title": "KT self-assessment", "framework_id": framework.id, **overrides}
        )
        assessment = publishing.create_assessment(owner, data)
        if state != "draft":
            publishing.set_state(assessment, "open")
        if state == "closed":
            publishing.set_state(assessment, "closed")
        return assessment

    return make


def fresh_get(client: Any, url: str) -> Any:
    """GET as a new visitor would: the fixture's app context shares `g` (and so Flask-WTF's
    cached CSRF token and Flask-Login's user) between test clients, which a real browser never sees."""
    g.pop("csrf_token", None)
    g.pop("_login_user", None)
    return client.get(url)


def _csrf(html: str) -> str:
    return match_group(r'name="csrf_token" value="([^"]+)"', html)


def start(client: Any, code: str, **profile: str) -> str:
    """Start on the public page; return the personal code shown once."""
    page = fresh_get(client, f"/a/{code}")
    assert page.status_code == 200
    started = client.post(f"/a/{code}", data={"csrf_token": _csrf(page.text), **profile})
    assert started.status_code == 302, started.text[:3000]
    assert started.location.endswith(f"/a/{code}/welcome")
    welcome = client.get(started.location).text
    return match_group(r'id="resume-code">([A-Z0-9-]+)<', welcome)


def answer_all(client: Any, code: str, values: dict[str, str], total: int) -> Any:
    response = None
    for n in range(1, total + 1):
        page = fresh_get(client, f"/a/{code}/skill/{n}")
        assert page.status_code == 200
        response = client.post(f"/a/{code}/skill/{n}", data={"csrf_token": _csrf(page.text), **values})
    return response


def test_take_to_profile_and_resume_elsewhere(app: Any, make_assessment: Any) -> None:
    assessment = make_assessment()
    total = len(assessment.framework_version.skills)
    phone = app.test_client()
    resume = start(phone, assessment.code, sector="Business")
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", resume)
    last = answer_all(phone, assessment.code, {"mastery": "2", "use": "4", "importance": "5"}, total)
    assert last.location.endswith(f"/a/{assessment.code}/profile")
    profile = phone.get(last.location).text
    assert "Development areas" in profile and "<svg" in profile and "gap 3" in profile
    # the code is not shown again
    assert resume not in profile and phone.get(f"/a/{assessment.code}/welcome").status_code == 302

    other = app.test_client()
    back = other.get(f"/r/{resume.lower()}")
    assert back.status_code == 302 and back.location.endswith(f"/a/{assessment.code}/profile")
    assert "gap 3" in other.get(back.location).text
    assert other.get("/r/AAAAAAAAAA").status_code == 404


def test_answers_are_saved_one_by_one_and_survive_a_reload(app: Any, make_assessment: Any) -> None:
    assessment = make_assessment()
    phone = app.test_client()
    start(phone, assessment.code)
    page = phone.get(f"/a/{assessment.code}/skill/1").text
    skill = match_group(r'data-skill="([^"]+)"', page)
    headers = {"X-CSRFToken": _csrf(page)}
    url = f"/a/{assessment.code}/answer"
    ok = phone.post(url, json={"skill": skill, "question": "mastery", "value": 3}, headers=headers)
    assert ok.get_json() == {"ok": True, "value": 3}
    again = phone.post(url, json={"skill": skill, "question": "mastery", "value": 4}, headers=headers)
    assert again.status_code == 200
    bad = phone.post(url, json={"skill": skill, "question": "mastery", "value": 6}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"] == "invalid_answer"
    reloaded = phone.get(f"/a/{assessment.code}/skill/1").text
    assert re.search(r'name="mastery" value="4" required\s+checked', reloaded)
    # coming back to the start page continues where the person stopped
    assert phone.get(f"/a/{assessment.code}").location.endswith(f"/a/{assessment.code}/skill/1")


def test_closed_or_draft_refuses_new_answers(app: Any, make_assessment: Any) -> None:
    draft = make_assessment(state="draft")
    client = app.test_client()
    page = client.get(f"/a/{draft.code}")
    assert "not open for answers yet" in page.text
    refused = client.post(f"/a/{draft.code}", data={"csrf_token": _csrf(page.text)})
    assert refused.status_code == 409


def test_coordinator_pages_show_link_and_freeze_after_first_answer(
    app: Any, make_assessment: Any, make_user: Any
) -> None:
    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    desk = app.test_client()
    login(desk, owner)
    page = desk.get(f"/f/assessments/{assessment.code}").text
    assert f"/a/{assessment.code}" in page and "Edit settings" in page
    assert desk.get(f"/f/assessments/{assessment.code}/qr.svg").mimetype == "image/svg+xml"
    phone = app.test_client()
    start(phone, assessment.code)
    answer_all(phone, assessment.code, {"mastery": "3", "use": "3", "importance": "3"}, 1)
    page = fresh_get(desk, f"/f/assessments/{assessment.code}").text
    assert "frozen" in page and "Edit settings" not in page
    with pytest.raises(Exception) as refused:
        publishing.update_settings(
            assessment, publishing.AssessmentInput("New title", assessment.framework_version.framework_id)
        )
    assert getattr(refused.value, "code", "") == "assessment_frozen"
    copy = publishing.new_version(owner, assessment)
    assert copy.version == 2 and copy.code != assessment.code and not publishing.is_frozen(copy)


def test_pdf_and_a_retake_that_shows_the_change(app: Any, make_assessment: Any) -> None:
    assessment = make_assessment()
    total = len(assessment.framework_version.skills)
    phone = app.test_client()
    start(phone, assessment.code)
    answer_all(phone, assessment.code, {"mastery": "2", "use": "3", "importance": "4"}, total)
    pdf = phone.get(f"/a/{assessment.code}/profile.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "no-store" in pdf.headers["Cache-Control"]
    assert (
        app.test_client().get(f"/a/{assessment.code}/profile.pdf").status_code == 302
    )  # not without the code

    page = fresh_get(phone, f"/a/{assessment.code}/profile")
    again = phone.post(f"/a/{assessment.code}/retake", data={"csrf_token": _csrf(page.text)})
    assert again.location.endswith(f"/a/{assessment.code}/skill/1")
    # the unfinished retake still shows the first profile, and offers to continue
    assert "Continue my retake" in phone.get(f"/a/{assessment.code}/profile").text
    answer_all(phone, assessment.code, {"mastery": "4", "use": "3", "importance": "4"}, total)
    second = phone.get(f"/a/{assessment.code}/profile").text
    assert "take 2" in second and second.count('class="change up">+2<') == total
    assert second.count('class="change same">=<') >= total * 2


def test_coordinator_sees_aggregates_suppressed_groups_and_exports_them(
    app: Any, make_assessment: Any, make_user: Any
) -> None:
    from openpyxl import load_workbook

    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    total = len(assessment.framework_version.skills)
    given = [("University", "2"), ("University", "3"), ("University", "4"), ("Business", "5")]
    for sector, mastery in given:
        phone = app.test_client()
        start(phone, assessment.code, sector=sector)
        answer_all(phone, assessment.code, {"mastery": mastery, "use": "3", "importance": "5"}, total)
    desk = app.test_client()
    login(desk, owner)
    page = fresh_get(desk, f"/f/assessments/{assessment.code}").text
    assert "Results: 4 completed" in page
    row = match_group(r'<tr data-skill="COM">(.*?)</tr>', page, re.S)
    assert "<strong>3.50</strong>" in row and "(0 1 1 1 1)" in row  # mastery 2, 3, 4, 5
    assert re.search(r"<td data-gap>1.50</td>", row)  # importance 5 - mastery 3.5
    sector = match_group(r'data-key="sector">(.*?)</table>', page, re.S)
    # University (3 people, mean 3.00) is withheld too: the overall mean 3.50 of 4 people minus
    # University's would give the one Business respondent's 5 (complementary suppression)
    # and so are their headcounts: 4 completed minus University's 3 would say Business is one person
    withheld = r'<td class="muted">not shown</td>\s*<td colspan="3" class="muted">not shown'
    assert re.search(r"<td>University</td>" + withheld, sector)
    assert re.search(r"<td>Business</td>" + withheld, sector)
    assert "gap 3" not in page and "My profile" not in page  # no individual profile

    export = desk.get(f"/f/assessments/{assessment.code}/export.xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.data), read_only=True)
    assert book.sheetnames == [
        "About",
        "Responses",
        "Matrix",
        "Skills",
        "Clusters",
        "Breakdown",
        "Validation",
        "Codebook",
    ]
    responses = list(book["Responses"].values)
    assert len(responses) == 1 + 4 * total * 3
    assert {r[0] for r in responses[1:]} == {"R001", "R002", "R003", "R004"}
    matrix = list(book["Matrix"].values)
    header = matrix[0]  # readable labels; the Codebook names the column behind each
    assert [m[header.index("COM: Mastery")] for m in matrix[1:]] == [2, 3, 4, 5]
    skills = [r for r in book["Skills"].values if r[0] == "COM" and r[3] == "mastery"][0]
    assert skills[4:10] == (4, 0, 1, 1, 1, 1) and skills[10] == 3.5 and skills[12] == 1.5
    breakdown = {r[1]: r for r in book["Breakdown"].values}
    assert breakdown["Business"][2:4] == ("(suppressed)", "(suppressed)")
    assert breakdown["University"][2:4] == ("(suppressed)", "(suppressed)")
    validation = list(book["Validation"].values)
    assert any(
        r[0] == "Interpersonal" and r[1] == "mastery" and r[4] == 1 for r in validation
    )  # items move together
    codebook = list(book["Codebook"].values)
    assert ("Matrix", "COM_mastery", "COM: Mastery") in {(r[0], r[1], r[2]) for r in codebook}


def test_demo_publishes_a_self_assessment_once(app: Any, make_user: Any) -> None:
    make_user("admin")  # the demo waits for the first-run page's account
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--port", "5123"])
    second = runner.invoke(args=["demo", "--port", "5123"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    line = match_group(r"^Self-assessment: (\S+)", first.output, re.M)
    assert re.fullmatch(r"http://\S+/a/[A-Z0-9]{6}", line) and line in second.output
    code = line.rsplit("/", 1)[1]
    assert "Start the self-assessment" in fresh_get(app.test_client(), f"/a/{code}").text


def test_one_or_two_completions_show_the_coordinator_no_answers(
    app: Any, make_assessment: Any, make_user: Any
) -> None:
    """With one respondent the 'aggregates' were that person's answers, on screen and in the export."""
    from openpyxl import load_workbook

    owner = make_user("coordinator")
    assessment = make_assessment(owner=owner)
    total = len(assessment.framework_version.skills)
    desk = app.test_client()
    login(desk, owner)
    for done, mastery in enumerate(("2", "4", "5"), start=1):
        phone = app.test_client()
        start(phone, assessment.code, sector="University")
        answer_all(phone, assessment.code, {"mastery": mastery, "use": "3", "importance": "5"}, total)
        page = fresh_get(desk, f"/f/assessments/{assessment.code}").text
        book = load_workbook(io.BytesIO(desk.get(f"/f/assessments/{assessment.code}/export.xlsx").data))
        rows = len(list(book["Responses"].values)) - 1
        assert f"Results: {done} completed" in page
        if done < 3:
            assert 'id="withheld"' in page and '<tr data-skill="COM">' not in page
            assert rows == 0
        else:
            assert 'id="withheld"' not in page and '<tr data-skill="COM">' in page
            assert rows == 3 * total * 3


def test_the_pdf_leaves_the_server_terminal_quiet(app: Any, make_assessment: Any, caplog: Any) -> None:
    """WeasyPrint skips the screen CSS it does not support (sticky, width media queries, vendor
    selectors); it used to print a warning per rule on every download."""
    assessment = make_assessment()
    phone = app.test_client()
    start(phone, assessment.code)
    total = len(assessment.framework_version.skills)
    answer_all(phone, assessment.code, {"mastery": "2", "use": "3", "importance": "4"}, total)
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        pdf = phone.get(f"/a/{assessment.code}/profile.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    noted = [r.getMessage() for r in caplog.records if r.name == "weasyprint"]
    assert [m for m in noted if "Ignored" in m or "selector" in m or "media" in m] == []
    # anything else WeasyPrint warns about still reaches the log
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        logging.getLogger("weasyprint").warning("Failed to load image")
    assert "Failed to load image" in caplog.text
