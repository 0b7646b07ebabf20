"""What the room sees: decisions freeze at close, live counts without results, the comment wall."""

from __future__ import annotations

import pytest

from tests.conftest import ack, received

F, P = "/facilitator", "/participant"


def test_a_closed_session_refuses_decisions(make_session, facilitator_socket):
    session = make_session(state="live")
    fac = facilitator_socket(session)
    skill = session.items[0].skill_id
    decided = ack(
        fac, "record_decision", {"code": session.code, "skill_id": skill, "action": "keep", "reason": "ok"}, F
    )
    assert decided["ok"] and decided["action"] == "keep"
    assert ack(fac, "set_state", {"code": session.code, "state": "closed"}, F)["ok"]
    late = ack(
        fac,
        "record_decision",
        {"code": session.code, "skill_id": skill, "action": "remove", "reason": "x"},
        F,
    )
    assert late["error"] == "session_closed"
    assert ack(fac, "sync", {"code": session.code}, F)["decisions"][0]["action"] == "keep"


def _live_with_phones(make_session, facilitator_socket, phone, count=3):
    session = make_session(state="live")
    fac = facilitator_socket(session)
    projector = facilitator_socket(session, view="projector")
    phones = [phone(session) for _ in range(count)]
    first = session.items[0].skill_id
    assert ack(fac, "open_item", {"code": session.code, "skill_id": first}, F)["ok"]
    return session, fac, projector, phones, first


def test_projector_counts_answers_without_seeing_them(make_session, facilitator_socket, phone):
    session, fac, projector, phones, first = _live_with_phones(make_session, facilitator_socket, phone)
    relevance, importance = (str(c.id) for c in session.criteria)
    for sock, value in zip(phones[:2], (4, "cant_judge"), strict=True):
        reply = ack(
            sock, "submit_rating", {"skill_id": first, "criterion_id": int(relevance), "value": value}, P
        )
        assert reply["ok"]

    counted = received(projector, F, "progress_updated")[-1]
    assert counted["participants"] == 3
    assert counted["items"] == [{"skill_id": first, "round": 1, "answered": {relevance: 2, importance: 0}}]
    assert received(projector, F, "results_updated") == []
    assert received(projector, F, "results_revealed") == []
    assert "finished" not in counted  # a paced room's screen shows the skill, not whole-session completion
    # After a reload the projector gets the same counts, and still no results nor comments.
    picture = ack(projector, "sync", {"code": session.code}, F)
    assert picture["results"] == [] and "comments" not in picture and "completion" not in picture
    assert "finished" not in picture
    progress = {p["skill_id"]: p["answered"] for p in picture["progress"]}
    assert progress[first] == {relevance: 2, importance: 0}
    assert picture["participants"] == 3
    # The dashboard still gets everything.
    assert len(ack(fac, "sync", {"code": session.code}, F)["results"]) == len(session.items)

    assert ack(fac, "reveal_item", {"code": session.code, "skill_id": first}, F)["ok"]
    shown = ack(projector, "sync", {"code": session.code}, F)["results"]
    assert [r["skill_id"] for r in shown] == [first]
    assert shown[0]["criteria"][relevance]["n"] == 1


def test_projector_follows_a_self_paced_rooms_progress(make_session, facilitator_socket, phone):
    """A self-paced room's screen said only "Answer on your phone, at your own pace." while the
    dashboard saw everyone's progress. The projector now hears, with the answer counts it already
    had, how many finished every skill: a count, never who, nor any answer."""
    session = make_session(state="live", pacing="self")
    code = session.code
    projector = facilitator_socket(session, view="projector")
    ada, ben = phone(session), phone(session)
    relevance, importance = (c.id for c in session.criteria)
    skills = [i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)]

    def rate(sock, skill_id, criterion_id):
        payload = {"skill_id": skill_id, "criterion_id": criterion_id, "value": 4}
        assert ack(sock, "submit_rating", payload, P)["ok"]

    rate(ben, skills[0], relevance)
    first = received(projector, F, "progress_updated")[-1]
    assert first["participants"] == 2 and first["finished"] == 0
    for skill_id in skills:  # Ada answers every skill, Ben one criterion of the first
        rate(ada, skill_id, relevance)
        rate(ada, skill_id, importance)
    heard = received(projector, F, "progress_updated")
    assert [p["finished"] for p in heard] == [0] * (2 * len(skills)) + [1]
    answered = {item["skill_id"]: item["answered"] for p in heard for item in p["items"]}
    assert answered[skills[0]] == {str(relevance): 2, str(importance): 1}
    assert all(answered[s] == {str(relevance): 1, str(importance): 1} for s in skills[1:])
    assert received(projector, F, "results_updated") == []
    assert ada.pseudonym not in repr(heard) and ben.pseudonym not in repr(heard)

    # Someone joining late: the presence push keeps the finished count beside the joined one.
    phone(session)
    assert received(projector, F, "presence")[-1] == {"participants": 3, "connected": 3, "finished": 1}
    # A reloaded projector starts from the same figures.
    picture = ack(projector, "sync", {"code": code}, F)
    assert picture["finished"] == 1 and picture["participants"] == 3 and "completion" not in picture
    assert {p["skill_id"]: p["answered"] for p in picture["progress"]}[skills[0]] == answered[skills[0]]


def test_comment_wall_shows_starred_comments_and_drops_hidden_ones(make_session, facilitator_socket, phone):
    session, fac, projector, phones, first = _live_with_phones(make_session, facilitator_socket, phone)
    code = session.code
    for sock, text in zip(phones, ("Too broad", "Add listening", "Fine as is"), strict=True):
        assert ack(sock, "submit_comment", {"skill_id": first, "text": text}, P)["ok"]
    ids = {c["text"]: c["id"] for c in ack(fac, "sync", {"code": code}, F)["comments"]}
    star = {"code": code, "comment_id": ids["Too broad"], "state": "starred"}
    assert ack(fac, "moderate_comment", star, F)["ok"]

    wall = ack(fac, "show_wall", {"code": code, "skill_id": first}, F)
    assert isinstance(wall.pop("revision"), int)  # dated as the session (docs/protocol.md, WALL)
    assert wall == {
        "ok": True,
        "skill_id": first,
        "comment_id": None,
        "comments": [{"id": ids["Too broad"], "text": "Too broad"}],
    }
    assert received(projector, F, "wall_updated")[-1]["comments"] == [
        {"id": ids["Too broad"], "text": "Too broad"}
    ]

    # Starring another adds it live; hiding one removes it live; visible comments never appear.
    assert ack(fac, "moderate_comment", {**star, "comment_id": ids["Add listening"]}, F)["ok"]
    assert [c["text"] for c in received(projector, F, "wall_updated")[-1]["comments"]] == [
        "Too broad",
        "Add listening",
    ]
    assert ack(fac, "moderate_comment", {**star, "state": "hidden"}, F)["ok"]
    assert [c["text"] for c in received(projector, F, "wall_updated")[-1]["comments"]] == ["Add listening"]
    assert [c["text"] for c in ack(projector, "sync", {"code": code}, F)["wall"]["comments"]] == [
        "Add listening"
    ]
    assert received(fac, F, "wall_updated")[-1]["comments"] == [
        {"id": ids["Add listening"], "text": "Add listening"}
    ]

    # One at a time: only starred comments may be shown; un-starring the one on screen takes it off.
    refused = ack(fac, "show_wall", {"code": code, "skill_id": first, "comment_id": ids["Fine as is"]}, F)
    assert refused["error"] == "validation_error"
    one = ack(fac, "show_wall", {"code": code, "skill_id": first, "comment_id": ids["Add listening"]}, F)
    assert one["comment_id"] == ids["Add listening"] and len(one["comments"]) == 1
    assert ack(fac, "moderate_comment", {**star, "comment_id": ids["Add listening"], "state": "visible"}, F)[
        "ok"
    ]
    assert {k: v for k, v in received(projector, F, "wall_updated")[-1].items() if k != "revision"} == {
        "skill_id": None,
        "comment_id": None,
        "comments": [],
    }

    # Clearing, and moving on to the next skill, empty the wall.
    assert ack(fac, "show_wall", {"code": code, "skill_id": first}, F)["ok"]
    assert ack(fac, "clear_wall", {"code": code}, F)["comments"] == []
    assert ack(fac, "show_wall", {"code": code, "skill_id": first}, F)["ok"]
    assert ack(fac, "open_item", {"code": code, "skill_id": session.items[1].skill_id}, F)["ok"]
    assert received(projector, F, "wall_updated")[-1]["skill_id"] is None


def test_wall_refuses_bad_requests(make_session, facilitator_socket, phone):
    session = make_session(state="open")
    fac = facilitator_socket(session)
    first = session.items[0].skill_id
    assert ack(fac, "show_wall", {"code": session.code, "skill_id": first}, F)["error"] == "invalid_state"
    assert ack(fac, "set_state", {"code": session.code, "state": "live"}, F)["ok"]
    assert ack(fac, "show_wall", {"code": session.code, "skill_id": "x"}, F)["error"] == "bad_payload"
    assert ack(fac, "show_wall", {"code": session.code, "skill_id": 999999}, F)["error"] == "unknown_item"
    missing = ack(fac, "show_wall", {"code": session.code, "skill_id": first, "comment_id": 999999}, F)
    assert missing["error"] == "unknown_item"


def test_a_comment_its_author_deletes_leaves_the_wall_at_once(make_session, facilitator_socket, phone):
    """The projector must not keep showing a comment that no longer exists; the wall it gets is
    newer (a higher revision) than the one that showed it."""
    session, fac, projector, phones, first = _live_with_phones(make_session, facilitator_socket, phone)
    code = session.code
    for sock, text in zip(phones[:2], ("Too broad", "Add listening"), strict=True):
        assert ack(sock, "submit_comment", {"skill_id": first, "text": text}, P)["ok"]
    for c in ack(fac, "sync", {"code": code}, F)["comments"]:
        star = {"code": code, "comment_id": c["id"], "state": "starred"}
        assert ack(fac, "moderate_comment", star, F)["ok"]
    shown = ack(fac, "show_wall", {"code": code, "skill_id": first}, F)
    assert [c["text"] for c in shown["comments"]] == ["Too broad", "Add listening"]
    assert ack(phones[0], "submit_comment", {"skill_id": first, "text": ""}, P)["ok"]  # deleted
    for client in (projector, fac):
        wall = received(client, F, "wall_updated")[-1]
        assert [c["text"] for c in wall["comments"]] == ["Add listening"]
        assert wall["revision"] > shown["revision"]


@pytest.mark.parametrize("rewritten", ["", "Something else entirely"], ids=["deleted", "edited"])
def test_the_one_comment_on_the_projector_its_author_changes_gives_way_to_the_starred_ones(
    make_session, facilitator_socket, phone, rewritten
):
    """The facilitator put one starred comment on the projector; its author deleted it (or rewrote
    it, which takes its star away). The wall
    was left pointing at nothing ("Starred comments will appear here." over another starred
    comment, the dashboard still saying one comment was up); it shows the skill's starred comments."""
    session, fac, projector, phones, first = _live_with_phones(make_session, facilitator_socket, phone)
    code = session.code
    for sock, text in zip(phones[:2], ("Too broad", "Add listening"), strict=True):
        assert ack(sock, "submit_comment", {"skill_id": first, "text": text}, P)["ok"]
    comments = ack(fac, "sync", {"code": code}, F)["comments"]
    for c in comments:
        star = {"code": code, "comment_id": c["id"], "state": "starred"}
        assert ack(fac, "moderate_comment", star, F)["ok"]
    one = next(c["id"] for c in comments if c["text"] == "Too broad")
    shown = ack(fac, "show_wall", {"code": code, "skill_id": first, "comment_id": one}, F)
    assert [c["text"] for c in shown["comments"]] == ["Too broad"]
    assert ack(phones[0], "submit_comment", {"skill_id": first, "text": rewritten}, P)["ok"]
    for client in (projector, fac):
        wall = received(client, F, "wall_updated")[-1]
        assert (wall["skill_id"], wall["comment_id"]) == (first, None)
        assert [c["text"] for c in wall["comments"]] == ["Add listening"]
        assert wall["revision"] > shown["revision"]
    assert ack(fac, "sync", {"code": code}, F)["wall"]["comment_id"] is None  # so says a new dashboard


def test_a_starred_comment_its_author_edits_leaves_the_wall_until_starred_again(
    make_session, facilitator_socket, phone
):
    """The facilitator starred words the room may see; edited, the comment is read again before
    the projector shows the new words (as a moderated question in Slido goes back for review).
    A hidden comment stays hidden when edited."""
    session, fac, projector, phones, first = _live_with_phones(make_session, facilitator_socket, phone)
    code = session.code
    for sock, text in zip(phones[:3], ("Too broad", "Add listening", "Off topic"), strict=True):
        assert ack(sock, "submit_comment", {"skill_id": first, "text": text}, P)["ok"]
    comments = {c["text"]: c for c in ack(fac, "sync", {"code": code}, F)["comments"]}
    for text, state in (("Too broad", "starred"), ("Add listening", "starred"), ("Off topic", "hidden")):
        moderated = {"code": code, "comment_id": comments[text]["id"], "state": state}
        assert ack(fac, "moderate_comment", moderated, F)["ok"]
    shown = ack(fac, "show_wall", {"code": code, "skill_id": first}, F)
    assert [c["text"] for c in shown["comments"]] == ["Too broad", "Add listening"]
    walls = len(received(projector, F, "wall_updated"))

    assert ack(phones[0], "submit_comment", {"skill_id": first, "text": "Something else entirely"}, P)["ok"]
    for client in (projector, fac):
        wall = received(client, F, "wall_updated")[-1]
        assert [c["text"] for c in wall["comments"]] == ["Add listening"]
        assert wall["revision"] > shown["revision"]
    updated = received(fac, F, "comment_updated")[-1]["comment"]
    assert (updated["text"], updated["state"]) == ("Something else entirely", "visible")
    assert ack(phones[2], "submit_comment", {"skill_id": first, "text": "Still off topic"}, P)["ok"]
    states = {c["text"]: c["state"] for c in ack(fac, "sync", {"code": code}, F)["comments"]}
    assert states == {
        "Something else entirely": "visible",
        "Add listening": "starred",
        "Still off topic": "hidden",
    }
    assert len(received(projector, F, "wall_updated")) == walls + 1  # a hidden one was never on the wall

    again = {"code": code, "comment_id": comments["Too broad"]["id"], "state": "starred"}
    assert ack(fac, "moderate_comment", again, F)["ok"]
    wall = ack(fac, "sync", {"code": code}, F)["wall"]
    assert [c["text"] for c in wall["comments"]] == ["Something else entirely", "Add listening"]


def test_a_comment_sent_again_unchanged_is_stored_and_tells_nobody(make_session, facilitator_socket, phone):
    """A phone's retry, or a second tap on "Save", of the words already stored: the ack says they
    are stored, but the dashboards get no `comment_updated` (nothing changed); nor does deleting
    a comment there is none of, nor the resend of the stored words after the skill is locked."""
    session, fac, _projector, phones, first = _live_with_phones(make_session, facilitator_socket, phone)
    code = session.code
    assert ack(phones[0], "submit_comment", {"skill_id": first, "text": "Too broad"}, P)["ok"]
    assert len(received(fac, F, "comment_updated")) == 1
    again = ack(phones[0], "submit_comment", {"skill_id": first, "text": " Too broad "}, P)
    assert again == {"ok": True, "skill_id": first, "text": "Too broad"}
    assert ack(phones[1], "submit_comment", {"skill_id": first, "text": ""}, P) == {
        "ok": True,
        "skill_id": first,
        "text": "",
    }
    assert ack(fac, "lock_item", {"code": code, "skill_id": first}, F)["ok"]
    assert ack(phones[0], "submit_comment", {"skill_id": first, "text": "Too broad"}, P)["ok"]
    assert len(received(fac, F, "comment_updated")) == 1
    assert [c["text"] for c in ack(fac, "sync", {"code": code}, F)["comments"]] == ["Too broad"]
    assert ack(fac, "lock_item", {"code": code, "skill_id": first, "locked": False}, F)["ok"]
    assert ack(phones[0], "submit_comment", {"skill_id": first, "text": "Too broad."}, P)["ok"]
    assert received(fac, F, "comment_updated")[-1]["comment"]["text"] == "Too broad."
