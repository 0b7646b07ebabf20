"""Issue 14: languages of phones, facilitators and the projector; what phones showed, recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, g
from flask_babel import refresh
from sqlalchemy import select

from core.extensions import db, socketio
from domain import example_framework
from models import Comment, LiveSession, Rating, User
from services import frameworks, payloads, sessions
from tests.conftest import ack, login

NS = "/participant"


def _csrf(html: str, name: str = "csrf_token") -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="{name}"', html)
    assert match, html[:300]
    return match.group(1) or match.group(2)


def _fresh(http: Any, url: str, **kwargs: Any) -> Any:
    """GET as a new visitor: the fixture's app context would share Flask-WTF's cached token."""
    g.pop("csrf_token", None)
    return http.get(url, **kwargs)


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, html[:200]
    return match.group(1)


def test_phone_pages_follow_the_browser_and_the_switch_wins(
    app: Flask, make_session: Callable[..., Any]
) -> None:
    session = make_session(state="open")
    http = app.test_client()
    page = http.get(f"/j/{session.code}", headers={"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"}).text
    assert _lang(page) == "fi" and "Liity istuntoon" in page
    assert 'src="/i18n/fi.js"' in page
    # Every phone page offers the switch, each language named in itself.
    assert all(f'hreflang="{code}"' in page for code in ("en", "it", "pl", "nl"))
    switched = http.get(f"/lang/pl?next=/j/{session.code}", headers={"Accept-Language": "fi"})
    assert switched.status_code == 302 and switched.headers["Location"].endswith(f"/j/{session.code}")
    page = http.get(f"/j/{session.code}", headers={"Accept-Language": "fi"}).text
    assert _lang(page) == "pl" and "Dołącz do sesji" in page  # the kept choice beats the browser
    # The switch never sends anyone off the site.
    for target in ("//evil.example/x", "/\\evil.example", "https://evil.example"):
        assert http.get("/lang/it", query_string={"next": target}).headers["Location"] == "/"
    assert _lang(app.test_client().get("/", headers={"Accept-Language": "es"}).text) == "en"


def test_a_facilitator_chooses_the_language_of_their_pages(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    http = app.test_client()
    login(http, user)
    assert _lang(http.get("/f/", headers={"Accept-Language": "it"}).text) == "it"  # none chosen: browser's
    token = _csrf(_fresh(http, "/f/account/password").text, "lang-csrf_token")
    response = http.post("/f/account/password", data={"lang-language": "nl", "lang-csrf_token": token})
    assert response.status_code == 302
    assert db.session.get_one(User, user.id).language == "nl"
    page = http.get("/f/", headers={"Accept-Language": "it"}).text
    assert _lang(page) == "nl" and "Nieuwe sessie" in page
    refused = http.post(
        "/f/account/password", data={"lang-language": "xx", "lang-csrf_token": token}
    )  # not on the list: kept as it was
    assert refused.status_code == 200 and db.session.get_one(User, user.id).language == "nl"


def test_the_projector_speaks_the_sessions_language(app: Flask, make_session: Callable[..., Any]) -> None:
    session = make_session(state="open", language="Italian", second_language="pl")
    http = app.test_client()
    login(http, session.facilitator)
    page = http.get(f"/f/sessions/{session.code}/projector", headers={"Accept-Language": "en"}).text
    assert _lang(page) == "it" and "Inquadra il codice per partecipare." in page
    assert 'src="/i18n/it.js"' in page
    payload = payloads.session_payload(session)
    assert payload["language"] == "it" and payload["second_language"] == "pl"


def test_socket_errors_keep_their_code_and_speak_the_phones_language(
    app: Flask, make_session: Callable[..., Any]
) -> None:
    session = make_session(state="live")
    http = app.test_client()
    joined = http.post(f"/api/sessions/{session.code}/join", json={"consent": True, "profile": {}})
    token = joined.get_json()["token"]
    sock = socketio.test_client(
        app, namespace=NS, flask_test_client=http, auth={"token": token}, headers={"Accept-Language": "pl"}
    )
    item = sorted(session.items, key=lambda i: i.skill.position)[0]
    reply = ack(sock, "submit_rating", {"skill_id": item.skill_id, "criterion_id": session.criteria[0].id,
                                        "value": 1}, NS)  # fmt: skip
    assert reply == {"ok": False, "error": "item_not_open",
                     "message": "Ta umiejętność nie jest jeszcze otwarta na odpowiedzi."}  # fmt: skip
    sock.disconnect(namespace=NS)


def test_refusals_with_values_speak_the_phones_language_with_the_values_in(
    app: Flask, make_session: Callable[..., Any]
) -> None:
    """A refusal with numbers in it (a value off the criterion's scale) is translated as a
    sentence and then filled in: a Polish phone reads Polish, with the stock criterion's Polish
    name and the scale's ends; an English phone the English."""
    session = make_session(state="live", pacing="self")
    criterion = next(c for c in session.criteria if c.label == "Relevance")
    skill = session.items[0].skill_id
    replies = {}
    for language in ("pl", "en"):
        http = app.test_client()
        joined = http.post(f"/api/sessions/{session.code}/join", json={"consent": True, "profile": {}})
        sock = socketio.test_client(
            app, namespace=NS, flask_test_client=http, auth={"token": joined.get_json()["token"]},
            headers={"Accept-Language": language},
        )  # fmt: skip
        answer = {"skill_id": skill, "criterion_id": criterion.id, "value": criterion.scale_max + 1}
        replies[language] = ack(sock, "submit_rating", answer, NS)
        sock.disconnect(namespace=NS)
    low, high = criterion.scale_min, criterion.scale_max
    assert replies["pl"] == {
        "ok": False,
        "error": "invalid_value",
        "message": f"Istotność: od {low} do {high}.",
    }
    assert replies["en"]["message"] == f"Relevance takes {low} to {high}."


def test_payloads_carry_presets_and_skills_in_every_language(make_session: Callable[..., Any]) -> None:
    session = make_session(criteria=["relevance", "appropriateness"], language="fi")
    payload = payloads.session_payload(session)
    relevance = next(c for c in payload["criteria"] if c["key"] == "relevance")
    assert relevance["label"] == "Relevance"  # the stored text stays as it was
    assert relevance["i18n"]["it"] == {
        "label": "Pertinenza",
        "question": "Quanto è pertinente questa competenza per i professionisti del trasferimento "
        "tecnologico?",
        "anchors": ["Non pertinente", "Poco pertinente", "Abbastanza pertinente", "Molto pertinente"],
    }
    nine = next(c for c in payload["criteria"] if c["key"] == "appropriateness")
    assert nine["i18n"]["pl"]["anchors"][0] == "1 Wcale" and nine["i18n"]["pl"]["anchors"][1] == "2"
    first = next(i for i in payload["items"] if i["code"] == "COM")
    assert set(first["i18n"]) == {"it", "pl", "fi", "nl"}
    assert first["i18n"]["fi"]["name"] == "Viestintä"
    assert first["i18n"]["pl"]["definition"] == example_framework.TRANSLATIONS["COM"]["pl"][1]


def test_broadcasts_leave_the_translations_to_the_sync(
    make_session: Callable[..., Any], facilitator_socket: Callable[..., Any], phone: Any
) -> None:
    """A room of 300 gets every change: session_updated carries no `i18n`; the sync answer does."""
    session = make_session(state="live")
    sock = phone(session)
    synced = ack(sock, "sync", {}, NS)["session"]
    assert synced["items"][0]["i18n"]["it"]["name"] == "Comunicazione" and synced["criteria"][0]["i18n"]
    dashboard = facilitator_socket(session)
    item = sorted(session.items, key=lambda i: i.skill.position)[0]
    assert dashboard.emit("open_item", {"code": session.code, "skill_id": item.skill_id},
                          namespace="/facilitator", callback=True)["ok"]  # fmt: skip
    updates = [m["args"][0] for m in sock.get_received(NS) if m["name"] == "session_updated"]
    assert updates and all("i18n" not in i for u in updates for i in u["items"] + u["criteria"])
    sock.disconnect(namespace=NS)
    dashboard.disconnect(namespace="/facilitator")


def test_a_changed_preset_text_is_not_replaced_by_the_preset_translation(
    make_session: Callable[..., Any],
) -> None:
    session = make_session(criteria=["relevance"])
    criterion = session.criteria[0]
    criterion.label = "Relevance for our network"
    db.session.commit()
    texts = payloads.criterion_payload(criterion)["i18n"]["nl"]
    assert (
        "label" not in texts
        and texts["question"] == "Hoe relevant is deze vaardigheid voor professionals in kennisoverdracht?"
    )


def test_answers_and_comments_record_their_language(
    app: Flask, make_session: Callable[..., Any], phone: Any
) -> None:
    session = make_session(state="live")
    item = sorted(session.items, key=lambda i: i.skill.position)[0]
    sessions.open_item(session, item.skill_id)
    sock = phone(session)
    criterion = session.criteria[0]
    assert ack(sock, "submit_rating", {"skill_id": item.skill_id, "criterion_id": criterion.id, "value": 3,
                                       "language": "pl"}, NS)["ok"]  # fmt: skip
    assert ack(
        sock, "submit_comment", {"skill_id": item.skill_id, "text": "Bardzo dobrze", "language": "pl"}, NS
    )["ok"]
    rating = db.session.scalars(select(Rating).where(Rating.skill_id == item.skill_id)).one()
    assert rating.language == "pl"
    # Changing the answer on a phone now showing Italian records the new language.
    assert ack(sock, "submit_rating", {"skill_id": item.skill_id, "criterion_id": criterion.id, "value": 4,
                                       "language": "it"}, NS)["ok"]  # fmt: skip
    db.session.expire_all()
    assert db.session.get_one(Rating, rating.id).language == "it"
    # Anything that is not a language code is stored as unknown, never refused.
    assert ack(sock, "submit_rating", {"skill_id": item.skill_id, "criterion_id": criterion.id, "value": 2,
                                       "language": "<script>"}, NS)["ok"]  # fmt: skip
    db.session.expire_all()
    assert db.session.get_one(Rating, rating.id).language == ""
    comment = db.session.scalars(select(Comment).where(Comment.skill_id == item.skill_id)).one()
    assert comment.language == "pl"
    sock.disconnect(namespace=NS)


def test_framework_editor_shows_completeness_and_saves_one_language(
    app: Flask, make_user: Callable[..., User]
) -> None:
    framework = frameworks.ensure_example_framework()
    http = app.test_client()
    # The shipped example belongs to nobody: coordinators and admins manage it (docs/security.md)
    login(http, make_user("coordinator"))
    page = http.get(f"/f/frameworks/{framework.id}", headers={"Accept-Language": "en"}).text
    for code in ("it", "pl", "fi", "nl"):
        assert re.search(rf'data-lang="{code}"\s*class="badge complete">[^<]* 10 of 10<', page), code
    page = _fresh(http, f"/f/frameworks/{framework.id}/translations/es").text
    assert "0 of 10" in page and "missing" in page  # any other language can be added
    codes = [s.code for s in framework.latest.skills]
    empty = [""] * (len(codes) - 1)
    data = {
        "code": codes,
        "name": ["Comunicación", *empty],
        "definition": ["Explica con claridad.", *empty],
        "csrf_token": _csrf(page),
    }
    response = http.post(f"/f/frameworks/{framework.id}/translations/es", data=data)
    assert response.status_code == 302, response.text[:2000]
    assert response.status_code == 302
    db.session.expire_all()
    latest = db.session.get_one(type(framework), framework.id).latest
    skill = next(s for s in latest.skills if s.code == codes[0])
    assert skill.extra["name_es"] == "Comunicación" and skill.extra["name_it"] == "Comunicazione"
    statuses = dict((lang, done) for lang, done, _total in frameworks.translation_status(framework.latest))
    assert statuses["es"] == 1 and statuses["it"] == 10


def test_an_older_example_framework_gets_the_translations(app: Flask) -> None:
    framework = frameworks.create_framework(
        example_framework.NAME,
        [frameworks.SkillInput(code, name, definition, cluster)
         for code, name, cluster, definition in example_framework.SKILLS],
    )  # fmt: skip
    assert not framework.latest.skills[0].extra
    again = frameworks.ensure_example_framework()
    assert again.id == framework.id
    assert again.latest.skills[0].extra["name_nl"] == "Communicatie"


def test_session_form_offers_the_shipped_languages(app: Flask, make_session: Callable[..., Any]) -> None:
    session = make_session(state="draft", language="Polish")
    http = app.test_client()
    login(http, session.facilitator)
    page = http.get(f"/f/sessions/{session.code}/edit", headers={"Accept-Language": "en"}).text
    # A language written as a name before the list existed shows as its code.
    assert re.search(
        r'<option selected value="pl">Polski</option>|<option value="pl" selected>Polski</option>', page
    )
    assert 'name="second_language"' in page
    assert isinstance(db.session.get_one(LiveSession, session.id).language, str)


def test_a_dashboards_socket_errors_speak_the_accounts_language(
    make_session: Callable[..., Any], facilitator_socket: Callable[..., Any]
) -> None:
    session = make_session(state="live")
    session.facilitator.language = "fi"
    db.session.commit()
    # The test keeps one app context, which Flask-SocketIO's test client reuses for each event,
    # so a locale that making the session cached there would stick; a real server gives every
    # event a fresh context.
    refresh()
    sock = facilitator_socket(session)
    reply = sock.emit(
        "open_item", {"code": session.code, "skill_id": 999_999}, namespace="/facilitator", callback=True
    )
    assert reply == {
        "ok": False,
        "error": "unknown_item",
        "message": "Istunnossa ei ole tällaista taitoa tai kriteeriä.",
    }
    sock.disconnect(namespace="/facilitator")


def test_the_export_labels_presets_in_the_exporters_language(
    app: Flask, make_meeting: Callable[..., Any]
) -> None:
    import io

    from openpyxl import load_workbook

    meeting = make_meeting(values={"relevance": [4, 3, 4]})
    meeting.session.facilitator.language = "it"
    db.session.commit()
    http = app.test_client()
    login(http, meeting.session.facilitator)
    response = http.get(f"/f/sessions/{meeting.session.code}/export.xlsx")
    assert response.status_code == 200
    from tests.fixtures.export_factories import column_names, header_names, sheet_by_code

    book = load_workbook(io.BytesIO(response.data))
    text = " ".join(
        str(v)
        for sheet in ("About", "Codebook")
        for row in sheet_by_code(book, sheet).iter_rows(values_only=True)
        for v in row
        if v
    )
    assert "Pertinenza; misura: pertinenza" in text and "1 = Non pertinente" in text
    assert "Valutazioni valide pari a 4 su Pertinenza" in text  # column descriptions too (cb14)
    ratings = list(sheet_by_code(book, "Ratings").iter_rows(values_only=True))
    at = header_names(book, "Ratings").index("criterion")  # the Codebook names each readable header
    assert ratings[0][at] == "Criterio" and {row[at] for row in ratings[1:]} == {"relevance"}  # codes stay
    summary = next(sheet_by_code(book, "Summary").iter_rows(values_only=True))
    assert {"Mediana", "Scarto interquartile", "Azione suggerita"} <= set(summary)  # readable, in Italian
    names = column_names(book, sheet_by_code(book, "Summary").title)
    assert names["Mediana"] == "median" and names["Azione suggerita"] == "suggested_action"


def test_dashboard_refusals_speak_the_facilitators_language(
    make_user: Callable[..., User], make_session: Callable[..., Any], facilitator_socket: Callable[..., Any]
) -> None:
    """A refusal raised with its own text (not the error's stock one) reaches a Polish facilitator
    in Polish: locking or re-voting a list question not yet opened, a comment that does not exist."""
    from services.prioritisation import QuestionSpec

    user = make_user()
    user.language = "pl"
    db.session.commit()
    spec = QuestionSpec("pick", "Indispensable?", {"k": 3, "exact": True})
    session = make_session(state="live", facilitator=user, criteria=[], questions=[spec])
    refresh()  # the locale making the session cached in the test's one app context (see above)
    fac = facilitator_socket(session)
    question_id = ack(fac, "sync_questions", {"code": session.code}, "/facilitator")["questions"][0]["id"]
    replies = [
        ack(fac, "lock_question", {"code": session.code, "question_id": question_id}, "/facilitator"),
        ack(fac, "revote_question", {"code": session.code, "question_id": question_id}, "/facilitator"),
        ack(fac, "moderate_comment", {"code": session.code, "comment_id": 999_999, "state": "hidden"},
            "/facilitator"),
    ]  # fmt: skip
    assert [(r["ok"], r["error"], r["message"]) for r in replies] == [
        (False, "invalid_state", "Otwórz pytanie, zanim je zablokujesz."),
        (False, "invalid_state", "Otwórz pytanie, zanim rozpoczniesz nową rundę."),
        (False, "unknown_item", "W tej sesji nie ma takiego komentarza."),
    ]
    fac.disconnect(namespace="/facilitator")
