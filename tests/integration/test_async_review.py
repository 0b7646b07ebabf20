"""Reviews over days on a test clock: dates in the session's zone, rounds closing at a date,
resume codes on a second device, personal links, invitations by e-mail."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from flask import g
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from core.clock import TestClock, install
from core.extensions import socketio
from domain.example_guide import SECTIONS
from models import Invitation, Participant, ParticipantKey, Reminder, SessionRound, SessionState, db
from services import frameworks, review, review_stats
from tests.conftest import ack, login
from tests.smtp_sink import SmtpSink

P = "/participant"
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Rome


@pytest.fixture
def clock(app):
    clock = TestClock(START)
    install(app, clock)
    return clock


@pytest.fixture
def guide_review(app, make_session, clock):
    """A guide review from 1 December 10:00 to 15 December 18:00 (Rome); round 1 ends on the 8th, 18:00."""
    app.config["WTF_CSRF_ENABLED"] = False
    guide = frameworks.create_framework(
        "Guide", [frameworks.SkillInput(c, t, "", body=b) for c, t, b in SECTIONS], "guide"
    )
    session = make_session(state="draft", framework_id=guide.id, criteria=["clarity"], consent_text="")
    review.set_schedule(
        session,
        review.ScheduleInput("Europe/Rome", "2026-12-01T10:00", "2026-12-15T18:00", "2026-12-08T18:00"),
    )
    return session


def _as_facilitator(client, session):
    """Sign in; tests share one app context, so forget whoever a phone's request left in `g`."""
    login(client, session.facilitator)
    g.pop("_login_user", None)


def _join(app, session):
    browser = app.test_client()
    response = browser.post(f"/j/{session.code}", data={})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = browser.get(f"/s/{session.code}").get_data(as_text=True)
    return browser, page


def _answer_all(app, session, browser, value=3):
    token = browser.get_cookie(f"sb_p_{session.code}").value
    sock = socketio.test_client(app, namespace=P, auth={"token": token})
    state = ack(sock, "sync", {}, P)["session"]
    for item in state["items"]:
        payload = {"skill_id": item["skill_id"], "criterion_id": state["criteria"][0]["id"], "value": value}
        assert ack(sock, "submit_rating", payload, P)["ok"]
    return sock


def test_dates_are_entered_and_shown_in_the_sessions_time_zone(guide_review, client, app):
    session = guide_review
    assert session.open_from == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Rome is 09:00 UTC
    assert session.round_closes_at == datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    _as_facilitator(client, session)
    page = client.get(f"/f/sessions/{session.code}/review").get_data(as_text=True)
    assert "Tue 15 Dec 2026, 18:00 (Europe/Rome)" in page and 'value="2026-12-01T10:00"' in page
    assert "Not open yet" in page
    bad = {"timezone": "Mars/Olympus", "open_from": "", "open_until": "2026-12-20T10:00"}
    shown = client.post(f"/f/sessions/{session.code}/review/schedule", data=bad, follow_redirects=True)
    assert "Unknown time zone" in shown.get_data(as_text=True)
    backwards = {"timezone": "UTC", "open_from": "2026-12-10T10:00", "open_until": "2026-12-09T10:00"}
    shown = client.post(f"/f/sessions/{session.code}/review/schedule", data=backwards, follow_redirects=True)
    assert "must close after it opens" in shown.get_data(as_text=True)
    assert session.timezone == "Europe/Rome" and session.open_until.day == 15  # nothing lost
    # The join page says when it opens, in the session's zone.
    join = app.test_client().get(f"/j/{session.code}").get_data(as_text=True)
    assert "Opens Tue 1 Dec 2026, 10:00 (Europe/Rome)" in join


def test_a_fortnight_opens_rounds_and_closes_by_the_clock(guide_review, app, clock, client):
    session = guide_review
    clock.advance(hours=1, minutes=1)  # 10:01 in Rome: the page a phone loads opens the review
    assert app.test_client().get(f"/j/{session.code}").status_code == 200
    browser, page = _join(app, session)
    assert session.state is SessionState.LIVE and "Your resume code" in page
    first = _answer_all(app, session, browser, value=4)
    others = [_join(app, session)[0] for _ in range(2)]
    clock.advance(days=2)
    _answer_all(app, session, others[0], value=2)
    days = review_stats.response_rate(session, clock.now)
    assert [(d.started, d.finished, d.invited) for d in days] == [(1, 1, 3), (1, 1, 3), (2, 2, 3)]
    # 8 December, 18:00 in Rome: round 1 closes, round 2 opens for everyone with round 1's result.
    clock.set(datetime(2026, 12, 8, 17, 0, 1, tzinfo=UTC))
    state = ack(first, "sync", {}, P)
    assert {i["round"] for i in state["session"]["items"]} == {2}
    item = state["session"]["items"][0]
    assert item["feedback"]["criteria"] and item["previous"]
    assert session.round_closes_at is None
    # The participant who comes back sees what changed since the last visit.
    page = browser.get(f"/s/{session.code}").get_data(as_text=True)
    assert "Welcome back" in page and "Round 2 has opened" in page and "1 other person answered" in page
    assert "Your resume code" not in page  # shown once only
    again = browser.get(f"/s/{session.code}").get_data(as_text=True)
    assert "Round 2 has opened" not in again  # nothing new since the visit a moment ago
    _as_facilitator(client, session)
    dashboard = client.get(f"/f/sessions/{session.code}/review").get_data(as_text=True)
    assert "round 2" in dashboard and 'id="finished-count">0<' in dashboard
    live = client.get(f"/f/sessions/{session.code}/review/progress").get_json()  # what review.js fetches
    assert live["finished"] == 0 and "round 2" in live["counts"] and "P01" in live["people"]
    # 15 December 18:00: the review closes.
    clock.set(datetime(2026, 12, 15, 17, 0, 1, tzinfo=UTC))
    ack(first, "sync", {}, P)
    assert session.state is SessionState.CLOSED


def test_the_ticker_acts_on_due_dates_without_any_request(guide_review, clock):
    from core import ticker

    assert ticker.tick() == 0
    clock.set(datetime(2026, 12, 1, 9, 0, 1, tzinfo=UTC))
    assert ticker.tick() == 1 and guide_review.state is SessionState.LIVE
    clock.set(datetime(2026, 12, 9, tzinfo=UTC))
    assert ticker.tick() == 1 and review.current_round(guide_review) == 2
    assert ticker.tick() == 0


def test_a_resume_code_brings_the_same_pseudonym_back_on_another_device(guide_review, app, clock):
    session = guide_review
    clock.set(datetime(2026, 12, 2, tzinfo=UTC))
    phone, page = _join(app, session)
    code = page.split('id="resume-code">')[1].split("<")[0]
    assert len(code) == 9 and code[4] == "-"
    participant = db.session.scalars(select(Participant)).one()
    assert code.replace("-", "") not in participant.resume_hash  # stored hashed
    _answer_all(app, session, phone)
    laptop = app.test_client()
    wrong = laptop.post(f"/back/{session.code}", data={"resume_code": "AAAA-AAAA"})
    assert wrong.status_code == 404 and "No participant" in wrong.get_data(as_text=True)
    back = laptop.post(f"/back/{session.code}", data={"resume_code": code.lower().replace("-", " ")})
    assert back.status_code == 302
    page = laptop.get(f"/s/{session.code}").get_data(as_text=True)
    assert '<span class="me">P01</span>' in page
    token = laptop.get_cookie(f"sb_p_{session.code}").value
    sock = socketio.test_client(app, namespace=P, auth={"token": token})
    answers = ack(sock, "sync", {}, P)["answers"]
    assert len(answers) == len(SECTIONS)  # the answers given on the phone
    assert db.session.scalars(select(ParticipantKey)).one().participant_id == participant.id
    # The phone keeps working too; a new code replaces the old one.
    assert phone.get(f"/s/{session.code}").status_code == 200
    phone.post(f"/s/{session.code}/resume-code")
    fresh = phone.get(f"/s/{session.code}").get_data(as_text=True).split('id="resume-code">')[1].split("<")[0]
    assert fresh != code
    assert app.test_client().post(f"/back/{session.code}", data={"resume_code": code}).status_code == 404


def test_personal_links_come_as_csv_and_ask_consent_on_first_use(app, make_session, client, clock):
    app.config["WTF_CSRF_ENABLED"] = False
    session = make_session(state="draft", criteria=["relevance"])
    review.set_schedule(session, review.ScheduleInput("UTC", "2026-12-01T08:00", "2026-12-14T08:00"))
    _as_facilitator(client, session)
    response = client.post(f"/f/sessions/{session.code}/review/links.csv", data={"count": "3"})
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r["pseudonym"] for r in rows] == ["P01", "P02", "P03"]
    assert rows[0]["personal_link"].endswith(f"/back/{session.code}/{rows[0]['resume_code']}")
    assert client.post(f"/f/sessions/{session.code}/review/links.csv", data={"count": "0"}).status_code == 302
    person = app.test_client()
    link = rows[1]["personal_link"].split("://", 1)[1].split("/", 1)[1]
    confirm = person.get("/" + link).get_data(as_text=True)
    assert "This is your personal link" in confirm  # a link preview changes nothing
    person.post(f"/back/{session.code}", data={"resume_code": rows[1]["resume_code"]})
    assert person.get(f"/s/{session.code}").headers["Location"].endswith(f"/s/{session.code}/consent")
    refused = person.post(f"/s/{session.code}/consent", data={})
    assert refused.status_code == 400
    person.post(f"/s/{session.code}/consent", data={"consent": "yes", "sector": "Business"})
    page = person.get(f"/s/{session.code}").get_data(as_text=True)
    assert '<span class="me">P02</span>' in page


def test_invitations_and_reminders_by_smtp_and_addresses_deleted_at_closing(guide_review, app, client, clock):
    session = guide_review
    sink = SmtpSink()
    try:
        app.config["SB_SMTP"] = sink.settings()
        _as_facilitator(client, session)
        page = client.get(f"/f/sessions/{session.code}/review").get_data(as_text=True)
        assert "Send invitations" in page
        bad = client.post(
            f"/f/sessions/{session.code}/review/invite", data={"addresses": "a@example.org, nope"},
            follow_redirects=True,
        )  # fmt: skip
        assert "Not e-mail addresses: nope" in bad.get_data(as_text=True) and not sink.messages
        client.post(
            f"/f/sessions/{session.code}/review/invite", data={"addresses": "a@example.org\nB@example.org"}
        )
        assert sorted(to for [to], _m in sink.messages) == ["a@example.org", "b@example.org"]
        body = sink.messages[0][1].get_payload()
        link = next(w for w in body.split() if f"/back/{session.code}/" in w)
        # The invited person answers everything; the reminder goes to the other one only.
        clock.set(datetime(2026, 12, 2, tzinfo=UTC))
        person = app.test_client()
        person.post(f"/back/{session.code}", data={"resume_code": link.rsplit("/", 1)[1]})
        person.get(f"/s/{session.code}")
        _answer_all(app, session, person)
        _as_facilitator(client, session)
        client.post(f"/f/sessions/{session.code}/review/remind")
        reminded = [to for [to], m in sink.messages[2:]]
        assert len(reminded) == 1 and reminded != [sink.messages[0][0][0]]
        assert "Reminder" in sink.messages[2][1]["Subject"]
        assert len(db.session.scalars(select(Invitation)).all()) == 2
        clock.set(datetime(2026, 12, 16, tzinfo=UTC))
        g.pop("_login_user", None)
        client.get(f"/f/sessions/{session.code}/review")
        assert session.state is SessionState.CLOSED
        assert db.session.scalars(select(Invitation)).all() == []  # addresses deleted at closing
    finally:
        sink.close()


def test_without_smtp_the_page_offers_links_only(guide_review, client):
    _as_facilitator(client, guide_review)
    page = client.get(f"/f/sessions/{guide_review.code}/review").get_data(as_text=True)
    assert "No mail server is configured" in page and "Send invitations" not in page


def test_resume_tries_are_throttled_per_address(guide_review, app):
    stranger = app.test_client()
    codes = [
        stranger.post(f"/back/{guide_review.code}", data={"resume_code": "AAAA-AAAA"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [404] * 10 and codes[10] == 429


def test_an_invitation_that_could_not_be_sent_is_sent_again_with_a_new_code(guide_review, app, client):
    session = guide_review
    sink = SmtpSink()
    try:
        _as_facilitator(client, session)
        app.config["SB_SMTP"] = {**sink.settings(), "port": 9}  # nothing listens there
        failed = client.post(
            f"/f/sessions/{session.code}/review/invite",
            data={"addresses": "c@example.org"},
            follow_redirects=True,
        )
        assert "Could not send to c@example.org" in failed.get_data(as_text=True)
        [invitation] = db.session.scalars(select(Invitation)).all()
        assert invitation.sent_at is None  # kept, so that sending again retries it
        app.config["SB_SMTP"] = sink.settings()
        g.pop("_login_user", None)
        client.post(f"/f/sessions/{session.code}/review/invite", data={"addresses": "c@example.org"})
        [([to], message)] = sink.messages
        assert to == "c@example.org" and db.session.get(Invitation, invitation.id).sent_at is not None
        link = next(w for w in message.get_payload().split() if f"/back/{session.code}/" in w)
        person = app.test_client()
        assert (
            person.post(f"/back/{session.code}", data={"resume_code": link.rsplit("/", 1)[1]}).status_code
            == 302
        )
        assert len(db.session.scalars(select(Participant)).all()) == 1  # one slot, not two
    finally:
        sink.close()


def test_two_processes_finding_the_round_due_open_one_round_only(guide_review, clock, app):
    """Each server process (and each request) acts on due dates; the claim lets one win."""
    clock.set(datetime(2026, 12, 2, tzinfo=UTC))
    review.advance(guide_review)
    clock.set(datetime(2026, 12, 9, tzinfo=UTC))
    due = guide_review.round_closes_at
    assert review._claim_round_end(guide_review, due) is True
    assert review._claim_round_end(guide_review, due) is False  # the other process lost the race
    set_committed_value(guide_review, "round_closes_at", due)  # as loaded before the claim
    assert review.advance(guide_review) == [] and review.current_round(guide_review) == 1


def test_a_round_closing_at_its_date_starts_a_whole_session_round_under_the_stopping_rule(
    app, make_session, clock, phone
):
    """The scheduled round is the dashboard's whole-session round: items meeting the stopping
    rule stay where they are, the round is logged, and the reason rule applies in it."""
    session = make_session(
        state="draft", criteria=["relevance"], consent_text="",
        round_settings={"stop_consensus": True, "reason": "outside_iqr"},
    )  # fmt: skip
    review.set_schedule(
        session, review.ScheduleInput("UTC", "2026-12-01T08:00", "2026-12-14T08:00", "2026-12-07T08:00")
    )
    assert review.advance(session) == ["opened"]
    criterion = session.criteria[0].id
    agreed, split, *rest = [i.skill_id for i in sorted(session.items, key=lambda i: i.skill.position)]
    phones = [phone(session) for _ in range(4)]
    for sock, (a, b) in zip(phones, [(4, 4), (4, 1), (3, 4), (4, 2)], strict=True):
        for skill, value in ((agreed, a), (split, b)):
            payload = {"skill_id": skill, "criterion_id": criterion, "value": value}
            assert ack(sock, "submit_rating", payload, P)["ok"]
    clock.set(datetime(2026, 12, 7, 8, 0, 1, tzinfo=UTC))
    assert review.advance(session) == ["round_opened"]
    now = {i.skill_id: i.round for i in session.items}
    assert now[agreed] == 1 and now[split] == 2 and all(now[s] == 2 for s in rest)
    logged = db.session.scalars(select(SessionRound)).one()
    assert logged.started_by_id is None and agreed not in logged.skill_ids
    # Round 1 of `split` was 1, 2, 4, 4 (IQR 1.75-4): an answer of 1 needs a reason now.
    ack(phones[1], "sync", {}, P)
    answer = {"skill_id": split, "criterion_id": criterion, "value": 1}
    refused = phones[1].emit("submit_rating", answer, namespace=P, callback=True)
    assert refused["error"] == "reason_required"


def test_review_and_suggestion_links_show_only_where_they_apply(make_session, client, guide_review):
    meeting = make_session(state="live")  # one sitting, facilitator-paced, no open questions
    asking = make_session(
        state="draft", pacing="self", open_questions=["wording"], facilitator=meeting.facilitator
    )
    _as_facilitator(client, meeting)
    plain = client.get(f"/f/sessions/{meeting.code}").get_data(as_text=True)
    assert "Review over days" not in plain and "Suggestions" not in plain
    both = client.get(f"/f/sessions/{asking.code}").get_data(as_text=True)
    assert f"/f/sessions/{asking.code}/review" in both and f"/f/sessions/{asking.code}/suggestions" in both
    _as_facilitator(client, guide_review)
    review_page = client.get(f"/f/sessions/{guide_review.code}").get_data(as_text=True)
    assert "Review over days" in review_page and "Suggestions" not in review_page


def test_reminders_at_set_times_go_out_by_the_ticker_to_those_not_finished(guide_review, app, client, clock):
    from core import ticker

    session, sink = guide_review, SmtpSink()
    try:
        app.config["SB_SMTP"] = sink.settings()
        _as_facilitator(client, session)
        invite = {"addresses": "a@example.org\nb@example.org"}
        client.post(f"/f/sessions/{session.code}/review/invite", data=invite)
        first_to, first = sink.messages[0]
        link = next(w for w in first.get_payload().split() if f"/back/{session.code}/" in w)
        remind = f"/f/sessions/{session.code}/review/reminders"
        early = client.post(remind, data={"when": "2026-11-30T10:00"}, follow_redirects=True)
        assert "a time still to come" in early.get_data(as_text=True)
        late = client.post(remind, data={"when": "2026-12-20T10:00"}, follow_redirects=True)
        assert "opening and closing dates" in late.get_data(as_text=True)
        client.post(remind, data={"when": "2026-12-03T09:00"})  # Rome time: 08:00 UTC
        client.post(remind, data={"when": "2026-12-05T09:00"})
        page = client.get(f"/f/sessions/{session.code}/review").get_data(as_text=True)
        assert "Thu 3 Dec 2026, 09:00 (Europe/Rome)" in page and page.count("waiting") == 2
        later = db.session.scalars(select(Reminder).order_by(Reminder.due_at)).all()[1]
        client.post(f"/f/sessions/{session.code}/review/reminders/{later.id}/cancel")
        # One invited person finishes on the 2nd; the other has not when the reminder is due.
        clock.set(datetime(2026, 12, 2, tzinfo=UTC))
        person = app.test_client()
        person.post(f"/back/{session.code}", data={"resume_code": link.rsplit("/", 1)[1]})
        person.get(f"/s/{session.code}")
        _answer_all(app, session, person)
        clock.set(datetime(2026, 12, 3, 7, 59, tzinfo=UTC))
        ticker.tick()
        assert len(sink.messages) == 2  # not yet
        clock.set(datetime(2026, 12, 3, 8, 0, 1, tzinfo=UTC))
        ticker.tick()
        ticker.tick()  # a second tick sends nothing again
        reminded = sink.messages[2:]
        assert [to for [to], _m in reminded] == [
            a for a in ("a@example.org", "b@example.org") if [a] != first_to
        ]
        assert (
            "Reminder" in reminded[0][1]["Subject"]
            and f"/back/{session.code}" in reminded[0][1].get_payload()
        )
        clock.set(datetime(2026, 12, 6, tzinfo=UTC))
        ticker.tick()
        assert len(sink.messages) == 3  # the cancelled one never goes
        g.pop("_login_user", None)
        _as_facilitator(client, session)
        page = client.get(f"/f/sessions/{session.code}/review").get_data(as_text=True)
        assert "sent to 1 person" in page and "waiting" not in page
        clock.set(datetime(2026, 12, 16, tzinfo=UTC))
        ticker.tick()  # the review closes: reminders go with the addresses
        assert session.state is SessionState.CLOSED and db.session.scalars(select(Reminder)).all() == []
    finally:
        sink.close()


def test_a_polish_phone_reads_the_dates_in_polish(guide_review, app):
    """The dates sat in Polish sentences as "Tue 1 Dec 2026": day and month follow the reader."""
    page = app.test_client().get(f"/j/{guide_review.code}", headers={"Accept-Language": "pl"})
    text = page.get_data(as_text=True)
    assert "wt., 1 gru 2026, 10:00 (Europe/Rome)" in text and "Tue 1 Dec" not in text


def test_a_finnish_phone_reads_the_dates_the_finnish_way(guide_review, app):
    """Finnish writes a date with numbers ("ti 1.12.2026"), not "ti 1 joulu 2026"."""
    page = app.test_client().get(f"/j/{guide_review.code}", headers={"Accept-Language": "fi"})
    text = page.get_data(as_text=True)
    assert "ti 1.12.2026, 10.00 (Europe/Rome)" in text and "joulu 2026" not in text
