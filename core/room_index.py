"""Which rooms each socket is in, so that a disconnect leaves its own rooms, not every room.

python-socketio finds the rooms of a socket that goes away by copying its namespace's whole map of
rooms and asking each room whether the socket is in it. Every phone has rooms of its own (its sid,
`participant:<id>`): with 10,000 phones connected a disconnect walked 20,000 rooms, and a room
whose Wi-Fi dropped at once cost the server minutes (py-spy during a 10,000-phone join on a busy
machine: 62 % of the samples in `basic_disconnect`). The server's manager keeps, beside its rooms,
the rooms of each (namespace, sid), updated where it enters and leaves them; a disconnect and
`get_rooms` read that. Works for the message-queue managers too (they subclass the same one).
"""

from __future__ import annotations

from typing import Any

Key = tuple[str, str]  # (namespace, sid)


class RoomIndex:
    """Mixed in front of the server's manager class (see `install`)."""

    _rooms_of: dict[Key, set[Any]]

    def basic_enter_room(self, sid: str, namespace: str, room: Any, eio_sid: str | None = None) -> None:
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)  # type: ignore[misc]
        self._rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
        super().basic_leave_room(sid, namespace, room)  # type: ignore[misc]
        rooms = self._rooms_of.get((namespace, sid))
        if rooms is not None:
            rooms.discard(room)
            if not rooms:
                del self._rooms_of[(namespace, sid)]

    def basic_disconnect(self, sid: str, namespace: str, **_kwargs: Any) -> None:
        """python-socketio's BaseManager.basic_disconnect, with the socket's rooms from the index."""
        manager: Any = self
        if namespace not in manager.rooms:
            return
        for room in list(self._rooms_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        manager.callbacks.pop(sid, None)
        for pending in (manager.pending_connect, manager.pending_disconnect):
            if sid in pending.get(namespace, ()):
                pending[namespace].remove(sid)
                if not pending[namespace]:
                    del pending[namespace]

    def get_rooms(self, sid: str, namespace: str) -> list[Any]:
        return [room for room in self._rooms_of.get((namespace, sid), ()) if room is not None]


def install(manager: Any) -> None:
    """Give the server's manager (created by socketio.init_app) the index, with what it holds now."""
    if isinstance(manager, RoomIndex):
        return
    base = type(manager)
    manager.__class__ = type(f"Indexed{base.__name__}", (RoomIndex, base), {})
    manager._rooms_of = {}
    for namespace, rooms in manager.rooms.items():
        for room, members in rooms.items():
            for sid in members:
                manager._rooms_of.setdefault((namespace, sid), set()).add(room)
