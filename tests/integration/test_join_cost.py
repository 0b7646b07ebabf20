"""Joining a room of thousands: a phone's join and connection do not re-read the rows they just wrote."""

from __future__ import annotations

from sqlalchemy import event

from core.extensions import db, socketio


def test_join_and_connect_do_not_reload_the_participant_after_their_commits(app, client, make_session):
    session = make_session(state="live")
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        joined = client.post(
            f"/api/sessions/{session.code}/join", json={"consent": True, "profile": {"sector": "Business"}}
        ).get_json()
        assert joined["ok"] and joined["participant"] == "P01"
        after_insert = statements[
            next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO participants")) :
        ]
        statements.clear()
        phone = socketio.test_client(app, namespace="/participant", auth={"token": joined["token"]})
        assert phone.is_connected("/participant")
        after_update = statements[
            next(i for i, s in enumerate(statements) if s.startswith("UPDATE participants")) :
        ]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    reload = "FROM participants WHERE participants.id = "
    assert not [s for s in after_insert + after_update if reload in s]
    assert not [s for s in after_insert if s.startswith("SELECT sessions.id, sessions.code")]
    phone.disconnect(namespace="/participant")
