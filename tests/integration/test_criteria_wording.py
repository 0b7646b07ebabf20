"""The set-up form words its criteria for the selected list's kind, as the session will store them."""

from __future__ import annotations

import html
import json
import re

from domain.example_guide import SECTIONS
from services import frameworks
from tests.conftest import login

LABEL = re.compile(r'<label for="criteria-\d+" data-wordings=\'([^\']*)\'>([^<]*)</label>')


def _labels(page: str) -> list[str]:
    return [html.unescape(shown) for _, shown in LABEL.findall(page)]


def _wordings(page: str) -> list[dict[str, str]]:
    """Every kind's wording of each label, as the page hands them to static/js/session_form.js."""
    return [json.loads(html.unescape(texts)) for texts, _ in LABEL.findall(page)]


def _guide() -> int:
    items = [frameworks.SkillInput(c, t, "", body=b) for c, t, b in SECTIONS]
    return frameworks.create_framework("Guide", items, "guide").id


def test_without_js_the_form_words_criteria_for_the_list_it_selects(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    skills = frameworks.ensure_example_framework().id
    guide = _guide()  # the newest list is offered first
    login(client, make_user())
    page = client.get("/f/sessions/new").get_data(as_text=True)
    assert "Clarity of the section" in _labels(page) and "Clarity of the definition" not in _labels(page)
    assert "How clear is this section? (Not clear … Very clear)" in page
    # Every kind's wording travels with the page, for the script to show on another pick.
    assert _wordings(page)[2] == {
        "skills": "Clarity of the definition",
        "guide": "Clarity of the section",
        "questionnaire": "Clarity of the wording",
    }
    assert f'data-kind="guide" value="{guide}"' in page

    refused = client.post(
        "/f/sessions/new", data={"title": "", "framework_id": skills, "criteria": "clarity"}
    )
    assert "Clarity of the definition" in _labels(refused.get_data(as_text=True))


def test_the_edit_form_words_criteria_for_the_sessions_list(app, client, make_user, make_session):
    user = make_user()
    session = make_session(state="draft", facilitator=user, framework_id=_guide(), criteria=["clarity"])
    login(client, user)
    edit = client.get(f"/f/sessions/{session.code}/edit").get_data(as_text=True)
    assert _labels(edit)[:3] == ["Relevance", "Importance", "Clarity of the section"]
    assert "Is this section essential to the guide? (Not necessary … Essential)" in edit


def test_the_wordings_are_translated(app, client, make_user):
    _guide()
    login(client, make_user())
    client.get("/lang/fi")
    page = client.get("/f/sessions/new").get_data(as_text=True)
    assert "Osion selkeys" in _labels(page) and _wordings(page)[2]["skills"] == "Määritelmän selkeys"
