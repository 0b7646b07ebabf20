"""Issue 14: whole phrases where a count or a code meets a noun (plural forms and cases per
language), role names, numbers the reader's way, analysis texts in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from core.extensions import db
from models import User
from services import frameworks
from tests.conftest import login, match_group


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
        assessment_form = http.get("/f/assessments/new").text
        assert text in assessment_form
        if lang == "pl":  # the questions inside the anchors' labels too
            assert "Opisy poziomów: Jak dobrze ją opanowałem/-am?" in assessment_form


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


def test_cluster_names_are_translated_on_the_translations_page_and_reach_phones(
    app: Flask, make_user: Callable[..., User], make_session: Callable[..., Any]
) -> None:

    from models import Framework
    from services import payloads

    framework = frameworks.ensure_example_framework()
    admin = make_user(role="admin")
    http = app.test_client()
    login(http, admin)
    page = http.get(f"/f/frameworks/{framework.id}/translations/fi").text
    assert 'id="cluster-translations"' in page and 'value="Ajattelu"' in page  # shipped with the example
    token = match_group(r'name="csrf_token" value="([^"]+)"', page)
    skills = framework.latest.skills
    sent = http.post(
        f"/f/frameworks/{framework.id}/translations/fi",
        data={
            "csrf_token": token,
            "code": [s.code for s in skills],
            "name": [s.extra.get("name_fi", "") for s in skills],
            "definition": [s.extra.get("definition_fi", "") for s in skills],
            "cluster": ["Interpersonal", "Cognitive", "Self-management"],
            "cluster_name": ["Ihmissuhdetaidot", "Ajattelu", ""],
        },
    )
    assert sent.status_code == 302
    latest = db.session.get_one(Framework, framework.id).latest
    by_cluster = {s.cluster: s.extra for s in latest.skills}
    assert by_cluster["Interpersonal"]["cluster_fi"] == "Ihmissuhdetaidot"
    assert "cluster_fi" not in by_cluster["Self-management"]  # emptied: removed
    assert by_cluster["Cognitive"]["cluster_pl"] == "Poznawcze"  # other languages untouched
    session = make_session(framework_id=framework.id)
    item = next(i for i in payloads.session_payload(session)["items"] if i["cluster"] == "Interpersonal")
    assert (
        item["i18n"]["fi"]["cluster"] == "Ihmissuhdetaidot"
        and item["i18n"]["pl"]["cluster"] == "Interpersonalne"
    )


def test_analysis_texts_stay_english_for_notebooks_and_are_translated_where_shown(
    app: Flask, make_meeting: Callable[..., Any]
) -> None:
    from analysis.decision import suggest_action
    from analysis.summary import summarize
    from core.i18n import translate_text
    from services import results

    two = summarize([4, 4], measure="relevance", scale_min=1, scale_max=4)
    assert two.k_band == "not interpretable at this N"  # what analysis/ gives a notebook: English
    assert translate_text(two.k_band, "fi") == "ei tulkittavissa tällä N:llä"
    five = summarize([4, 4, 3, 2, 4], measure="relevance", scale_min=1, scale_max=4)
    action = suggest_action({"relevance": five})
    assert action.reasons[0] == "relevance: consensus, but I-CVI 0.80 misses the panel cut-off"
    assert translate_text(action.reasons[0], "pl") == (
        "istotność: konsensus, ale I-CVI 0,80 nie osiąga progu dla tego panelu"
    )  # the number written the Polish way
    assert translate_text(five.consensus_detail, "fi") == (
        "4/5 samaa mieltä, 1/5 eri mieltä (vaaditaan 75\xa0%), IQR 1 (enint. 1)"
    )

    meeting = make_meeting(state="closed", criteria=("relevance",), values={"relevance": [4, 4]})
    session = meeting.session
    payload = results.item_results(session)[0]["criteria"][str(session.criteria[0].id)]
    assert payload["k_band"] == "not interpretable at this N"
    assert payload["texts"]["k_band"] == {"msgid": "not interpretable at this N", "params": {}}
    user = session.facilitator
    http = app.test_client()
    _speaking(http, user, "fi")
    page = http.get(f"/f/sessions/{session.code}/results").text
    assert "ei tulkittavissa tällä N:llä" in page and "not interpretable" not in page
    assert "100\xa0%" in page  # Finnish percentages: a no-break space before the sign
    assert "RAND/UCLA soveltuvuudelle, COMET 70/15 tärkeydelle" in page  # the session's 9-point rule


def test_import_problems_and_list_checks_speak_the_readers_language(
    app: Flask, make_user: Callable[..., User]
) -> None:
    import io

    import pytest
    from flask_babel import force_locale

    from domain.errors import ValidationError

    user = make_user()
    http = app.test_client()
    _speaking(http, user, "pl")
    page = http.get("/f/frameworks/import").text
    token = match_group(r'name="csrf_token" value="([^"]+)"', page)
    csv = (
        "code,name,definition,cluster,colour\n"
        "COM,Communication,Explains.,People,red\ncom,Again,,People,blue\n"
    )
    sent = http.post(
        "/f/frameworks/import",
        data={"csrf_token": token, "file": (io.BytesIO(csv.encode()), "skills.csv")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 422
    assert "Nieznana kolumna „colour”" in sent.text
    twice = "Kod „com” występuje dwa razy (bez względu na wielkość liter): pierwszy raz w wierszu 2."
    assert twice in sent.text
    assert "Unknown column" not in sent.text and "is used twice" not in sent.text
    empty = http.post(
        "/f/frameworks/import",
        data={"csrf_token": token, "file": (io.BytesIO(b"   "), "skills.csv")},
        content_type="multipart/form-data",
    )
    assert "Plik jest pusty." in empty.text

    with app.test_request_context(), force_locale("fi"):
        with pytest.raises(ValidationError) as caught:
            frameworks.check_skills([frameworks.SkillInput("A 1", "", "Explains.")])
    assert "Taito 1: koodissa on oltava 1-20 kirjainta" in caught.value.message
    assert "Taito 1: nimessä on oltava 1-120 merkkiä." in caught.value.message


def test_own_criteria_are_checked_stored_and_carry_their_translations(
    app: Flask, make_session: Callable[..., Any]
) -> None:
    import pytest

    from domain.errors import ValidationError
    from services import payloads, sessions

    own = {
        "base": "importance",
        "label": "Urgency",
        "question": "How soon is this skill needed?",
        "anchors": "",  # the preset's, in every language from the catalogs
        "cant_judge": "No idea",
        "texts": {"nl": {"label": "Urgentie", "question": "Hoe snel is deze vaardigheid nodig?",
                         "anchors": "", "cant_judge": "Geen idee"}},
    }  # fmt: skip
    session = make_session(state="draft", criteria=["relevance"], custom_criteria=[own])
    criterion = next(c for c in session.criteria if c.key == "custom1")
    assert (criterion.measure, criterion.scale_max, criterion.position) == ("importance", 5, 1)
    payload = next(c for c in payloads.session_payload(session)["criteria"] if c["key"] == "custom1")
    assert payload["cant_judge"] == "No idea" and payload["label"] == "Urgency"
    assert payload["i18n"]["nl"]["label"] == "Urgentie" and payload["i18n"]["nl"]["cant_judge"] == "Geen idee"
    assert payload["i18n"]["pl"]["anchors"][0] == "Nieważna"  # the preset's anchors, translated
    row = sessions.session_input(session).custom_criteria[0]
    assert row["texts"]["nl"]["label"] == "Urgentie"
    assert row["anchors"] == [] and "anchors" not in row["texts"]["pl"]  # the preset's: shown empty

    wrong = {**own, "texts": {"fi": {"label": "Kiireellisyys", "anchors": "Yksi\nKaksi"}}}
    with app.test_request_context(), force_locale_pl():
        with pytest.raises(ValidationError) as caught:
            sessions.update_session(session, replace_custom(session, [wrong]))
    assert "podaj opisy poziomów w liczbie 5" in caught.value.message and "podano: 2" in caught.value.message


def force_locale_pl() -> Any:
    from flask_babel import force_locale

    return force_locale("pl")


def replace_custom(session: Any, rows: list[dict[str, Any]]) -> Any:
    from dataclasses import replace

    from services import sessions

    return replace(sessions.session_input(session), custom_criteria=rows)


def test_the_remove_participant_button_is_a_command_in_each_language(
    app: Flask, make_user: Callable[..., User], make_session: Callable[..., Any]
) -> None:
    """The button shared its msgid with the decision "Remove" (a skill leaves the framework),
    which the catalogs word as a decision: a Polish facilitator's button read "Usunąć" (to
    remove), a Finnish one's "Poistetaan" (it is being removed)."""
    http = app.test_client()
    user = make_user()
    session = make_session(facilitator=user)
    expected = {
        "en": "Remove participant",
        "it": "Rimuovi il partecipante",
        "pl": "Usuń uczestnika",
        "fi": "Poista osallistuja",
        "nl": "Verwijder de deelnemer",
    }
    for lang, text in expected.items():
        _speaking(http, user, lang)
        page = http.get(f"/f/sessions/{session.code}").text
        assert f'<button class="danger">{text}</button>' in page, lang
