"""The 9-point consensus rule reads in the facilitator's language on the dashboard, the results
page and the set-up form (it stayed English inside translated sentences: found walking the demo)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.conftest import login


@pytest.mark.parametrize("page", ["", "/results"])
def test_the_ninepoint_rule_is_in_the_readers_language(
    app: Flask, make_session: Callable[..., Any], page: str
) -> None:
    session = make_session(state="open")
    http = app.test_client()
    login(http, session.facilitator)
    polish = http.get(f"/f/sessions/{session.code}{page}", headers={"Accept-Language": "pl"}).text
    assert "Pozycje w skali 9-punktowej: RAND/UCLA dla adekwatności, COMET 70/15 dla ważności" in polish
    assert "for appropriateness" not in polish
    english = http.get(f"/f/sessions/{session.code}{page}", headers={"Accept-Language": "en"}).text
    assert "9-point items: RAND/UCLA for appropriateness, COMET 70/15 for importance" in english


def test_the_custom_criterion_scales_are_in_the_readers_language(
    app: Flask, make_session: Callable[..., Any]
) -> None:
    session = make_session(state="draft")
    http = app.test_client()
    login(http, session.facilitator)
    polish = http.get("/f/sessions/new", headers={"Accept-Language": "pl"}).text
    assert ">Istotność (1-4)</option>" in polish and ">Adekwatność (1-9)</option>" in polish
    assert "Relevance (1-4)" not in polish
    english = http.get("/f/sessions/new", headers={"Accept-Language": "en"}).text
    assert ">Relevance (1-4)</option>" in english and ">Appropriateness (1-9)</option>" in english
    assert "(1-9) (1-9)" not in english
