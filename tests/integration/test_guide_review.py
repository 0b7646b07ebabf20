"""A guide's sections as a session's items: imported through the page, sent to phones, exported."""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
from sqlalchemy import select

from domain.example_guide import SECTIONS
from models import Framework, db
from services import frameworks, sessions
from tests.conftest import ack, login
from tests.unit.test_framework_file import xlsx

P = "/participant"


def _guide_file() -> bytes:
    rows = [["code", "title", "text"], *[[c, t, body] for c, t, body in SECTIONS]]
    return xlsx({"Sections": rows, "Framework": [["name", "Programme guide"]]})


def test_a_guide_is_imported_as_a_guide_and_a_new_file_makes_its_next_version(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, make_user())
    form = {"file": (io.BytesIO(_guide_file()), "guide.xlsx"), "kind": "guide"}
    preview = client.post("/f/frameworks/import", data=form, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Import 4 sections" in page and "(Guide)" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    done = client.post(
        "/f/frameworks/import/confirm", data={"token": token, "filename": "guide.xlsx", "kind": "guide"}
    )
    assert done.status_code == 302
    guide = db.session.scalars(select(Framework)).one()
    assert guide.kind == "guide" and guide.latest.skills[1].body == SECTIONS[1][2]
    # A skills file cannot become the next version of a guide.
    skills = b"code,name,definition,cluster\nCOM,Communication,Explains.,People\n"
    again = client.post(
        "/f/frameworks/import",
        data={"file": (io.BytesIO(skills), "s.csv"), "into": guide.id},
        content_type="multipart/form-data",
    )
    assert again.status_code == 422 and "every section needs a body" not in again.get_data(as_text=True)
    assert len(guide.versions) == 1


def test_phones_get_the_sections_paragraphs_and_the_workbook_exports(make_user, make_session, phone, client):
    guide = frameworks.create_framework(
        "Guide", [frameworks.SkillInput(c, t, "", body=b) for c, t, b in SECTIONS], "guide"
    )
    session = make_session(state="live", pacing="self", framework_id=guide.id, criteria=["clarity"])
    sock = phone(session)
    state = ack(sock, "sync", {}, P)["session"]
    assert state["list"] == {"kind": "guide", "noun": "section", "plural": "sections"}
    first = state["items"][0]
    assert first["name"] == SECTIONS[0][1] and first["paragraphs"] == SECTIONS[0][2].split("\n\n")
    criterion = state["criteria"][0]["id"]
    assert ack(
        sock, "submit_rating", {"skill_id": first["skill_id"], "criterion_id": criterion, "value": 3}, P
    )["ok"]
    login(client, session.facilitator)
    response = client.get(f"/f/sessions/{session.code}/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert [r[-1] for r in book["Ratings"].iter_rows(min_row=2, values_only=True)]  # one row, exported
    # Editing the guide in the editor (which shows no texts) keeps each section's text.
    inputs = [frameworks.SkillInput(s.code, s.name + "!", "") for s in guide.latest.skills]
    version = frameworks.save_skills(guide, inputs, keep_extra=True)
    assert version.number == 2 and version.skills[0].body == SECTIONS[0][2]
    assert sessions.get_session(session.code).framework_version.skills[0].name == SECTIONS[0][1]


def test_a_guide_reviews_criteria_speak_of_sections_in_every_language(make_session, phone, client):
    guide = frameworks.create_framework(
        "Guide", [frameworks.SkillInput(c, t, "", body=b) for c, t, b in SECTIONS], "guide"
    )
    session = make_session(
        state="live", pacing="self", framework_id=guide.id, criteria=["relevance", "clarity"]
    )
    criteria = ack(phone(session), "sync", {}, P)["session"]["criteria"]
    relevance, clarity = criteria
    assert relevance["question"] == "How relevant is this section of the guide to its readers?"
    assert (clarity["label"], clarity["question"]) == ("Clarity of the section", "How clear is this section?")
    assert all("skill" not in c["question"] + c["label"] for c in criteria)
    assert clarity["i18n"]["pl"]["question"] == "Na ile ta sekcja jest jasna?"  # translated like any preset
    # A skills framework keeps its wording; a criterion added later is worded for sections too.
    assert make_session(criteria=["clarity"]).criteria[0].label == "Clarity of the definition"
    draft = make_session(state="draft", framework_id=guide.id, criteria=["relevance"])
    wider = replace(sessions.session_input(draft), criteria=["relevance", "essentiality"])
    sessions.update_session(draft, wider)
    assert draft.criteria[1].question == "Is this section essential to the guide?"
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}").get_data(as_text=True)
    assert "<h2>Sections</h2>" in page and "<h2>Skills</h2>" not in page
