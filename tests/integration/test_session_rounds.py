"""Delphi rounds over a whole session: start_round, reasons, movement between rounds, the stopping rule."""

from __future__ import annotations

import pytest

from domain.errors import InvalidStateError, ReasonRequiredError, ValidationError
from models import SessionRound, db
from services import participation, results, rounds, sessions
from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


def _item(payload, skill):
    return next(i for i in payload["items"] if i["skill_id"] == skill)


def _rate(sock, skill, criterion, value, reason=None):
    payload = {"skill_id": skill, "criterion_id": criterion, "value": value}
    if reason is not None:
        payload["reason"] = reason
    return sock.emit("submit_rating", payload, namespace=P, callback=True)


def test_start_round_for_the_whole_session_feeds_back_every_item(make_session, facilitator_socket, phone):
    session = make_session(state="live", criteria=["relevance"], pacing="self")
    fac = facilitator_socket(session)
    criterion = session.criteria[0].id
    skills = [i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)]
    phones = [phone(session) for _ in range(3)]
    for sock, value in zip(phones, (2, 3, 4), strict=True):
        for skill in skills[:2]:
            assert _rate(sock, skill, criterion, value)["ok"]

    started = ack(fac, "start_round", {"code": session.code, "scope": "all"}, F)
    assert started["ok"] and started["round"] == 2 and sorted(started["skill_ids"]) == sorted(skills)
    event = received(phones[0], P, "session_updated")[-1]
    assert {i["round"] for i in event["items"]} == {2}
    assert all(i["status"] == "open" for i in event["items"])  # self-paced: all open again
    state = ack(phones[0], "sync", {}, P)
    first = _item(state["session"], skills[0])
    assert first["previous"] == {str(criterion): 2}
    assert first["feedback"]["criteria"][str(criterion)]["median"] == 3.0
    assert _item(state["session"], skills[-1])["feedback"]["criteria"][str(criterion)]["n"] == 0
    assert state["answers"] == {}
    log = db.session.query(SessionRound).one()
    assert (log.number, log.started_by_id) == (2, session.facilitator_id)

    # Facilitator-paced: only the first item shows on phones, the others wait to be opened.
    paced = make_session(state="live", criteria=["relevance"])
    rounds.start_session_round(paced, None)
    ordered = sorted(paced.items, key=lambda i: i.skill.position)
    assert paced.current_skill_id == ordered[0].skill_id
    assert [i.status.value for i in ordered[:2]] == ["open", "pending"]


def test_start_round_only_for_items_not_meeting_the_stopping_rule(make_session, facilitator_socket, phone):
    session = make_session(
        state="live", criteria=["relevance"], pacing="self", round_settings={"stop_consensus": True}
    )
    fac = facilitator_socket(session)
    criterion = session.criteria[0].id
    agreed, split, *rest = [i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)]
    answers = [(4, 1), (4, 4), (3, 3), (4, 2)]
    for sock, (a, b) in zip([phone(session) for _ in range(4)], answers, strict=True):
        _rate(sock, agreed, criterion, a)
        _rate(sock, split, criterion, b)
    stop = {r["skill_id"]: r["stop"] for r in results.item_results(session)}
    assert stop[agreed] == {"met": True, "because": ["consensus"]}
    assert stop[split] == {"met": False, "because": []}

    started = ack(fac, "start_round", {"code": session.code, "scope": "unmet"}, F)
    assert agreed not in started["skill_ids"] and split in started["skill_ids"]
    rounds_now = {i.skill_id: i.round for i in session.items}
    assert rounds_now[agreed] == 1 and rounds_now[split] == 2 and all(rounds_now[s] == 2 for s in rest)
    assert ack(fac, "start_round", {"code": session.code, "scope": "some"}, F)["error"] == "bad_payload"


def test_start_round_refuses_outside_a_live_session_and_an_empty_choice(make_session):
    lobby = make_session(state="open")
    with pytest.raises(InvalidStateError):
        rounds.start_session_round(lobby, None)
    live = make_session(state="live")
    with pytest.raises(ValidationError):
        rounds.start_session_round(live, None, [])
    assert {i.round for i in live.items} == {1}


def test_a_reason_is_required_outside_the_iqr(make_session, facilitator_socket, phone):
    session = make_session(
        state="live", criteria=["relevance"], pacing="self", round_settings={"reason": "outside_iqr"}
    )
    fac = facilitator_socket(session)
    criterion = session.criteria[0].id
    skill = session.items[0].skill_id
    phones = [phone(session) for _ in range(4)]
    for sock, value in zip(phones, (2, 3, 3, 4), strict=True):  # Q1 2.75, median 3, Q3 3.25
        assert _rate(sock, skill, criterion, value)["ok"]  # round 1 never asks
    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)

    refused = _rate(phones[3], skill, criterion, 4)
    assert (refused["ok"], refused["error"]) == (False, "reason_required")
    assert results.item_results(session)[0]["open_round"] == 2
    assert ack(phones[3], "sync", {}, P)["answers"] == {}  # nothing stored
    assert _rate(phones[3], skill, criterion, 4, "   ")["error"] == "reason_required"
    assert _rate(phones[3], skill, criterion, 4, "x" * 501)["error"] == "validation_error"
    saved = _rate(phones[3], skill, criterion, 4, "  Core of the job in SMEs. ")
    assert saved["ok"] and saved["reason"] == "Core of the job in SMEs."
    assert _rate(phones[1], skill, criterion, 3)["ok"]  # inside the IQR: no reason
    assert _rate(phones[2], skill, criterion, "cant_judge")["ok"]  # abstaining never needs one

    events = received(fac, F, "reason_recorded")
    assert [e["reason"] for e in events] == ["Core of the job in SMEs.", None, None]  # then 3, can't judge
    assert events[0] == {
        "skill_id": skill,
        "criterion_id": criterion,
        "value": 4,
        "round": 2,
        "participant": phones[3].pseudonym,
        "reason": "Core of the job in SMEs.",
        "hidden": False,  # the facilitator has not kept it back
        "changed": False,  # nor rewritten since being kept back
    }
    listed = ack(fac, "sync", {"code": session.code}, F)["reasons"]
    assert [(r["participant"], r["round"], r["value"], r["reason"]) for r in listed] == [
        (phones[3].pseudonym, 2, 4, "Core of the job in SMEs.")
    ]
    # Moving back inside the IQR clears the reason, and dashboards hear so.
    assert "reason" not in _rate(phones[3], skill, criterion, 3)
    cleared = received(fac, F, "reason_recorded")[-1]  # each round-2 answer says whether it has one
    assert (cleared["participant"], cleared["value"], cleared["reason"]) == (phones[3].pseudonym, 3, None)
    assert ack(fac, "sync", {"code": session.code}, F)["reasons"] == []


def test_a_reason_is_required_when_moving_away_from_the_median(make_session, make_participant):
    session = make_session(
        state="live", criteria=["importance"], pacing="self", round_settings={"reason": "away_from_median"}
    )
    criterion = session.criteria[0].id
    skill = session.items[0].skill_id
    people = [make_participant(session)[0] for _ in range(3)]
    for person, value in zip(people, (2, 3, 4), strict=True):  # median 3
        participation.record_rating(person, {"skill_id": skill, "criterion_id": criterion, "value": value})
    sessions.revote_item(session, skill)

    def rate(person, value, reason=None):
        return participation.record_rating(
            person, {"skill_id": skill, "criterion_id": criterion, "value": value, "reason": reason}
        )

    with pytest.raises(ReasonRequiredError):
        rate(people[1], 4)  # was on the median, moves off it
    with pytest.raises(ReasonRequiredError):
        rate(people[0], 1)  # was 1 away, moves 2 away
    assert rate(people[2], 4).reason is None  # stays where it was: no reason asked
    assert rate(people[0], 3).reason is None  # moves towards the median
    assert rate(people[1], 5, "Changed my mind").reason == "Changed my mind"


def test_feedback_shows_only_what_the_session_chose(make_session, facilitator_socket, phone):
    session = make_session(state="live", criteria=["relevance"], round_settings={"feedback": ["median"]})
    fac = facilitator_socket(session)
    skill = session.items[0].skill_id
    ack(fac, "open_item", {"code": session.code, "skill_id": skill}, F)
    sock = phone(session)
    _rate(sock, skill, session.criteria[0].id, 3)
    ack(fac, "revote_item", {"code": session.code, "skill_id": skill}, F)
    state = ack(sock, "sync", {}, P)["session"]
    assert state["rounds"] == {"feedback": ["median"], "reason": "none"}
    figures = _item(state, skill)["feedback"]["criteria"][str(session.criteria[0].id)]
    assert figures == {"n": 1, "n_abstain": 0, "median": 3.0}


def test_round_settings_are_checked_and_frozen_once_live(make_session):
    with pytest.raises(ValidationError, match="median shown"):
        make_session(round_settings={"feedback": ["iqr"], "reason": "away_from_median"})
    with pytest.raises(ValidationError, match="between 2 and 10"):
        make_session(round_settings={"max_rounds": 1})
    session = make_session(state="live", round_settings={"max_rounds": 3})
    data = sessions.session_input(session)
    data.round_settings = {"max_rounds": 5}
    sessions.update_session(session, data)
    assert session.round_settings["max_rounds"] == 3


def test_movement_between_three_rounds(make_session, make_participant):
    session = make_session(
        state="live",
        criteria=["relevance"],
        pacing="self",
        round_settings={"stop_stability": True, "max_rounds": 3},
    )
    criterion = session.criteria[0].id
    skill = session.items[0].skill_id
    people = [make_participant(session)[0] for _ in range(4)]
    answers = [(1, 2, 3, 4), (2, 3, 3, 4), (2, 3, 3, 4)]
    for number, values in enumerate(answers, start=1):
        for person, value in zip(people, values, strict=True):
            payload = {"skill_id": skill, "criterion_id": criterion, "value": value}
            participation.record_rating(person, payload)
        item = results.item_results(session, [skill])[0]
        if number == 1:
            assert item["movement"] is None and item["stop"] == {"met": False, "because": []}
        if number < 3:
            sessions.revote_item(session, skill)
    moved = item["movement"]
    assert moved["rounds"] == [1, 2, 3]
    figures = moved["criteria"][str(criterion)]
    assert [(r["round"], r["n"], r["median"], r["iqr"]) for r in figures["rounds"]] == [
        (1, 4, 2.5, 1.5),
        (2, 4, 3.0, 0.5),
        (3, 4, 3.0, 0.5),
    ]
    first, second = figures["changes"]
    # Round 1 -> 2: two of four changed (1->2, 2->3); distributions {1,2,3,4} -> {2,3,3,4}: one unit net.
    assert (first["n_paired"], first["share_changed"]) == (4, 0.5)
    assert (first["net_change"], first["stable"]) == (0.25, False)
    assert (second["share_changed"], second["net_change"], second["stable"]) == (0.0, 0.0, True)
    assert item["stop"] == {"met": True, "because": ["stability", "max_rounds"]}
    # The other skills went through no round with answers: no stopping condition holds for them.
    rounds.start_session_round(session, None, [i.skill_id for i in session.items if i.skill_id != skill])
    rounds.start_session_round(session, None, [i.skill_id for i in session.items if i.skill_id != skill])
    others = [r for r in results.item_results(session) if r["skill_id"] != skill]
    assert {r["open_round"] for r in others} == {3}
    assert all(r["stop"] == {"met": False, "because": []} and r["movement"] is None for r in others)
    # A new round without answers yet changes no figure (the one "which round counts" rule).
    sessions.revote_item(session, skill)
    assert results.item_results(session, [skill])[0]["movement"]["rounds"] == [1, 2, 3]
