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


def test_a_join_does_not_count_the_room_unless_someone_left(app, client, make_session):
    """Counting walks every participant of the session: at 10,000 phones, on every join. The
    highest number is enough while nobody was removed or withdrew; after that numbers are still
    never given twice."""
    session = make_session(state="live")
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    def join() -> str:
        answer = client.post(
            f"/api/sessions/{session.code}/join", json={"consent": True, "profile": {"sector": "Business"}}
        ).get_json()
        assert answer["ok"], answer
        return str(answer["participant"])

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert [join(), join()] == ["P01", "P02"]
        numbering = [s for s in statements if "max(participants.number)" in s]
        assert numbering and not [s for s in numbering if "count(" in s]
        session.removed_participants = 1  # P02 was removed: its row is gone
        from models import Participant

        db.session.delete(db.session.scalars(db.select(Participant).filter_by(number=2)).one())
        db.session.commit()
        assert join() == "P03"  # not P02 again
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


class _NoWalk(dict):
    """A namespace's rooms that refuse to be walked: only the socket's own rooms may be touched."""

    def copy(self):
        raise AssertionError("a disconnect walked every room of the namespace")

    def items(self):
        raise AssertionError("a disconnect walked every room of the namespace")


def test_a_disconnect_leaves_its_own_rooms_without_walking_every_room(app, client, make_session):
    """python-socketio walked every room (two per phone) on each disconnect: a Wi-Fi drop of 10,000
    phones cost the server minutes (core/room_index.py)."""
    session = make_session(state="live")
    phones = []
    for _ in range(2):
        joined = client.post(
            f"/api/sessions/{session.code}/join", json={"consent": True, "profile": {"sector": "Business"}}
        ).get_json()
        phones.append(socketio.test_client(app, namespace="/participant", auth={"token": joined["token"]}))
    manager = socketio.server.manager
    rooms = manager.rooms["/participant"]
    first, second = (phone.eio_sid for phone in phones)
    first_sid = manager.sid_from_eio_sid(first, "/participant")
    second_sid = manager.sid_from_eio_sid(second, "/participant")
    assert len(manager.get_rooms(first_sid, "/participant")) == 3  # its sid, the session's, its person's

    manager.rooms["/participant"] = _NoWalk(rooms)
    try:
        phones[0].disconnect(namespace="/participant")
    finally:
        manager.rooms["/participant"] = dict(manager.rooms["/participant"])
    left = {room for room, members in manager.rooms["/participant"].items() if first_sid in members}
    assert not left and manager.get_rooms(first_sid, "/participant") == []
    assert len(manager.get_rooms(second_sid, "/participant")) == 3
    assert phones[1].is_connected("/participant")
    phones[1].disconnect(namespace="/participant")
