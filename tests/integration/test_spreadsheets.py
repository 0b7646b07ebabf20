"""Spreadsheets through the dashboard and the command line, read back from the saved files."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from domain.framework_file import FrameworkDraft, SkillDraft, framework_to_xlsx, parse_framework_file
from models import Framework, db
from tests.conftest import ack, login, match_group

P = "/participant"


def _frameworks() -> int:
    return db.session.scalar(select(func.count(Framework.id))) or 0


def _upload(client, name: str, data: bytes, **extra):
    return client.post(
        "/f/frameworks/import",
        data={"file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def test_import_shows_every_problem_and_stores_nothing(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, make_user())
    before = _frameworks()
    bad = b"code,name,definition,cluster\nCOM,Communication,,Interpersonal\nCOM,Again,Def,X\n"
    response = _upload(client, "draft.csv", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was stored" in page and "C" in page
    assert _frameworks() == before
    not_a_sheet = _upload(client, "draft.xlsx", b"%PDF-1.4 not a spreadsheet")
    assert not_a_sheet.status_code == 422
    assert _frameworks() == before


def test_import_preview_confirm_and_round_trip(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, make_user())
    draft = FrameworkDraft(
        "Soft skills ąęł",
        (
            SkillDraft(
                "COM", "Communication", "Explains clearly.", "Interpersonal", {"name_pl": "Komunikacja"}
            ),
            SkillDraft("NEG", "Negotiation", "=1+1 reaches agreements", "Interpersonal"),
        ),
    )
    preview = _upload(client, "skills.xlsx", framework_to_xlsx(draft))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Komunikacja" in page and _frameworks() == 0
    token = page.split('name="token" value="')[1].split('"')[0]
    confirmed = client.post("/f/frameworks/import/confirm", data={"token": token, "filename": "skills.xlsx"})
    assert confirmed.status_code == 302
    framework = db.session.scalars(select(Framework)).one()
    assert [s.code for s in framework.latest.skills] == ["COM", "NEG"]
    exported = client.get(f"/f/frameworks/{framework.id}/export.xlsx")
    assert parse_framework_file("again.xlsx", exported.data) == draft
    # The held upload is gone: confirming twice cannot import twice.
    assert client.post("/f/frameworks/import/confirm", data={"token": token}).status_code == 410


def test_session_export_reads_back_what_phones_sent(
    make_session, facilitator_socket, phone, client, tmp_path
):
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    phones = [phone(session, {"sector": "Business"}) for _ in range(3)]
    state = ack(phones[0], "sync", {}, P)["session"]
    skill, criterion = state["items"][0]["skill_id"], state["criteria"][0]["id"]
    for sock, value in zip(phones, (4, 2, "cant_judge"), strict=True):
        assert ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": value}, P)[
            "ok"
        ]
    ack(phones[1], "submit_comment", {"skill_id": skill, "text": '=HYPERLINK("http://x")'}, P)

    login(client, session.facilitator)
    response = client.get(f"/f/sessions/{session.code}/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = _sheet(response.data, "Ratings")
    assert sorted((r["pseudonym"], r["value"]) for r in rows) == [("P01", 4), ("P02", 2), ("P03", None)]
    comments = [
        dict(zip(book["Comments"][1], r, strict=False)) for r in book["Comments"].iter_rows(min_row=2)
    ]
    texts = [
        c.value
        for row in book["Comments"].iter_rows(min_row=2)
        for c in row
        if c.value == '=HYPERLINK("http://x")'
    ]
    assert texts and comments
    assert all(
        c.data_type == "s"
        for row in book["Comments"].iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    )


def test_cli_import_and_merged_export(app, make_session, tmp_path: Path):
    runner = app.test_cli_runner()
    path = tmp_path / "fw.xlsx"
    path.write_bytes(
        framework_to_xlsx(FrameworkDraft("CLI framework", (SkillDraft("A1", "Alpha", "Def", "C"),)))
    )
    result = runner.invoke(args=["import-framework", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 skills" in result.output
    broken = tmp_path / "broken.csv"
    broken.write_text("code,name\nA1,Alpha\n")
    failed = runner.invoke(args=["import-framework", str(broken)])
    assert failed.exit_code != 0 and "definition" in failed.output.lower()

    first, second = make_session(state="live"), make_session(state="closed")
    out = tmp_path / "merged.xlsx"
    merged = runner.invoke(args=["export", first.code, second.code.lower(), "-o", str(out)])
    assert merged.exit_code == 0, merged.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames[:6] == ["Report", "About", "Summary", "Figures", "Rounds", "Ratings"]
    book.close()
    missing = runner.invoke(args=["export", "NOPE99", "-o", str(tmp_path / "x.xlsx")])
    assert missing.exit_code != 0 and "No session" in missing.output


def _sheet(data: bytes, name: str) -> list[dict]:
    from tests.fixtures.export_factories import records, sheet_by_code

    return records(sheet_by_code(openpyxl.load_workbook(io.BytesIO(data)), name))


def test_rare_profiles_are_hidden_unless_the_full_export_is_chosen(
    make_session, phone, client, app, tmp_path: Path
):
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    for sector in ("Business", "Business", "Business", "Expert"):
        phone(session, {"sector": sector})
    login(client, session.facilitator)
    default = client.get(f"/f/sessions/{session.code}/export.xlsx")
    # the lone "Expert" would give Business away too ("other" of one): all four read other
    assert {r["profile_sector"] for r in _sheet(default.data, "Participants")} == {"other (<3)"}
    page = client.get("/f/export")
    assert b'name="full_profiles"' in page.data and b"can be recognised" in page.data
    token = match_group(r'name="csrf_token" value="([^"]+)"', page.text)
    chosen = client.post("/f/export", data={"code": session.code, "full_profiles": "1", "csrf_token": token})
    assert chosen.status_code == 200, chosen.data[:300]
    sectors = sorted(r["profile_sector"] for r in _sheet(chosen.data, "Participants"))
    assert sectors == ["Business", "Business", "Business", "Expert"]
    about = {r["field"]: r["value"] for r in _sheet(chosen.data, "About") if r["session"] == "(export)"}
    assert about["profiles"].startswith("FULL")

    runner = app.test_cli_runner()
    out = tmp_path / "full.xlsx"
    result = runner.invoke(args=["export", session.code, "--full-profiles", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Warning: full profiles" in result.output
    assert "Expert" in {r["profile_sector"] for r in _sheet(out.read_bytes(), "Participants")}


def _two_candidate_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, code in (("Draft", "OLD"), ("Final", "NEW")):
        ws = wb.create_sheet(title)
        ws.append(["code", "name", "definition", "cluster"])
        ws.append([code, "Alpha", "Def", "C"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_says_which_of_two_candidate_sheets_it_read(app, client, make_user, tmp_path: Path):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, make_user())
    page = _upload(client, "two.xlsx", _two_candidate_workbook())
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert (
        "Sheet read: <strong>Draft</strong>" in text
        and "Several sheets have the skills columns (Draft, Final)" in text
    )
    runner = app.test_cli_runner()
    path = tmp_path / "two.xlsx"
    path.write_bytes(_two_candidate_workbook())
    before = _frameworks()
    asked = runner.invoke(args=["import-framework", str(path)])
    assert asked.exit_code != 0 and "--sheet" in asked.output and '"Draft", "Final"' in asked.output
    assert _frameworks() == before  # nothing imported
    chosen = runner.invoke(args=["import-framework", str(path), "--sheet", "Final"])
    assert chosen.exit_code == 0, chosen.output
    assert 'Reading the skills from sheet "Final"' in chosen.output
    wrong = runner.invoke(args=["import-framework", str(path), "--sheet", "Skils"])
    assert (
        wrong.exit_code != 0 and 'There is no sheet "Skils". Sheets found: "Draft", "Final".' in wrong.output
    )
