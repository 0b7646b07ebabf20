"""Delphi rounds on the phone: a re-vote sends the round, one's own previous answer and the group's result."""

from __future__ import annotations

from services import audit
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


def _item(payload, skill):
    return next(i for i in payload["items"] if i["skill_id"] == skill)


def test_revote_sends_round_previous_answers_and_group_result(make_session, facilitator_socket, phone):
    session = make_session(state="live", criteria=["relevance", "importance"])
    fac = facilitator_socket(session)
    skill = session.items[0].skill_id
    relevance, importance = (c.id for c in session.criteria)
    ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)
    phones = [phone(session) for _ in range(3)]
    round_one = [(4, 5), (2, "cant_judge"), (3, 3)]  # (relevance, importance) per phone
    for sock, (rel, imp) in zip(phones, round_one, strict=True):
        ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": relevance, "value": rel}, P)
        ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": importance, "value": imp}, P)
    first = _item(ack(phones[0], "sync", {}, P)["session"], skill)
    assert (first["round"], first["feedback"], first["previous"]) == (1, None, None)

    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    event = _item(received(phones[0], P, "session_updated")[-1], skill)
    assert event["round"] == 2 and "previous" not in event  # a broadcast carries no one's own answers
    group = event["feedback"]
    assert group["round"] == 1
    rel = group["criteria"][str(relevance)]
    assert (rel["n"], rel["n_abstain"], rel["counts"]) == (3, 0, [0, 1, 1, 1])
    assert (rel["median"], rel["q1"], rel["q3"]) == (3.0, 2.5, 3.5)
    imp = group["criteria"][str(importance)]
    assert (imp["n"], imp["n_abstain"], imp["counts"]) == (2, 1, [0, 0, 1, 0, 1])
    assert (imp["median"], imp["q1"], imp["q3"]) == (4.0, 3.5, 4.5)

    for sock, (rel_value, imp_value) in zip(phones, round_one, strict=True):
        state = ack(sock, "sync", {}, P)
        item = _item(state["session"], skill)
        assert item["round"] == 2
        assert item["previous"] == {str(relevance): rel_value, str(importance): imp_value}
        assert item["feedback"] == group  # the same figures after a reload as in the live event
        assert state["answers"] == {}  # the new round asks afresh
    # Items still in round 1 carry nothing.
    other = _item(ack(phones[0], "sync", {}, P)["session"], session.items[1].skill_id)
    assert (other["feedback"], other["previous"]) == (None, None)

    # Answers of round 2 do not change the feedback, which stays the round before the open one.
    ack(phones[0], "submit_rating", {"skill_id": skill, "criterion_id": relevance, "value": 1}, P)
    again = _item(ack(phones[0], "sync", {}, P)["session"], skill)
    assert again["feedback"] == group and again["previous"][str(relevance)] == 4


def test_a_third_round_feeds_back_the_second(make_session, facilitator_socket, phone):
    session = make_session(state="live", criteria=["relevance"], pacing="self")
    fac = facilitator_socket(session)
    skill = session.items[0].skill_id
    criterion = session.criteria[0].id
    sock = phone(session)
    for value in (1, 2):
        ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": value}, P)
        ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    item = _item(ack(sock, "sync", {}, P)["session"], skill)
    assert item["round"] == 3
    assert item["previous"] == {str(criterion): 2}
    assert item["feedback"]["round"] == 2
    assert item["feedback"]["criteria"][str(criterion)]["counts"] == [0, 1, 0, 0]


def test_reasons_given_in_a_round_are_fed_back_without_who_gave_them(make_session, facilitator_socket, phone):
    session = make_session(
        state="live", criteria=["relevance"], pacing="self", round_settings={"reason": "outside_iqr"}
    )
    fac = facilitator_socket(session)
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    phones = [phone(session) for _ in range(4)]
    for sock, value in zip(phones, (1, 3, 3, 4), strict=True):  # round 1: IQR 2.5-3.25
        ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": value}, P)
    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    why = {1: "Small firms never do this.", 4: "=Central to every project."}
    for sock, value in zip(phones, (1, 3, 3, 4), strict=True):
        answer = {"skill_id": skill, "criterion_id": criterion, "value": value, "reason": why.get(value)}
        assert ack(sock, "submit_rating", answer, P)["ok"]
    # Round 2 itself feeds back round 1, which had no reasons.
    assert (
        "reasons"
        not in _item(ack(phones[1], "sync", {}, P)["session"], skill)["feedback"]["criteria"][str(criterion)]
    )
    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    broadcast = received(phones[1], P, "session_updated")[-1]
    figures = _item(broadcast, skill)["feedback"]["criteria"][str(criterion)]
    assert figures["reasons"] == [
        {"value": 1, "text": "Small firms never do this."},
        {"value": 4, "text": "=Central to every project."},
    ]  # ordered by answer, with no pseudonym: everyone reads the same list
    assert all(set(r) == {"value", "text"} for r in figures["reasons"])


def test_the_facilitator_keeps_a_reason_from_the_panel_and_still_reads_it(
    make_session, facilitator_socket, phone
):
    session = make_session(
        state="live", criteria=["relevance"], pacing="self", round_settings={"reason": "outside_iqr"}
    )
    fac = facilitator_socket(session)
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    phones = [phone(session) for _ in range(4)]
    for sock, value in zip(phones, (1, 3, 3, 4), strict=True):
        ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": value}, P)
    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    rude = {
        "skill_id": skill,
        "criterion_id": criterion,
        "value": 1,
        "reason": "Whoever wrote this is a fool.",
    }
    assert ack(phones[0], "submit_rating", rude, P)["ok"]
    fine = {"skill_id": skill, "criterion_id": criterion, "value": 4, "reason": "Central to every project."}
    assert ack(phones[3], "submit_rating", fine, P)["ok"]
    hide = {"code": session.code, "participant": phones[0].pseudonym, "skill_id": skill,
            "criterion_id": criterion, "round": 2, "hidden": True}  # fmt: skip
    hidden = ack(fac, "hide_reason", hide, F)
    assert hidden["hidden"] is True and hidden["reason"] == rude["reason"]
    assert ack(fac, "sync", {"code": session.code}, F)["reasons"][0]["hidden"] is True  # still listed
    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    figures = _item(received(phones[1], P, "session_updated")[-1], skill)["feedback"]["criteria"][
        str(criterion)
    ]
    assert figures["reasons"] == [{"value": 4, "text": "Central to every project."}]
    assert ack(fac, "hide_reason", {**hide, "round": 3}, F)["error"] == "unknown_item"
    assert ack(fac, "hide_reason", {**hide, "hidden": "yes"}, F)["error"] == "bad_payload"
    assert ack(fac, "hide_reason", {**hide, "hidden": False}, F)["hidden"] is False
    shown = _item(ack(phones[1], "sync", {}, P)["session"], skill)["feedback"]["criteria"][str(criterion)]
    assert [r["value"] for r in shown["reasons"]] == [1, 4]


def test_a_hidden_reason_rewritten_by_its_author_is_shown_again_and_marked_changed(
    make_session, facilitator_socket, phone
):
    session = make_session(
        state="live", criteria=["relevance"], pacing="self", round_settings={"reason": "outside_iqr"}
    )
    fac = facilitator_socket(session)
    skill, criterion = session.items[0].skill_id, session.criteria[0].id
    phones = [phone(session) for _ in range(4)]
    for sock, value in zip(phones, (1, 3, 3, 4), strict=True):
        ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": criterion, "value": value}, P)
    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    answer = {"skill_id": skill, "criterion_id": criterion, "value": 1}
    assert ack(phones[0], "submit_rating", {**answer, "reason": "Whoever wrote this is a fool."}, P)["ok"]
    hide = {"code": session.code, "participant": phones[0].pseudonym, "skill_id": skill,
            "criterion_id": criterion, "round": 2, "hidden": True}  # fmt: skip
    assert ack(fac, "hide_reason", hide, F)["hidden"] is True
    received(fac, F, "reason_recorded")  # drain

    # Sending the same text again (a retry, another value) is not a new text: still hidden.
    assert ack(
        phones[0], "submit_rating", {**answer, "value": 2, "reason": "Whoever wrote this is a fool."}, P
    )["ok"]
    again = received(fac, F, "reason_recorded")[-1]
    assert (again["hidden"], again["changed"]) == (True, False)

    # A rewritten reason is a text the facilitator has not judged: shown, and marked changed.
    polite = "Small firms never have the budget for this."
    assert ack(phones[0], "submit_rating", {**answer, "reason": polite}, P)["ok"]
    live = received(fac, F, "reason_recorded")[-1]
    assert (live["reason"], live["hidden"], live["changed"]) == (polite, False, True)
    listed = ack(fac, "sync", {"code": session.code}, F)["reasons"][0]
    assert (listed["reason"], listed["hidden"], listed["changed"]) == (polite, False, True)
    log = [(e.action, e.target, e.actor) for e in audit.entries(session.code)]
    assert ("hidden_reason_rewritten", phones[0].pseudonym, "participant") in log
    assert "Small firms" not in str([e.detail for e in audit.entries(session.code)])  # no text in the log

    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    figures = _item(received(phones[1], P, "session_updated")[-1], skill)["feedback"]["criteria"][
        str(criterion)
    ]
    assert {"value": 1, "text": polite} in figures["reasons"]

    # Judged again (hidden, or shown): no longer marked changed.
    judged = ack(fac, "hide_reason", {**hide, "hidden": False}, F)
    assert (judged["hidden"], judged["changed"]) == (False, False)
