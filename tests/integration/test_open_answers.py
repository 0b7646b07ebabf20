"""Open questions about items: phones answer, the facilitator reads them and accepts a wording."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from models import Framework, OpenAnswer, db
from services import frameworks, sessions
from tests.conftest import ack, login, received

P, F = "/participant", "/facilitator"


def _first(sock):
    state = ack(sock, "sync", {}, P)["session"]
    return state, state["items"][0]["skill_id"]


def test_the_set_up_form_chooses_open_questions(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    user = make_user()
    login(client, user)
    framework = frameworks.ensure_example_framework()
    form = {
        "title": "Guide review", "framework_id": framework.id, "open_questions": ["missing", "wording"],
        "pacing": "self", "agree_pct": "75", "iqr_max": "1", "ninepoint_method": "comet",
        "consent_text": "", "profile_questions": "",
        "round_feedback": ["distribution", "median", "iqr"], "reason_rule": "none",  # as the page sends them
    }  # fmt: skip
    for row in range(3):  # the prioritisation rows, left empty as the page sends them
        form |= {
            f"questions-{row}-kind": "",
            f"questions-{row}-exact": "exact",
            f"questions-{row}-budget": "100",
        }
    response = client.post("/f/sessions/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    session = sessions.list_sessions(user)[0]
    assert session.open_questions == ["missing", "wording"] and session.criteria == []
    page = client.get(f"/f/sessions/{session.code}/edit").get_data(as_text=True)
    box = (
        page.split('value="wording"')[0].rsplit("<input", 1)[1]
        + page.split('value="wording"')[1].split(">")[0]
    )
    assert "checked" in box


def test_phone_answers_reach_the_facilitator_and_are_kept_per_round(make_session, phone, facilitator_socket):
    session = make_session(state="live", pacing="self", open_questions=["missing", "wording"])
    dashboard = facilitator_socket(session)
    sock = phone(session)
    state, skill = _first(sock)
    assert [q["key"] for q in state["open_questions"]] == ["missing", "wording"]
    saved = ack(
        sock, "submit_open_answer", {"skill_id": skill, "question": "missing", "text": " Ethics. "}, P
    )
    assert saved == {"ok": True, "skill_id": skill, "question": "missing", "round": 1, "text": "Ethics."}
    again = ack(sock, "submit_open_answer", {"skill_id": skill, "question": "missing", "text": "Ethics!"}, P)
    assert again["ok"]
    assert db.session.scalars(select(OpenAnswer)).one().text == "Ethics!"  # an upsert, not a second row
    [event, *_] = received(dashboard, F, "open_answer_updated")
    assert event["participant"] == "P01" and event["question"] == "missing"
    refused = ack(sock, "submit_open_answer", {"skill_id": skill, "question": "unclear", "text": "x"}, P)
    assert refused["ok"] is False and refused["error"] == "bad_payload"
    assert ack(sock, "sync", {}, P)["open_answers"] == {str(skill): {"missing": "Ethics!"}}
    sessions.revote_item(session, skill)  # round 2 starts with an empty box; round 1 is kept
    assert ack(sock, "sync", {}, P)["open_answers"] == {}
    assert len(db.session.scalars(select(OpenAnswer)).all()) == 1
    ack(sock, "submit_open_answer", {"skill_id": skill, "question": "missing", "text": ""}, P)
    assert len(db.session.scalars(select(OpenAnswer)).all()) == 1


def test_accepting_a_wording_makes_the_next_version_and_keeps_the_link(make_session, phone, client, app):
    app.config["WTF_CSRF_ENABLED"] = False
    session = make_session(state="live", pacing="self", open_questions=["wording"])
    framework = session.framework_version.framework
    socks = [phone(session), phone(session)]
    _state, skill = _first(socks[0])
    code = session.framework_version.skills[0].code
    for sock, text in zip(socks, ("Explains plainly.", "Makes research clear."), strict=True):
        assert ack(sock, "submit_open_answer", {"skill_id": skill, "question": "wording", "text": text}, P)[
            "ok"
        ]
    first, second = db.session.scalars(select(OpenAnswer).order_by(OpenAnswer.id)).all()
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}/suggestions").get_data(as_text=True)
    assert "Explains plainly." in page and "Accept into the next version" in page
    response = client.post(
        f"/f/sessions/{session.code}/suggestions/{first.id}/accept", data={"text": first.text}
    )
    assert response.status_code == 302
    framework = db.session.get(Framework, framework.id)
    assert [v.number for v in framework.versions] == [1, 2]
    v2 = framework.latest
    assert next(s for s in v2.skills if s.code == code).definition == "Explains plainly."
    assert session.framework_version.skills[0].definition != "Explains plainly."  # the session's list is kept
    assert first.accepted_version_id == v2.id
    assert v2.provenance["accepted"][0] | {"at": None} == {
        "answer_id": first.id, "session": session.code, "participant": "P01", "round": 1, "item": code,
        "field": "definition", "from_version": 1, "at": None,
    }  # fmt: skip
    # A second acceptance, edited by the facilitator, updates the unused draft version 2.
    client.post(
        f"/f/sessions/{session.code}/suggestions/{second.id}/accept", data={"text": "Makes it clear."}
    )
    framework = db.session.get(Framework, framework.id)
    assert [v.number for v in framework.versions] == [1, 2]
    assert next(s for s in framework.latest.skills if s.code == code).definition == "Makes it clear."
    assert [a["answer_id"] for a in framework.latest.provenance["accepted"]] == [first.id, second.id]
    page = client.get(f"/f/sessions/{session.code}/suggestions").get_data(as_text=True)
    assert page.count("<strong>Accepted</strong> into version 2") == 2
    # An emptied accepted answer keeps its row: the version still points to it.
    ack(socks[0], "submit_open_answer", {"skill_id": skill, "question": "wording", "text": ""}, P)
    assert db.session.get(OpenAnswer, first.id) is not None


def test_a_guide_wording_replaces_the_section_text(make_session, phone, client, app):
    app.config["WTF_CSRF_ENABLED"] = False
    guide = frameworks.create_framework(
        "Guide", [frameworks.SkillInput("S1", "Intro", "", body="Old text.")], "guide"
    )
    session = make_session(
        state="live", pacing="self", framework_id=guide.id, criteria=[], open_questions=["wording", "missing"]
    )
    sock = phone(session)
    _state, skill = _first(sock)
    ack(sock, "submit_open_answer", {"skill_id": skill, "question": "wording", "text": "New.\n\nSecond."}, P)
    ack(sock, "submit_open_answer", {"skill_id": skill, "question": "missing", "text": "Costs."}, P)
    wording, missing = db.session.scalars(select(OpenAnswer).order_by(OpenAnswer.question.desc())).all()
    login(client, session.facilitator)
    client.post(f"/f/sessions/{session.code}/suggestions/{missing.id}/accept", data={})
    assert len(db.session.get(Framework, guide.id).versions) == 1  # "What is missing?" is not a wording
    client.post(f"/f/sessions/{session.code}/suggestions/{wording.id}/accept", data={})
    latest = db.session.get(Framework, guide.id).latest
    assert latest.number == 2 and latest.skills[0].body == "New.\n\nSecond." and latest.provenance["accepted"]


def test_once_voting_started_the_form_shows_the_open_questions_by_name(make_session, client):
    session = make_session(state="live", open_questions=["missing", "wording"])
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}/edit").get_data(as_text=True)
    assert "What is missing?; Suggest a better wording" in page


def test_open_answers_are_in_the_workbook_with_the_version_an_accepted_wording_went_into(
    make_session, phone, client, app
):
    app.config["WTF_CSRF_ENABLED"] = False
    guide = frameworks.create_framework(
        "Guide", [frameworks.SkillInput("S1", "Intro", "", body="Old text.")], "guide"
    )
    session = make_session(
        state="live", pacing="self", framework_id=guide.id, criteria=[], open_questions=["wording", "missing"]
    )
    sock = phone(session)
    _state, skill = _first(sock)
    ack(sock, "submit_open_answer", {"skill_id": skill, "question": "wording", "text": "New text."}, P)
    ack(sock, "submit_open_answer", {"skill_id": skill, "question": "missing", "text": "=Costs"}, P)
    wording = db.session.scalars(select(OpenAnswer).where(OpenAnswer.question == "wording")).one()
    login(client, session.facilitator)
    client.post(f"/f/sessions/{session.code}/suggestions/{wording.id}/accept", data={})
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/f/sessions/{session.code}/export.xlsx").data))
    from tests.fixtures.export_factories import header_names

    sheet = book["Open answers"]
    _, *rows = sheet.iter_rows(values_only=True)
    header = header_names(book, "Open answers")
    assert header[2:] == (
        "skill_code", "skill_name", "pseudonym", "question", "round", "text", "written_utc", "changed_utc",
        "accepted_version",
    )  # fmt: skip
    got = sorted((r[2], r[4], r[5], r[6], r[7], r[10]) for r in rows)
    assert got == [("S1", "P01", "missing", 1, "=Costs", None), ("S1", "P01", "wording", 1, "New text.", 2)]
    assert [c.data_type for c in sheet["H"][1:]] == ["s", "s"]  # "=Costs" stays text, not a formula
    codes = [r for r in book["Codebook"].iter_rows(values_only=True) if r[:2] == ("Open answers", "question")]
    assert any("missing" in r and "What is missing?" in r for r in codes)
    # A session asking no open questions has no such sheet.
    plain = make_session(state="live", facilitator=session.facilitator)
    other = openpyxl.load_workbook(io.BytesIO(client.get(f"/f/sessions/{plain.code}/export.xlsx").data))
    assert "Open answers" not in other.sheetnames


def test_a_resend_of_the_text_stored_before_the_lock_is_acknowledged(make_session, phone):
    """The phone's ack was lost, the answer was not: its resend after the lock is acknowledged as
    stored (so the phone marks it saved, not refused); any other text is refused, nothing is written."""
    session = make_session(state="live", pacing="self", open_questions=["missing"])
    sock = phone(session)
    _state, skill = _first(sock)
    answer = {"skill_id": skill, "question": "missing", "text": "Ethics."}
    comment = {"skill_id": skill, "text": "Hard to judge."}
    assert ack(sock, "submit_open_answer", answer, P)["ok"]
    assert ack(sock, "submit_comment", comment, P)["ok"]
    sessions.lock_item(session, skill)
    again = ack(sock, "submit_open_answer", {**answer, "text": " Ethics. "}, P)
    assert again == {"ok": True, "skill_id": skill, "question": "missing", "round": 1, "text": "Ethics."}
    assert ack(sock, "submit_comment", comment, P) == {
        "ok": True,
        "skill_id": skill,
        "text": "Hard to judge.",
    }
    assert ack(sock, "submit_open_answer", {**answer, "text": "Costs."}, P)["error"] == "item_locked"
    assert ack(sock, "submit_open_answer", {**answer, "text": ""}, P)["error"] == "item_locked"
    assert ack(sock, "submit_comment", {**comment, "text": "Changed."}, P)["error"] == "item_locked"
    assert db.session.scalars(select(OpenAnswer)).one().text == "Ethics."
    assert ack(sock, "sync", {}, P)["answers"][str(skill)]["comment"] == "Hard to judge."
