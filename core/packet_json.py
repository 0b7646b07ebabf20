"""How Socket.IO packets are read and written: a payload it cannot read still gets an answer.

python-socketio drops a packet whose JSON does not decode (nested thousands deep, an integer of
more than 100 digits, broken text) without a word, so the client's ack never comes. Here such a
payload decodes as the event MALFORMED, which the namespaces' catch-all handlers answer with
`bad_payload` under the packet's own ack id.

`Packet` is python-socketio's packet with a quicker look for binary parts: every packet sent
(each ack, each dashboard push) is searched for bytes before it is encoded, and python-socketio's
own search builds a list at every level and never stops early; on a dashboard push of 40 phones'
results (~28 kB of JSON) it took longer than the encoding itself (bench/README.md).
"""

from __future__ import annotations

from typing import Any

from engineio import json as engineio_json
from socketio import packet

MALFORMED = "\x00malformed"


def dumps(*args: Any, **kwargs: Any) -> str:
    return engineio_json.dumps(*args, **kwargs)  # type: ignore[no-any-return]


def loads(*args: Any, **kwargs: Any) -> Any:
    try:
        return engineio_json.loads(*args, **kwargs)
    except (ValueError, RecursionError):
        return [MALFORMED]


class Packet(packet.Packet):  # type: ignore[misc]
    """python-socketio's packet; the same answer to "does it hold bytes?", found sooner."""

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        """Whether `data` holds bytes anywhere in its lists and dicts (python-socketio's rule)."""
        stack = [data]
        while stack:
            value = stack.pop()
            kind = type(value)
            if kind is str or kind is int or kind is float or kind is bool or value is None:
                continue  # most of a payload, answered without isinstance's walk of the MRO
            if kind is dict or (kind is not list and isinstance(value, dict)):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, (bytes, bytearray)):
                return True
        return False
