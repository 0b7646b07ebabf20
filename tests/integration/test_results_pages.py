"""The results page (meeting-level figures, breakdowns) and the comparison of meetings."""

from __future__ import annotations

import io
from collections import defaultdict

import openpyxl
import pytest

from analysis import meeting_figures, summarize
from services import meeting_stats, results
from services.payloads import progress_payload
from tests.conftest import ack, login
from tests.fixtures.export_factories import records

P = "/participant"


def _rate_all(session, phone, values_per_phone, sectors):
    socks = [phone(session, {"sector": sector}) for sector in sectors]
    state = ack(socks[0], "sync", {}, P)["session"]
    criterion = state["criteria"][0]["id"]
    for sock, values in zip(socks, values_per_phone, strict=True):
        for item, value in zip(state["items"], values, strict=False):
            reply = ack(
                sock,
                "submit_rating",
                {"skill_id": item["skill_id"], "criterion_id": criterion, "value": value},
                P,
            )
            assert reply["ok"], reply
    return state


def test_meeting_figures_and_breakdown(make_session, phone, client):
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    # Four raters on ten skills: everyone finds every skill relevant except two on skill 1.
    grid = [[4] * 10, [3] * 10, [1] + [4] * 9, [2] + [3] * 9]
    _rate_all(session, phone, grid, ["University", "University", "University", "Business"])
    figure = meeting_stats.meeting_figures(session)[0]
    # I-CVI = 2/4 on skill 1 and 1.0 on nine skills: S-CVI/Ave = (0.5 + 9)/10, S-CVI/UA = 9/10.
    assert (figure["s_cvi_ave"], figure["s_cvi_ua"]) == (0.95, 0.9)
    assert figure["raters"] == 4 and figure["icc_raters"] == 4
    rows = meeting_stats.breakdown(session, "sector")
    first = rows[0]["segments"]
    assert first["Business"] is None  # one rater: suppressed
    # and University with it: the session's figures minus University's would give Business's
    assert first["University"] is None
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}/results").get_data(as_text=True)
    assert "S-CVI/Ave" in page and "0.95" in page and "suppressed" in page
    assert page.count("Meeting-level figures") == 1
    assert f"<title>Results: {session.title} – Sounding Board</title>" in page


def test_comparison_flags_meetings_that_disagree(make_session, phone, make_user, client):
    owner = make_user()
    italy = make_session(
        state="live", pacing="self", criteria=["importance"], facilitator=owner, country="IT"
    )
    poland = make_session(
        state="live", pacing="self", criteria=["importance"], facilitator=owner, country="PL"
    )
    _rate_all(italy, phone, [[5], [5], [4], [5]], ["Business"] * 4)
    _rate_all(poland, phone, [[1], [2], [1], [2]], ["Business"] * 4)
    comparison = meeting_stats.compare([italy, poland])
    row = next(r for r in comparison["rows"] if r["sessions"][italy.code]["n"])
    assert row["disagree"] is True
    assert row["pooled"]["n"] == 8
    assert row["sessions"][italy.code]["consensus"] == "consensus"
    assert row["sessions"][poland.code]["consensus"] == "consensus_against"
    login(client, owner)
    page = client.get(f"/f/sessions/{italy.code}/compare").get_data(as_text=True)
    assert "meetings disagree" in page and poland.code in page


def _current_rows(book, session_code):
    """Ratings rows that feed the figures, read back from the workbook (current = 1)."""
    from tests.fixtures.export_factories import sheet_by_code

    out = records(sheet_by_code(book, "Ratings"))
    return [r for r in out if r["session"] == session_code and r["current"] == 1], out


def _recompute(current, criteria):
    """Per (skill, criterion key): the analysis summary of the current-round answers."""
    values = defaultdict(list)
    for r in current:
        values[(r["skill_code"], r["criterion"])].append(r["value"])
    return {
        key: summarize(vs, scale_min=criteria[key[1]]["scale_min"], scale_max=criteria[key[1]]["scale_max"],
                       measure=criteria[key[1]]["measure"])
        for key, vs in values.items()
    }  # fmt: skip


def test_revotes_app_and_workbook_agree_on_every_figure(make_session, phone, facilitator_socket, client):
    session = make_session(state="live", pacing="self", criteria=["relevance", "importance"])
    socks = [phone(session, {"sector": "University"}) for _ in range(5)]
    state = ack(socks[0], "sync", {}, P)["session"]
    skills = [i["skill_id"] for i in state["items"]][:4]
    rel, imp = state["criteria"]

    def rate(sock, skill, r, i):
        for criterion, value in ((rel, r), (imp, i)):
            payload = {"skill_id": skill, "criterion_id": criterion["id"], "value": value}
            assert ack(sock, "submit_rating", payload, P)["ok"]

    first = [(4, 5), (2, 2), (3, 4), (1, 1), (4, "cant_judge")]
    for n, sock in enumerate(socks):
        for k, skill in enumerate(skills):
            r, i = first[(n + k) % 5]
            rate(sock, skill, r, i)
    dashboard = facilitator_socket(session)
    assert ack(dashboard, "revote_item", {"code": session.code, "skill_id": skills[0]}, "/facilitator")["ok"]
    for sock in socks[:4]:  # round 2 of skill 1: four of five answer, all "relevant"
        rate(sock, skills[0], 4, 5)
    before = meeting_stats.meeting_figures(session)
    # Ten skills were never rated and a "can't judge" leaves holes: ICC still has a value.
    assert all(f["icc_2k"] is not None and f["unrated"] == len(state["items"]) - 4 for f in before)
    # A re-vote nobody has answered yet changes no figure.
    assert ack(dashboard, "revote_item", {"code": session.code, "skill_id": skills[1]}, "/facilitator")["ok"]
    assert meeting_stats.meeting_figures(session) == before
    by_skill = {r["skill_id"]: r for r in results.item_results(session)}
    assert (by_skill[skills[0]]["round"], by_skill[skills[0]]["open_round"]) == (2, 2)
    assert (by_skill[skills[1]]["round"], by_skill[skills[1]]["open_round"]) == (1, 2)
    assert by_skill[skills[0]]["criteria"][str(rel["id"])]["n"] == 4
    # The projector's live counts are of the open round: nobody has answered skill 2's re-vote.
    progress = {p["skill_id"]: p for p in progress_payload(list(by_skill.values()))}
    assert progress[skills[1]]["round"] == 2 and set(progress[skills[1]]["answered"].values()) == {0}
    assert set(progress[skills[0]]["answered"].values()) == {4}

    login(client, session.facilitator)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/f/sessions/{session.code}/export.xlsx").data))
    current, every = _current_rows(book, session.code)
    assert {(r["round"], r["current"]) for r in every if r["skill_code"] == state["items"][0]["code"]} == {
        (1, 0),
        (2, 1),
    }
    criteria = {c["key"]: c for c in state["criteria"]}
    expected = _recompute(current, criteria)
    codes = {i["skill_id"]: i["code"] for i in state["items"]}
    summary = records(book["Summary"])
    checked = segments = 0
    for row in summary:
        key = (row["skill_code"], row["criterion"])
        if row["segment"]:  # a profile segment: recomputed from the Ratings rows of that profile
            answer = row["segment"].split("=", 1)[1]
            mine = _recompute([r for r in current if r["profile_sector"] == answer], criteria).get(key)
            if row["answered"] != "suppressed (<3)":
                assert row["answered"] == (mine.n if mine else 0), key
                assert row["median"] == (mine.to_dict()["median"] if mine else None), key
                segments += 1
            continue
        app = next(r for r in by_skill.values() if codes[r["skill_id"]] == key[0])
        app_stats = app["criteria"][str(criteria[key[1]]["id"])]
        want = expected.get(key)
        if want is None:  # not rated at all
            assert row["answered"] == 0 and app_stats["n"] == 0
            continue
        for field in ("n", "n_abstain", "median", "iqr", "i_cvi", "k_star", "consensus"):
            sheet = {"n": row["answered"], "n_abstain": row["abstained"]}.get(field, row.get(field))
            mine = want.to_dict()[field]
            assert sheet == mine and app_stats[field] == mine, (key, field, sheet, app_stats[field], mine)
        assert row["round"] == app["round"]
        assert row["suggested_action"] == app["suggested_action"]
        checked += 1
    assert checked == 8 and segments
    # The Report says the same in words: N, median and IQR per criterion, from the same rows.
    report = records(book["Report"])
    worded = 0
    for row in report:
        code, topic, text = row["Skill"].split(" ", 1)[0], row["Topic"], row["In words"]
        c = next((c for c in criteria.values() if c["label"] == topic), None)
        want = expected.get((code, c["key"])) if c else None
        if want is None:
            continue
        assert text.startswith(f"{want.n} rated"), (code, topic, text)
        assert f"median {want.median:g} (IQR {want.iqr:g})" in text, (code, topic, text)
        worded += 1
    assert worded == 8
    # The Charts table and the Matrix: the same current-round answers, per skill and person.
    table = records(book["Charts"])
    for row in table:
        for key, c in criteria.items():
            want = expected.get((row["skill_code"], key))
            points = range(c["scale_min"], c["scale_max"] + 1)
            if want is None:
                assert row[f"median_{key}"] is None
                continue
            assert row[f"median_{key}"] == want.median
            assert [row[f"{key}_{p}"] for p in points] == list(want.counts)
            assert row[f"{key}_cant_judge"] == want.n_abstain
            assert row[f"label_{key}"].startswith(f"{row['skill_code']} (n {want.n}")
    matrix = records(book["Matrix"])
    cells = {(r["pseudonym"], f"{r['skill_code']}_{r['criterion']}"): r["value"] for r in current}
    for row in matrix:
        for column, value in row.items():
            if "_" in column and column.split("_", 1)[1] in criteria:
                assert value == cells.get((row["pseudonym"], column)), (row["pseudonym"], column)
    # The Rounds sheet: each round of the re-voted skill recomputed from every Ratings row.
    rounds = records(book["Rounds"])
    first_code = codes[skills[0]]
    assert {(r["skill_code"], r["round"]) for r in rounds} == {(first_code, 1), (first_code, 2)}
    for r in rounds:
        c = criteria[r["criterion"]]
        values = [
            x["value"]
            for x in every
            if (x["skill_code"], x["criterion"], x["round"]) == (first_code, c["key"], r["round"])
        ]
        mine = summarize(values, scale_min=c["scale_min"], scale_max=c["scale_max"], measure=c["measure"])
        assert (r["answered"], r["median"], r["iqr"]) == (mine.n, mine.median, mine.iqr), r
        assert r["current"] == (1 if r["round"] == 2 else 0)
    # Meeting-level figures: the Figures sheet, the results page's figures and a recomputation
    # from the Ratings sheet's current rows agree.
    figures = records(book["Figures"])
    names = {"S-CVI/Ave": "s_cvi_ave", "S-CVI/UA": "s_cvi_ua", "alpha (ordinal)": "alpha",
             "ICC(2,1)": "icc_21", "ICC(2,k)": "icc_2k", "AC2 (quadratic)": "ac2",
             "r_wg(J)": "rwg_j"}  # fmt: skip
    app_figures = {f["label"].lower(): f for f in meeting_stats.meeting_figures(session)}
    for key, c in criteria.items():
        people = sorted({r["pseudonym"] for r in current if r["criterion"] == key})
        cells = {(r["skill_code"], r["pseudonym"]): r["value"] for r in current if r["criterion"] == key}
        table = [[cells.get((i["code"], p)) for p in people] for i in state["items"]]
        mine = meeting_figures(
            table, measure=c["measure"], scale_min=c["scale_min"], scale_max=c["scale_max"]
        )
        rows = [f for f in figures if f["criterion"] == key]
        assert len(rows) == (7 if key == "relevance" else 5)
        for f in rows:
            field = names[f["figure"]]
            assert f["value"] == pytest.approx(getattr(mine, field)), (key, field)
            assert app_figures[key][field] == pytest.approx(getattr(mine, field)), (key, field)
            assert f["unrated"] == mine.unrated == len(state["items"]) - 4
            assert f["se"] == (pytest.approx(mine.ac2_se) if field == "ac2" else None)
    pooled = meeting_stats.compare([session])["rows"]
    first_rel = next(r for r in pooled if r["code"] == codes[skills[0]] and r["key"] == "relevance")
    assert first_rel["pooled"]["n"] == 4


def test_results_page_says_why_a_figure_is_empty_and_what_nobody_could_judge(make_session, phone, client):
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    state = _rate_all(session, phone, [[4, 4, 4], [4, 4, 4], [4, 4, 4]], ["University"] * 3)
    figure = meeting_stats.meeting_figures(session)[0]
    assert (figure["alpha"], figure["alpha_note"]) == (None, "no variation: every rating is the same")
    assert figure["icc_note"] == "no variation: every rating is the same"
    assert figure["unrated"] == len(state["items"]) - 3
    socks = [phone(session) for _ in range(2)]
    last = state["items"][-1]["skill_id"]
    for sock in socks:
        payload = {"skill_id": last, "criterion_id": state["criteria"][0]["id"], "value": "cant_judge"}
        assert ack(sock, "submit_rating", payload, P)["ok"]
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}/results").get_data(as_text=True)
    assert "no variation: every rating is the same" in page
    assert "Gwet's AC2" in page and "1.00" in page  # AC2 is defined, and perfect, without variation
    assert "No one could judge: clarify the definition" in page
    assert f"3 of {len(state['items'])}" in page


def test_high_agreement_reads_as_agreement_not_unreliability(make_session, phone, client):
    session = make_session(state="live", pacing="self", criteria=["relevance"])
    grid = [[4, 4, 4, 4, 4], [4, 4, 3, 4, 4], [4, 4, 4, 4, 4], [4, 4, 4, 3, 4]]  # 18 of 20 are "4"
    _rate_all(session, phone, grid, ["University"] * 4)
    figure = meeting_stats.meeting_figures(session)[0]
    assert figure["alpha"] < 0.1 and figure["ac2"] > 0.9 and figure["rwg_j"] > 0.9
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}/results").get_data(as_text=True)
    assert "High agreement, low reliability coefficient" in page


def test_results_page_warns_that_a_revoted_cvr_is_not_an_independent_test(
    make_session, phone, facilitator_socket, client
):
    session = make_session(state="live", pacing="self", criteria=["essentiality"])
    socks = [phone(session, {"sector": "University"}) for _ in range(5)]
    state = ack(socks[0], "sync", {}, P)["session"]
    first, second = (i["skill_id"] for i in state["items"][:2])
    criterion = state["criteria"][0]["id"]

    def rate(sock, skill, value):
        payload = {"skill_id": skill, "criterion_id": criterion, "value": value}
        assert ack(sock, "submit_rating", payload, P)["ok"]

    for sock in socks:
        rate(sock, first, 2)
        rate(sock, second, 3)
    login(client, session.facilitator)
    page = client.get(f"/f/sessions/{session.code}/results").get_data(as_text=True)
    assert "assumes independent votes" not in page
    dashboard = facilitator_socket(session)
    assert ack(dashboard, "revote_item", {"code": session.code, "skill_id": first}, "/facilitator")["ok"]
    for sock in socks:
        rate(sock, first, 3)
    page = client.get(f"/f/sessions/{session.code}/results").get_data(as_text=True)
    assert page.count("assumes independent votes") == 1  # the re-voted skill only
