"""Issue 14: a session's own words (title, consent, profile questions, list questions) reach each
phone in its language, while a profile answer stays the session's option so that every language's
answer pools, exports and is suppressed as one group."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
from flask import Flask
from sqlalchemy import select

from models import Participant, db
from services import demo, frameworks, prioritisation, session_texts, sessions
from tests.conftest import ack, login
from tests.fixtures.export_factories import records, sheet_by_code

P = "/participant"


def _choices(page: str, name: str) -> dict[str, str]:
    """The join page's radio buttons for question `name`: shown text -> value sent."""
    found = re.findall(rf'<input type="radio" name="{name}" value="([^"]*)">\s*([^<]+?)\s*</label>', page)
    return {shown: value for value, shown in found}


def _join_in(app: Flask, code: str, lang: str, shown: str) -> dict[str, str]:
    """Join from a phone in `lang` by picking the option that reads `shown` there; its choices."""
    http = app.test_client()
    http.set_cookie("sb_lang", lang)
    page = http.get(f"/j/{code}").get_data(as_text=True)
    choices = _choices(page, "sector")
    assert shown in choices, (lang, choices)
    sent = http.post(f"/j/{code}", data={"sector": choices[shown], "consent": "yes"})
    assert sent.status_code == 302, sent.get_data(as_text=True)[:400]
    if lang == "pl":  # "my data" shows the answer as the phone showed it
        assert "<li>Sektor: Uczelnia</li>" in http.get(f"/s/{code}/mine").get_data(as_text=True)
    return choices


def _sheet(data: bytes, code: str) -> list[dict[str, Any]]:
    """A sheet's rows keyed by column name (through the Codebook, whatever the labels' language)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return records(sheet_by_code(book, code))


def test_a_polish_and_an_italian_phone_picking_the_same_option_land_in_one_group(
    app: Flask, make_session: Any, client: Any, tmp_path: Path
) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    first = make_session(state="live", pacing="self", criteria=["relevance"])
    second = make_session(state="live", pacing="self", criteria=["relevance"], facilitator=first.facilitator)
    login(client, first.facilitator)
    assert client.get(f"/f/sessions/{first.code}/export.xlsx").status_code == 200  # signed in, before phones
    polish = _join_in(app, first.code, "pl", "Uczelnia")
    assert set(polish) == {"Uczelnia", "Biznes", "Ekspert", "Inne"}  # the built-in question in Polish
    _join_in(app, first.code, "it", "Università")
    _join_in(app, first.code, "fi", "Yliopisto")
    for lang, shown in (("it", "Università"), ("nl", "Universiteit"), ("pl", "Uczelnia")):
        _join_in(app, second.code, lang, shown)
    people = db.session.scalars(select(Participant).where(Participant.session_id.in_([first.id, second.id])))
    stored = {p.profile["sector"] for p in people}
    assert stored == {"University"}  # the option's key, never the word a phone showed

    export = client.get(f"/f/sessions/{first.code}/export.xlsx")
    assert export.status_code == 200, export.headers
    # three answers from three languages are one group of three: shown, not suppressed as "<3"
    assert [r["profile_sector"] for r in _sheet(export.data, "Participants")] == ["University"] * 3

    out = tmp_path / "merged.xlsx"
    merged = app.test_cli_runner().invoke(args=["export", first.code, second.code, "-o", str(out)])
    assert merged.exit_code == 0, merged.output
    assert [r["profile_sector"] for r in _sheet(out.read_bytes(), "Participants")] == ["University"] * 6

    # the results page groups them too (one breakdown row, three people)
    page = client.get(f"/f/sessions/{first.code}/results?by=sector").get_data(as_text=True)
    assert "Uczelnia" not in page and "Università" not in page


def test_the_session_form_takes_the_translations_and_phones_show_them(
    app: Flask, client: Any, make_user: Any
) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    user = make_user()
    login(client, user)
    new = client.get("/f/sessions/new").get_data(as_text=True)
    # the built-in consent and profile question are proposed in every shipped language
    assert "Settore: Università, Impresa, Esperto, Altro" in new
    assert "Vastauksesi tallennetaan nimimerkillä" in new
    framework = frameworks.ensure_example_framework()
    form = {
        "title": "Assembly", "title_pl": "Zgromadzenie", "framework_id": framework.id,
        "criteria": ["relevance"], "pacing": "self", "agree_pct": "75", "iqr_max": "1",
        "ninepoint_method": "comet", "round_feedback": ["median"], "reason_rule": "none",
        "consent_text": "We keep your answers.", "consent_text_pl": "Zachowujemy Twoje odpowiedzi.",
        "profile_questions": "Role: Researcher, Manager",
        "profile_questions_pl": "Rola: Badacz, Menedżer",
        "profile_questions_fi": "Rooli: Tutkija, Johtaja, Muu",  # an option too many: refused
    }  # fmt: skip
    for row in range(3):
        form |= {
            f"questions-{row}-kind": "",
            f"questions-{row}-exact": "exact",
            f"questions-{row}-budget": "100",
        }
    form |= {"questions-0-kind": "pick", "questions-0-count": "2", "questions-0-prompt": "Which two?",
             "questions-0-prompt_pl": "Które dwie?"}  # fmt: skip
    refused = client.post("/f/sessions/new", data=form)
    assert refused.status_code == 200
    assert "Suomi, line 1: give 2 options (got 3)" in refused.get_data(as_text=True)
    assert sessions.list_sessions(user) == []

    form["profile_questions_fi"] = ""  # no Finnish: Finnish phones show the session's own words
    assert client.post("/f/sessions/new", data=form).status_code == 302
    session = sessions.list_sessions(user)[0]
    assert session.texts == {"pl": {"title": "Zgromadzenie", "consent": "Zachowujemy Twoje odpowiedzi."}}
    assert session.profile_questions[0]["texts"] == {
        "pl": {"label": "Rola", "options": ["Badacz", "Menedżer"]}
    }
    sessions.set_state(session, "open")

    polish = app.test_client()
    polish.set_cookie("sb_lang", "pl")
    page = polish.get(f"/j/{session.code}").get_data(as_text=True)
    assert "<h1>Zgromadzenie</h1>" in page and "Zachowujemy Twoje odpowiedzi." in page
    assert _choices(page, "role") == {"Badacz": "Researcher", "Menedżer": "Manager"}
    finnish = app.test_client()
    finnish.set_cookie("sb_lang", "fi")
    assert _choices(finnish.get(f"/j/{session.code}").get_data(as_text=True), "role") == {
        "Researcher": "Researcher",
        "Manager": "Manager",
    }
    state = polish.get(f"/api/sessions/{session.code}/state").get_json()
    assert state["consent_text"] == "Zachowujemy Twoje odpowiedzi."
    assert state["profile_questions"][0]["i18n"]["pl"] == {"label": "Rola", "options": ["Badacz", "Menedżer"]}

    question = prioritisation.questions_of(session.id)[0]
    assert prioritisation.question_payload(question)["i18n"] == {"pl": {"prompt": "Które dwie?"}}
    edit = client.get(f"/f/sessions/{session.code}/edit").get_data(as_text=True)
    assert (
        'value="Które dwie?"' in edit and "Rola: Badacz, Menedżer" in edit and 'value="Zgromadzenie"' in edit
    )


def test_the_demo_reaches_a_polish_phone_in_polish(app: Flask, phone: Any) -> None:
    made = demo.prepare_demo(None)
    workshop = demo.prepare_workshop(made.user)
    review = demo.prepare_review(made.user)
    http = app.test_client()
    http.set_cookie("sb_lang", "pl")
    page = http.get(f"/j/{made.session.code}").get_data(as_text=True)
    assert "Spotkanie walidacyjne (demo)" in page and "Twoje odpowiedzi są zapisywane pod pseudonimem" in page
    assert "Sektor" in page and "Sector" not in page and "pseudonym (P01" not in page
    expected = {  # title, the consent's start, the profile question, its first option
        "it": ("Incontro di validazione (demo)", "Le tue risposte vengono", "Settore", "Università"),
        "fi": ("Validointikokous (demo)", "Vastauksesi tallennetaan", "Sektori", "Yliopisto"),
        "nl": ("Validatiebijeenkomst (demo)", "Je antwoorden worden", "Sector", "Universiteit"),
    }
    for lang, words in expected.items():
        other = app.test_client()
        other.set_cookie("sb_lang", lang)
        shown = other.get(f"/j/{made.session.code}").get_data(as_text=True)
        assert all(w in shown for w in words), (lang, [w for w in words if w not in shown])
        assert "Your answers are recorded" not in shown
        assert "University" not in shown.replace('value="University"', "")  # sent, never shown

    sock = phone(workshop)
    synced = ack(sock, "sync_questions", {}, P)
    prompts = [q["i18n"]["pl"]["prompt"] for q in synced["questions"]]
    assert prompts == [
        "Które umiejętności są niezbędne?",
        "Uszereguj swoje trzy najważniejsze",
        "Rozdziel 100 punktów między umiejętności",
    ]
    guide = phone(review)
    state = ack(guide, "sync", {}, P)["session"]
    first = state["items"][0]["i18n"]
    assert first["pl"]["name"] == "Dla kogo jest program" and len(first["pl"]["paragraphs"]) == 2
    assert set(first) >= {"it", "pl", "fi", "nl"}
    assert all(len(i["i18n"]["fi"]["paragraphs"]) == 2 for i in state["items"])


def test_a_guide_made_before_the_translations_gets_them(app: Flask) -> None:
    guide = demo.ensure_example_guide()
    for item in guide.latest.skills:
        item.extra = {}
    db.session.commit()
    again = demo.ensure_example_guide()
    assert again.id == guide.id
    assert again.latest.skills[0].extra["name_nl"] == "Voor wie het programma is"
    assert session_texts.word("Demo review of the programme guide", "fi") == "Ohjelmaoppaan arviointi (demo)"


def test_the_demo_self_assessment_asks_its_profile_in_the_phones_language(
    app: Flask, client: Any, make_user: Any
) -> None:
    from services import assessment

    login(client, make_user())
    editor = client.get("/f/assessments/new").get_data(as_text=True)  # proposed in every language
    assert "Sektor: Uczelnia, Biznes, Instytucja publiczna, Inne" in editor
    assert "Kokemus tiedonsiirrosta (vuosia): Alle 2, 2-5, 6-10, Yli 10" in editor

    made = demo.prepare_demo(None)
    survey = assessment.ensure_demo_assessment(made.user, frameworks.ensure_example_framework().id)
    http = app.test_client()
    http.set_cookie("sb_lang", "pl")
    page = http.get(f"/a/{survey.code}").get_data(as_text=True)
    assert "Kompetencje miękkie w transferze wiedzy: samoocena (demo)" in page
    assert _choices(page, "sector") == {
        "Uczelnia": "University", "Biznes": "Business", "Instytucja publiczna": "Public body", "Inne": "Other"
    }  # fmt: skip
    assert _choices(page, "years")["Powyżej 10"] == "Over 10"
    assert "Staż w transferze wiedzy (lata)" in page


def test_the_proposed_translations_of_a_changed_text_are_not_kept(app: Flask, make_user: Any) -> None:
    """The form proposes the built-in consent and question in every language; a facilitator who
    rewrites the English only must not leave Polish phones reading the old text."""
    proposed = session_texts.default_texts()
    question = session_texts.default_profile()[0]
    framework = frameworks.ensure_example_framework()
    data = sessions.SessionInput(
        title="Own words",
        framework_id=framework.id,
        criteria=["relevance"],
        consent_text="We keep your answers for a year.",
        texts=proposed,
        profile_questions=[{**question, "label": "Employer"}],
    )
    session = sessions.create_session(make_user(), data)
    assert session.texts == {}  # the default consent's translations: not of this text
    assert session.profile_questions[0]["texts"] == {}
    assert session_texts.consent(session, "pl") == "We keep your answers for a year."
    kept = sessions.create_session(
        make_user(), sessions.SessionInput("Defaults", framework.id, ["relevance"], texts=proposed)
    )
    assert kept.texts["pl"]["consent"].startswith("Twoje odpowiedzi są zapisywane")
    assert kept.profile_questions[0]["texts"]["fi"]["label"] == "Sektori"
