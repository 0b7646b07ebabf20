"""Issue 14: whole phrases where a count or a code meets a noun (plural forms and cases per
language), role names, numbers the reader's way, analysis texts in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from core.extensions import db
from models import User
from services import frameworks
from tests.conftest import login


def _speaking(http: Any, user: User, lang: str) -> None:
    user.language = lang
    db.session.commit()
    login(http, user)


def test_the_framework_list_counts_skills_in_each_languages_own_case(
    app: Flask, make_user: Callable[..., User]
) -> None:
    framework = frameworks.ensure_example_framework()
    n = len(framework.latest.skills)
    assert n >= 5  # Polish and Finnish put 5+ skills in another case than 1
    http = app.test_client()
    user = make_user()
    expected = {
        "fi": f"(v{framework.latest.number}, {n} taitoa)",  # partitive, not "12 taidot"
        "pl": f"(v{framework.latest.number}, {n} umiejętności)",
        "en": f"(v{framework.latest.number}, {n} skills)",
    }
    for lang, text in expected.items():
        _speaking(http, user, lang)
        assert text in http.get("/f/sessions/new").text
        assert text in http.get("/f/assessments/new").text


def test_the_accounts_table_names_roles_in_the_readers_language(
    app: Flask, make_user: Callable[..., User]
) -> None:
    admin = make_user(role="admin")
    make_user(role="coordinator")
    http = app.test_client()
    _speaking(http, admin, "fi")
    page = http.get("/f/users").text
    assert "<td>Koordinaattori</td>" in page and "<td>Ylläpitäjä</td>" in page
    assert "<td>coordinator</td>" not in page
