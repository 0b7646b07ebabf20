"""The JSON module Socket.IO decodes packets with: a payload it cannot read still gets an answer.

python-socketio drops a packet whose JSON does not decode (nested thousands deep, an integer of
more than 100 digits, broken text) without a word, so the client's ack never comes. Here such a
payload decodes as the event MALFORMED, which the namespaces' catch-all handlers answer with
`bad_payload` under the packet's own ack id.
"""

from __future__ import annotations

from typing import Any

from engineio import json as engineio_json

MALFORMED = "\x00malformed"


def dumps(*args: Any, **kwargs: Any) -> str:
    return engineio_json.dumps(*args, **kwargs)  # type: ignore[no-any-return]


def loads(*args: Any, **kwargs: Any) -> Any:
    try:
        return engineio_json.loads(*args, **kwargs)
    except (ValueError, RecursionError):
        return [MALFORMED]
