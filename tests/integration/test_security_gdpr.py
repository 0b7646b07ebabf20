"""Participants' data: the purge unlinks it (keeping the results), the phone shows and withdraws it."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import sqlalchemy as sa

from models import AuditEntry, Decision, LiveSession, Participant, db, utcnow
from services import erasure, moderation, participation, results, sessions
from tests.conftest import ack, login, received

F, P = "/facilitator", "/participant"
ADDRESS = "198.51.100.23"
PROFILES = [{"sector": "University"}, {"sector": "Business"}, {"sector": "Expert"}]


def _meeting(make_meeting, state="closed"):
    meeting = make_meeting(
        "live",
        criteria=("relevance",),
        values={"relevance": [4, 3, 1]},
        comments={0: "Too broad for one skill."},
        profiles=PROFILES,
    )
    session = meeting.session
    moderation.record_decision(session, session.facilitator, session.items[0].skill_id, "keep", "Agreed.")
    if state == "closed":
        sessions.set_state(session, "closed")
    return meeting


def _everything_in_the_database() -> str:
    """Every value of every row of every table, as one text to search."""
    texts = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                texts.append(" ".join(repr(v) for v in row))
    return "\n".join(texts)


def test_purge_leaves_nothing_identifying_and_keeps_the_results_and_decisions(app, make_meeting):
    meeting = _meeting(make_meeting)
    session = meeting.session
    before = results.item_results(session)
    hashes = [participation.hash_token(t) for t in meeting.tokens]
    everything = _everything_in_the_database()
    answers = [repr(p) for p in PROFILES]  # as stored: {'sector': 'University'}
    assert all(h in everything for h in hashes) and all(a in everything for a in answers)  # can fail

    runner = app.test_cli_runner()
    done = runner.invoke(args=["purge", session.code])
    assert done.exit_code == 0, done.output
    assert "removed 3 phone token(s), 3 profile(s), 3 consent record(s), 0 online state(s)" in done.output

    everything = _everything_in_the_database()
    for secret in [*meeting.tokens, *hashes, *answers, ADDRESS]:
        assert secret not in everything
    people = db.session.scalars(sa.select(Participant).where(Participant.session_id == session.id)).all()
    assert len(people) == 3
    for person in people:
        assert person.profile == {} and person.consent_at is None and person.last_seen_at is None
        assert not person.online and person.joined_at == session.created_at
    assert results.item_results(session) == before  # the aggregates stay
    assert db.session.scalar(sa.select(Decision.reason)) == "Agreed."
    assert "Too broad for one skill." in everything  # what was said stays, under its pseudonym
    assert session.purged_at is not None
    for token in meeting.tokens:  # the phones are out
        assert (
            app.test_client()
            .get(f"/s/{session.code}", headers={"Cookie": f"sb_p_{session.code}={token}"})
            .status_code
            == 302
        )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "session_purged"))
    assert (
        entry.actor == "command line" and entry.session_code == session.code and entry.detail["tokens"] == 3
    )


def test_no_address_is_ever_stored_for_a_participant(app, make_session):
    session = make_session(state="live")
    response = app.test_client().post(
        f"/api/sessions/{session.code}/join", json={"consent": True}, environ_base={"REMOTE_ADDR": ADDRESS}
    )
    assert response.status_code == 200
    assert ADDRESS not in _everything_in_the_database()


def test_purge_without_codes_takes_only_closed_sessions_past_their_retention(app, make_meeting):
    due = _meeting(make_meeting).session
    recent = _meeting(make_meeting).session
    running = _meeting(make_meeting, state="live").session
    due.closed_at = utcnow() - timedelta(days=due.retention_days + 1)
    db.session.commit()
    assert due.retention_days == 180  # the default the README states
    runner = app.test_cli_runner()
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and due.code in done.output, done.output
    assert recent.code not in done.output and running.code not in done.output
    assert erasure.purge_due() == []
    assert "Nothing to purge" in runner.invoke(args=["purge"]).output
    refused = runner.invoke(args=["purge", running.code])
    assert refused.exit_code == 1 and "Close the session before purging" in refused.output


def test_the_results_page_purges_on_confirmation(app, client, make_meeting):
    session = _meeting(make_meeting).session
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, session.facilitator)
    assert b"Purge the participants" in client.get(f"/f/sessions/{session.code}/results").data
    client.post(f"/f/sessions/{session.code}/purge", data={})
    assert session.purged_at is None  # not without the tick
    done = client.post(f"/f/sessions/{session.code}/purge", data={"confirm": "yes"}, follow_redirects=True)
    assert b"Purged: removed 3 phone token(s)" in done.data and session.purged_at is not None


def _phone(app, session, token):
    http = app.test_client()
    http.set_cookie(f"sb_p_{session.code}", token)
    return http


def test_the_phone_shows_and_downloads_its_own_answers_only(app, make_meeting):
    meeting = _meeting(make_meeting, state="live")
    session = meeting.session
    mine = _phone(app, session, meeting.tokens[0])
    page = mine.get(f"/s/{session.code}/mine").get_data(as_text=True)
    assert "Too broad for one skill." in page and "University" in page and "Withdraw my answers" in page
    assert "Business" not in page  # nobody else's
    data = mine.get(f"/s/{session.code}/mine.json").get_json()
    assert data["participant"] == "P01" and data["profile"] == {"sector": "University"}
    assert [r["value"] for r in data["ratings"]] == [4] and data["comments"][0][
        "text"
    ] == "Too broad for one skill."
    rows = list(csv.reader(io.StringIO(mine.get(f"/s/{session.code}/mine.csv").get_data(as_text=True))))
    assert any(r[2] == "rating" and r[6] == "4" for r in rows)
    assert any(r[2] == "comment" and r[6] == "Too broad for one skill." for r in rows)
    assert "attachment" in mine.get(f"/s/{session.code}/mine.csv").headers["Content-Disposition"]
    # no token, or another session's: the join page
    assert app.test_client().get(f"/s/{session.code}/mine.json").status_code == 302
    other = _meeting(make_meeting, state="live").session
    assert mine.get(f"/s/{other.code}/mine.json").status_code == 302
    json.dumps(data)  # plain JSON


def test_withdrawing_deletes_my_answers_and_the_dashboard_follows_live(app, make_meeting, facilitator_socket):
    meeting = _meeting(make_meeting, state="live")
    session = meeting.session
    app.config["WTF_CSRF_ENABLED"] = False
    fac = facilitator_socket(session)
    skill = str(session.criteria[0].id)
    assert ack(fac, "sync", {"code": session.code}, F)["results"][0]["criteria"][skill]["n"] == 3
    mine = _phone(app, session, meeting.tokens[0])

    unconfirmed = mine.post(f"/s/{session.code}/withdraw", data={})
    assert unconfirmed.status_code == 302 and participation.authenticate(meeting.tokens[0])
    done = mine.post(f"/s/{session.code}/withdraw", data={"confirm": "yes"})
    assert done.status_code == 200 and "Your answers were withdrawn" in done.get_data(as_text=True)
    assert f"sb_p_{session.code}=;" in done.headers["Set-Cookie"]

    live = received(fac, F, "results_updated")[-1]
    assert live["participants"] == 2
    assert {r["skill_id"]: r for r in live["items"]}[session.items[0].skill_id]["criteria"][skill]["n"] in (
        2,
    )
    picture = ack(fac, "sync", {"code": session.code}, F)
    assert picture["comments"] == [] and picture["session"]["left_out"] == (
        "1 participant withdrew their answers: not counted in any figure."
    )
    assert mine.get(f"/s/{session.code}/mine").status_code == 302  # gone: back to the join page


def test_a_closed_session_refuses_withdrawal(app, make_meeting):
    meeting = _meeting(make_meeting, state="closed")
    app.config["WTF_CSRF_ENABLED"] = False
    mine = _phone(app, meeting.session, meeting.tokens[0])
    assert "results are final" in mine.get(f"/s/{meeting.session.code}/mine").get_data(as_text=True)
    refused = mine.post(f"/s/{meeting.session.code}/withdraw", data={"confirm": "yes"})
    assert refused.status_code == 409
    assert db.session.get(LiveSession, meeting.session.id).withdrawn_participants == 0


def test_withdrawal_removal_and_purge_share_one_deletion_path(app, make_meeting, monkeypatch):
    calls = []
    real = erasure._unlink
    monkeypatch.setattr(
        erasure, "_unlink", lambda s, people, e: calls.append(len(people)) or real(s, people, e)
    )
    live = _meeting(make_meeting, state="live")
    erasure.withdraw(participation.authenticate(live.tokens[0]))
    erasure.remove_participant(live.session, "P02")
    erasure.purge(_meeting(make_meeting).session)
    assert calls == [1, 1, 3]
