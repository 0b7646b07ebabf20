"""Pick-k questions over Socket.IO: acks, idempotent upserts, refusals that store nothing, reveal."""

from __future__ import annotations

from typing import Any

import pytest

from core.extensions import socketio
from models import Answer, db
from services.prioritisation import QuestionSpec
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


@pytest.fixture
def workshop(make_session, facilitator_socket):
    """A live session asking 'pick exactly 3' over the example framework's 10 skills."""

    def make(exact: bool = True) -> tuple[Any, Any, dict[str, Any]]:
        session = make_session(
            state="live",
            criteria=[],
            questions=[QuestionSpec("pick", "Indispensable?", {"k": 3, "exact": exact})],
        )
        fac = facilitator_socket(session)
        state = ack(fac, "sync_questions", {"code": session.code}, F)
        assert state["ok"], state
        # the session's state, for a panel socket that connected after a change (docs/protocol.md)
        assert (state["state"], state["revision"]) == ("live", session.revision)
        return session, fac, state

    return make


def _pick(sock: Any, question_id: int, picks: list[int]) -> dict[str, Any]:
    return ack(sock, "submit_answer", {"question_id": question_id, "value": {"picks": picks}}, P)


def test_pick_three_live_results_hidden_until_revealed(workshop, phone):
    session, fac, state = workshop()
    question = state["questions"][0]
    ids = [i["skill_id"] for i in state["items"]]
    assert (question["kind"], len(ids)) == ("pick", 10)
    assert question["params"] == {"k": 3, "exact": True, "threshold": 50}
    phones = [phone(session) for _ in range(3)]
    assert _pick(phones[0], question["id"], ids[:3])["error"] == "item_not_open"

    opened = ack(fac, "open_question", {"code": session.code, "question_id": question["id"]}, F)
    assert opened["ok"] and opened["on_screen"]
    assert received(phones[0], P, "questions_updated")[-1]["questions"][0]["status"] == "open"
    for sock, picks in zip(phones, (ids[:3], ids[1:4], [ids[0], ids[5], ids[9]]), strict=True):
        reply = _pick(sock, question["id"], picks)
        assert reply == {"ok": True, "question_id": question["id"], "round": 1, "value": {"picks": picks}}

    live = received(fac, F, "question_results")[-1]
    assert (live["n"], live["joined"]) == (3, 3)
    top = live["items"][0]
    assert (top["skill_id"], top["count"], round(top["share"], 3)) == (ids[0], 2, 0.667)
    assert round(top["ci_low"], 4) == 0.2077 and round(top["ci_high"], 4) == 0.9385  # Wilson, 2 of 3
    assert received(phones[1], P, "question_results_revealed") == []  # hidden until revealed
    assert ack(fac, "reveal_question", {"code": session.code, "question_id": question["id"]}, F)["ok"]
    assert received(phones[1], P, "question_results_revealed")[-1]["items"][0]["count"] == 2
    projector = socketio.test_client(
        fac.flask_test_client.application, namespace=F, flask_test_client=fac.flask_test_client,
        auth={"code": session.code, "view": "projector"},
    )  # fmt: skip
    _pick(phones[2], question["id"], ids[:3])  # changed while open: the projector follows
    assert received(projector, F, "question_results_revealed")[-1]["items"][0]["count"] == 3

    assert ack(fac, "lock_question", {"code": session.code, "question_id": question["id"]}, F)["ok"]
    assert _pick(phones[0], question["id"], ids[4:7])["error"] == "item_locked"
    stored = sorted(a.value["picks"][0] for a in db.session.query(Answer))
    assert stored == sorted([ids[0], ids[1], ids[0]])


def test_results_are_revealed_only_once_people_can_vote(workshop, phone):
    """Revealing a question nobody was shown reveals nothing and would put every vote on the
    projector as it came in: refused, and nothing changes; hiding is always allowed."""
    session, fac, state = workshop()
    qid, code = state["questions"][0]["id"], session.code
    sock = phone(session)
    early = ack(fac, "reveal_question", {"code": code, "question_id": qid}, F)
    assert (early["ok"], early["error"]) == (False, "invalid_state")
    assert early["message"].startswith("Nobody can have voted yet")
    assert ack(fac, "sync_questions", {"code": code}, F)["questions"][0]["revealed"] is False
    assert received(sock, P, "questions_updated") == []
    assert ack(fac, "reveal_question", {"code": code, "question_id": qid, "revealed": False}, F)["ok"]
    assert ack(fac, "open_question", {"code": code, "question_id": qid}, F)["ok"]
    assert ack(fac, "reveal_question", {"code": code, "question_id": qid}, F)["revealed"] is True


def test_refusals_have_codes_and_store_nothing(workshop, phone):
    session, fac, state = workshop()
    qid, ids = state["questions"][0]["id"], [i["skill_id"] for i in state["items"]]
    ack(fac, "open_question", {"code": session.code, "question_id": qid}, F)
    sock = phone(session)
    cases = [
        ({"question_id": qid, "value": {"picks": ids[:4]}}, "too_many_picks"),
        ({"question_id": qid, "value": {"picks": ids[:2]}}, "too_few_picks"),
        ({"question_id": qid, "value": {"picks": [ids[0], ids[0], ids[1]]}}, "duplicate_item"),
        ({"question_id": qid, "value": {"picks": [ids[0], ids[1], 999_999]}}, "unknown_item"),
        ({"question_id": qid, "value": {"picks": "1,2,3"}}, "bad_payload"),
        ({"question_id": qid, "value": [1, 2, 3]}, "bad_payload"),
        ({"question_id": 999_999, "value": {"picks": ids[:3]}}, "unknown_item"),
        ({"question_id": "1", "value": {"picks": ids[:3]}}, "bad_payload"),
        ("nonsense", "bad_payload"),
    ]
    for payload, code in cases:
        reply = ack(sock, "submit_answer", payload, P)
        assert (reply["ok"], reply["error"]) == (False, code), payload
        assert reply["message"]
    assert db.session.query(Answer).count() == 0


def test_at_most_k_retries_are_one_row_and_survive_reconnect(workshop, phone, app):
    session, fac, state = workshop(exact=False)
    qid, ids = state["questions"][0]["id"], [i["skill_id"] for i in state["items"]]
    ack(fac, "open_question", {"code": session.code, "question_id": qid}, F)
    sock = phone(session)
    assert _pick(sock, qid, ids[:1])["ok"]  # at most 3: one is fine
    for _ in range(3):  # the offline queue resends until it hears an ack
        assert _pick(sock, qid, ids[2:4])["ok"]
    assert db.session.query(Answer).count() == 1
    sock.disconnect(namespace=P)
    again = socketio.test_client(app, namespace=P, auth={"token": sock.token})
    synced = ack(again, "sync_questions", {}, P)
    assert synced["answers"] == {str(qid): {"picks": ids[2:4]}}
    assert synced["results"] == []  # not revealed yet

    assert ack(fac, "revote_question", {"code": session.code, "question_id": qid}, F)["round"] == 2
    assert ack(again, "sync_questions", {}, P)["answers"] == {}  # a new round starts empty
    assert _pick(again, qid, ids[5:6])["round"] == 2
    assert db.session.query(Answer).count() == 2  # round 1 is kept


def test_closed_session_and_other_sessions_questions_are_refused(workshop, phone, make_session):
    session, fac, state = workshop()
    other, _, other_state = workshop()
    qid, ids = state["questions"][0]["id"], [i["skill_id"] for i in state["items"]]
    ack(fac, "open_question", {"code": session.code, "question_id": qid}, F)
    sock = phone(other)
    assert _pick(sock, qid, ids[:3])["error"] == "unknown_item"  # not this phone's session
    mine = phone(session)
    assert ack(fac, "set_state", {"code": session.code, "state": "closed"}, F)["ok"]
    assert _pick(mine, qid, ids[:3])["error"] == "session_closed"
    assert db.session.query(Answer).count() == 0


def test_rank_and_points_rounds_with_their_refusals(make_session, facilitator_socket, phone):
    session = make_session(
        state="live",
        criteria=[],
        questions=[
            QuestionSpec("rank", "Order the top three", {"k": 3}),
            QuestionSpec("points", "Spread 100 points", {"budget": 100}),
        ],
    )
    fac = facilitator_socket(session)
    state = ack(fac, "sync_questions", {"code": session.code}, F)
    (rank_q, points_q), ids = state["questions"], [i["skill_id"] for i in state["items"]]
    assert (rank_q["params"], points_q["params"]) == ({"k": 3}, {"budget": 100})
    phones = [phone(session) for _ in range(2)]

    ack(fac, "open_question", {"code": session.code, "question_id": rank_q["id"]}, F)
    ranks = lambda *order: {"ranks": {str(i): r for r, i in enumerate(order, start=1)}}  # noqa: E731
    dup = {"ranks": {str(ids[0]): 1, str(ids[1]): 1, str(ids[2]): 2}}
    refused = ack(phones[0], "submit_answer", {"question_id": rank_q["id"], "value": dup}, P)
    assert (refused["ok"], refused["error"]) == (False, "duplicate_rank")
    assert db.session.query(Answer).count() == 0
    for sock, order in zip(phones, ((ids[0], ids[1], ids[2]), (ids[0], ids[2], ids[1])), strict=True):
        reply = ack(sock, "submit_answer", {"question_id": rank_q["id"], "value": ranks(*order)}, P)
        assert reply["value"] == {"order": list(order)}
    live = received(fac, F, "question_results")[-1]
    first = live["items"][0]
    assert (first["skill_id"], first["mean_rank"], first["borda"]) == (ids[0], 1.0, 18.0)  # 2 x (10 - 1)
    assert 0 < live["agreement"]["w"] <= 1 and live["agreement"]["df"] == 9

    ack(fac, "open_question", {"code": session.code, "question_id": points_q["id"]}, F)
    assert (
        received(phones[0], P, "questions_updated")[-1]["questions"][0]["on_screen"] is False
    )  # one at a time
    over = {"points": {str(ids[0]): 80, str(ids[1]): 30}}
    refused = ack(phones[0], "submit_answer", {"question_id": points_q["id"], "value": over}, P)
    assert refused["error"] == "over_budget" and "100" in refused["message"]
    assert db.session.query(Answer).filter_by(question_id=points_q["id"]).count() == 0
    spend = {"points": {str(ids[0]): 70, str(ids[1]): 30}}
    assert ack(phones[0], "submit_answer", {"question_id": points_q["id"], "value": spend}, P)["ok"]
    result = received(fac, F, "question_results")[-1]
    assert result["items"][0] == {
        "skill_id": ids[0], "given": 1, "total": 70.0, "mean": 70.0, "share": 0.7, "bar": 1.0,
    }  # fmt: skip
    # The rank question was taken off screen but stays open: answers to it still count.
    assert ack(
        phones[1], "submit_answer", {"question_id": rank_q["id"], "value": ranks(ids[3], ids[4], ids[5])}, P
    )["ok"]


def test_demo_prepares_a_prioritisation_workshop_once(tmp_path):
    from core import create_app
    from models import LiveSession

    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"})
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    with app.app_context():  # the demo waits for the first-run page's account
        from services import users

        users.create_user("admin@example.org", "correct horse battery", "admin", "Admin")
    outputs = [runner.invoke(args=["demo", "--port", "5123"]) for _ in range(2)]
    assert all(o.exit_code == 0 for o in outputs), outputs[0].output
    lines = [
        next(x for x in o.output.splitlines() if x.startswith("Prioritisation workshop:")) for o in outputs
    ]
    assert lines[0] == lines[1]  # the same workshop, not a second one
    code = lines[0].split("/j/")[1].rstrip(")")
    assert f":5123/f/sessions/{code}" in lines[0]
    assert (
        outputs[0].output.split("Join code:")[1].split()[0] != code
    )  # the rating meeting is another session
    with app.app_context():
        from services.prioritisation import questions_of

        workshop = db.session.query(LiveSession).filter_by(code=code).one()
        assert (workshop.state.value, [q.kind for q in questions_of(workshop.id)]) == (
            "open",
            ["pick", "rank", "points"],
        )
        db.engine.dispose()


def test_top_k_becomes_a_framework_version_with_provenance(workshop, phone):
    from models import Framework, FrameworkVersion

    session, fac, state = workshop()
    qid, ids = state["questions"][0]["id"], [i["skill_id"] for i in state["items"]]
    ack(fac, "open_question", {"code": session.code, "question_id": qid}, F)
    for picks in (ids[:3], ids[1:4], [ids[1], ids[2], ids[9]]):
        assert _pick(phone(session), qid, picks)["ok"]
    top = [
        i["skill_id"]
        for i in ack(fac, "sync_questions", {"code": session.code}, F)["results"][0]["items"][:3]
    ]
    assert top == [ids[1], ids[2], ids[0]]
    chosen = [ids[1], ids[2], ids[9]]  # the facilitator swaps the third for the tenth
    made = ack(fac, "make_framework", {"code": session.code, "question_id": qid, "skill_ids": chosen}, F)
    assert made["ok"] and (made["version"], made["skills"]) == (1, 3)
    version = db.session.get(FrameworkVersion, db.session.get(Framework, made["framework_id"]).latest.id)
    assert version.framework.name.endswith(f"top 3 ({session.title})")
    assert session.framework_version.framework.latest.number == 1  # the long list is left as it was
    originals = {s.id: s.code for s in session.framework_version.skills}
    assert [s.code for s in version.skills] == [originals[i] for i in chosen]
    provenance = version.provenance
    assert (provenance["session"], provenance["kind"], provenance["n"], provenance["from_version"]) == (
        session.code, "pick", 3, 1,
    )  # fmt: skip
    assert [(c["code"], c["count"]) for c in provenance["chosen"]] == [
        (originals[ids[1]], 3), (originals[ids[2]], 3), (originals[ids[9]], 1),
    ]  # fmt: skip
    for bad, code in (
        ([], "validation_error"),
        ([ids[0], ids[0]], "validation_error"),
        ([10**6], "unknown_item"),
    ):
        assert (
            ack(fac, "make_framework", {"code": session.code, "question_id": qid, "skill_ids": bad}, F)[
                "error"
            ]
            == code
        )
    assert db.session.query(FrameworkVersion).count() == 2


def test_workbook_has_rankings_priorities_and_their_codebook(
    make_session, facilitator_socket, phone, tmp_path
):
    from openpyxl import load_workbook

    from services.spreadsheet import export_sessions

    session = make_session(
        state="live",
        criteria=["relevance"],
        questions=[QuestionSpec("pick", "Pick two", {"k": 2, "exact": True}), QuestionSpec("points", "", {})],
    )
    fac = facilitator_socket(session)
    state = ack(fac, "sync_questions", {"code": session.code}, F)
    (pick_q, points_q), ids = state["questions"], [i["skill_id"] for i in state["items"]]
    for q in (pick_q, points_q):
        ack(fac, "open_question", {"code": session.code, "question_id": q["id"]}, F)
    first, second = phone(session), phone(session)
    _pick(first, pick_q["id"], [ids[0], ids[1]])
    _pick(second, pick_q["id"], [ids[0], ids[2]])
    spend = {"points": {str(ids[2]): 100}}
    ack(first, "submit_answer", {"question_id": points_q["id"], "value": spend}, P)

    path = tmp_path / "workshop.xlsx"
    export_sessions([session.code], str(path))
    from tests.fixtures.export_factories import header_names

    book = load_workbook(path)
    assert book.sheetnames.index("Rankings") < book.sheetnames.index("Codebook")
    rows = list(book["Rankings"].iter_rows(values_only=True))
    header = header_names(book, "Rankings")
    assert header[-2:] == ("q1_picked", "q2_points")
    rows = [r + (None,) * (len(header) - len(r)) for r in rows]  # trailing empty cells are not stored
    by = {(r[header.index("pseudonym")], r[header.index("skill_code")]): r for r in rows[1:]}
    codes = {s.id: s.code for s in session.framework_version.skills}
    assert len(rows) - 1 == 2 * 10  # two people x ten skills
    assert by[("P01", codes[ids[1]])][-2:] == (1, 0)
    assert by[("P01", codes[ids[2]])][-2:] == (0, 100)
    assert by[("P02", codes[ids[2]])][-2:] == (1, None)  # P02 gave no points: empty, not 0
    priorities = list(book["Priorities"].iter_rows(values_only=True))
    head = header_names(book, "Priorities")
    top = dict(zip(head, priorities[1] + (None,) * len(head), strict=False))
    assert (top["question"], top["kind"], top["group_rank"], top["skill_code"], top["count"]) == (
        1, "pick", 1, codes[ids[0]], 2,
    )  # fmt: skip
    assert top["share"] == 1 and top["kendall_w"] is not None and top["df"] == 9
    # The session's share rule (50% by default) and the tie across the k = 2 cut (1 of 2 each).
    rule = {r[head.index("skill_code")]: r[head.index("threshold") :] for r in priorities[1:11]}
    chosen, tied = (
        head.index("chosen") - head.index("threshold"),
        head.index("tied_at_cut") - head.index("threshold"),
    )
    assert [rule[codes[i]][0] for i in ids[:3]] == [0.5] * 3
    assert [(rule[codes[i]][chosen], rule[codes[i]][tied]) for i in ids[:4]] == [
        (1, 0),
        (1, 1),
        (1, 1),
        (0, 0),
    ]
    assert ("Priorities", "chosen") in {(r[0], r[1]) for r in book["Codebook"].iter_rows(values_only=True)}
    codebook = {(r[0], r[1]) for r in book["Codebook"].iter_rows(values_only=True)}
    assert {("Rankings", "q1_picked"), ("Rankings", "q2_points"), ("Priorities", "borda")} <= codebook


def test_workbook_of_a_rating_meeting_has_no_list_sheets(make_session, tmp_path):
    from openpyxl import load_workbook

    from services.spreadsheet import export_sessions

    session = make_session(state="live")
    export_sessions([session.code], str(tmp_path / "m.xlsx"))
    assert "Rankings" not in load_workbook(tmp_path / "m.xlsx", read_only=True).sheetnames


def test_second_round_shows_my_previous_answer_and_the_groups_ranking(workshop, phone):
    """A re-vote: each phone gets its own round-1 answer and the group's round-1 result, not others'."""
    session, fac, state = workshop()
    qid, ids = state["questions"][0]["id"], [i["skill_id"] for i in state["items"]]
    ack(fac, "open_question", {"code": session.code, "question_id": qid}, F)
    first, second, late = phone(session), phone(session), phone(session)
    assert ack(first, "sync_questions", {}, P)["previous"] == {}  # round 1: nothing to show
    assert _pick(first, qid, ids[:3])["ok"]
    assert _pick(second, qid, ids[1:4])["ok"]

    assert ack(fac, "revote_question", {"code": session.code, "question_id": qid}, F)["round"] == 2
    assert _pick(first, qid, ids[5:8])["ok"]  # round 2 answers do not change round 1's feedback
    mine = ack(first, "sync_questions", {}, P)["previous"][str(qid)]
    assert (mine["round"], mine["mine"]) == (1, {"picks": ids[:3]})
    group = mine["group"]
    assert (group["round"], group["n"]) == (1, 2)
    top = [(e["skill_id"], e["count"]) for e in group["items"][:3]]
    assert top == [(ids[1], 2), (ids[2], 2), (ids[0], 1)]
    assert ack(second, "sync_questions", {}, P)["previous"][str(qid)]["mine"] == {"picks": ids[1:4]}
    assert ack(late, "sync_questions", {}, P)["previous"][str(qid)]["mine"] is None  # gave none in round 1


def test_results_page_comparison_and_merged_export_show_pooled_figures(
    make_session, make_user, facilitator_socket, phone, client, tmp_path
):
    """Two workshops on one framework: each results page shows its own picks; the comparison page
    and the merged workbook pool them (everyone counts once)."""
    from openpyxl import load_workbook

    from services.spreadsheet import export_sessions
    from tests.conftest import login
    from tests.integration.test_page_matrix import page, tables

    owner = make_user()
    spec = QuestionSpec("pick", "Indispensable?", {"k": 2, "exact": True, "threshold": 60})
    workshops = [make_session(state="live", criteria=[], questions=[spec], facilitator=owner) for _ in "ab"]
    answers = ([[0, 1], [0, 2]], [[1, 2], [0, 1], [1, 3]])  # by list position; pooled: 1 x4, 0 x3, 2 x2, 3 x1
    for session, picks in zip(workshops, answers, strict=True):
        fac = facilitator_socket(session)
        state = ack(fac, "sync_questions", {"code": session.code}, F)
        qid, ids = state["questions"][0]["id"], [i["skill_id"] for i in state["items"]]
        ack(fac, "open_question", {"code": session.code, "question_id": qid}, F)
        for chosen in picks:
            assert _pick(phone(session), qid, [ids[i] for i in chosen])["ok"]
    codes = [s.code for s in workshops]
    skills = sorted(workshops[0].framework_version.skills, key=lambda k: k.position)
    login(client, owner)

    own = page(
        client, f"/f/sessions/{codes[0]}/results", "Prioritisation", "chosen by at least 60% of the panel"
    )
    first = next(t for t in tables(own) if t and "count" in t[0])
    assert [(r["Skill"], r["count"], r["share"]) for r in first[:2]] == [
        (f"✓ {skills[0].code} {skills[0].name}", "2", "100%"),
        (f"= {skills[1].code} {skills[1].name}", "1", "50%"),  # ties with EMP across place 2
    ]

    compare = page(client, f"/f/sessions/{codes[0]}/compare", "Prioritisation, pooled", " + ".join(codes))
    pooled = next(t for t in tables(compare) if t and "count" in t[0])
    assert [(r["Skill"], r["count"], r["share"]) for r in pooled[:4]] == [
        (f"✓ {skills[1].code} {skills[1].name}", "4", "80%"),
        (f"✓ {skills[0].code} {skills[0].name}", "3", "60%"),  # 3 of 5: chosen by the 60% rule
        (f"{skills[2].code} {skills[2].name}", "2", "40%"),
        (f"{skills[3].code} {skills[3].name}", "1", "20%"),
    ]

    path = tmp_path / "merged.xlsx"
    export_sessions(codes, str(path))
    from tests.fixtures.export_factories import header_names

    book = load_workbook(path)
    rows = list(book["Pooled priorities"].iter_rows(values_only=True))
    head = header_names(book, "Pooled priorities")
    first_row = dict(zip(head, rows[1], strict=False))
    assert (first_row["sessions"], first_row["n"], first_row["count"], first_row["chosen"]) == (
        " + ".join(codes), 5, 4, 1,
    )  # fmt: skip
    assert ("Pooled priorities", "sessions") in {
        (r[0], r[1]) for r in book["Codebook"].iter_rows(values_only=True)
    }
    single = tmp_path / "one.xlsx"
    export_sessions(codes[:1], str(single))
    assert "Pooled priorities" not in load_workbook(single, read_only=True).sheetnames


def test_workshops_with_different_settings_pool_what_they_can_and_say_why(
    make_session, make_user, facilitator_socket, phone, client, tmp_path
):
    """Question 1 ranked to depth 3 in one workshop and 2 in the other: pooled as a top 2, said
    under the table. Question 2 asks to pick 2 in one and 3 in the other: not pooled, and the page
    and the merged workbook say why."""
    from openpyxl import load_workbook

    from services.spreadsheet import export_sessions
    from tests.conftest import login
    from tests.integration.test_page_matrix import page, tables

    owner = make_user()
    specs = [
        [
            QuestionSpec("rank", "Order them", {"k": k}),
            QuestionSpec("pick", "Indispensable?", {"k": p, "exact": True}),
        ]
        for k, p in ((3, 2), (2, 3))
    ]
    workshops = [make_session(state="live", criteria=[], questions=s, facilitator=owner) for s in specs]
    orders = ([0, 1, 2], [2, 1])  # by list position; top 2: first 1 and 0, then 2 and 1
    for session, order, picks in zip(workshops, orders, ([0, 1], [0, 1, 2]), strict=True):
        fac = facilitator_socket(session)
        state = ack(fac, "sync_questions", {"code": session.code}, F)
        ids = [i["skill_id"] for i in state["items"]]
        rank, pick = (q["id"] for q in state["questions"])
        sock = phone(session)
        for qid, value in ((rank, {"ranks": {str(ids[i]): r for r, i in enumerate(order, 1)}}),
                           (pick, {"picks": [ids[i] for i in picks]})):  # fmt: skip
            ack(fac, "open_question", {"code": session.code, "question_id": qid}, F)
            assert ack(sock, "submit_answer", {"question_id": qid, "value": value}, P)["ok"]
    codes = [s.code for s in workshops]
    login(client, owner)

    compare = page(client, f"/f/sessions/{codes[0]}/compare", "Prioritisation, pooled", " + ".join(codes))
    text = compare
    assert f"Ranked to different depths ({codes[0]}: 3, {codes[1]}: 2)" in text
    assert "every ranking is cut to its first 2 places" in text
    assert "Not pooled" in text and f"Different numbers to pick ({codes[0]}: = 2, {codes[1]}: = 3)" in text
    pooled = next(t for t in tables(compare) if t and "borda" in t[0])
    assert len(pooled) == len(workshops[0].framework_version.skills)

    path = tmp_path / "merged.xlsx"
    export_sessions(codes, str(path))
    english = load_workbook(path, read_only=True)
    rows = list(english["Pooled priorities"].iter_rows(values_only=True))
    english.close()  # read-only keeps the file open: closed before the same path is written again
    prompts = [r[3] for r in rows[1:] if r[3]]
    assert any(p.startswith("Note: Ranked to different depths") for p in prompts)
    assert any(p.startswith("Not pooled: Different numbers to pick") for p in prompts)

    # Exported by a Polish reader, the sheet and its notes are Polish (issue 14).
    from flask import g
    from flask_babel import refresh

    from tests.fixtures.export_factories import sheet_by_code

    with client.application.test_request_context():
        g.sb_locale = "pl"
        refresh()  # the test's app context keeps the locale of its last request
        export_sessions(codes, str(path))
    book = load_workbook(path)
    sheet = sheet_by_code(book, "Pooled priorities")
    assert sheet.title == "Priorytety łącznie"
    prompts = [r[3] for r in sheet.iter_rows(min_row=2, values_only=True) if r[3]]
    assert any(p.startswith("Uwaga: Rankingi różnej długości") for p in prompts), prompts
    assert any(p.startswith("Nie połączono: Różna liczba wyborów") for p in prompts), prompts


def test_phones_get_the_list_items_in_every_language_the_framework_has(workshop, phone):
    """A Polish phone showed a pick list in English while the same framework's rating items were
    in Polish: the list's items carry the framework's translations, as rating items do."""
    session, _fac, _state = workshop()
    items = ack(phone(session), "sync_questions", {}, P)["items"]
    communication = next(i for i in items if i["code"] == "COM")
    assert communication["name"] == "Communication"
    assert communication["i18n"]["pl"]["name"] == "Komunikacja"
    assert communication["i18n"]["fi"]["name"] == "Viestintä"
    assert communication["i18n"]["pl"]["cluster"]
