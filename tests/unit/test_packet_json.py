"""Socket.IO packets: the quicker search for binary parts answers as python-socketio's own."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from socketio import packet

from core.packet_json import Packet


class Text(str):
    pass


class Blob(bytes):
    pass


@pytest.mark.parametrize(
    "data",
    [
        None,
        1,
        1.5,
        True,
        "text",
        Text("text"),
        b"bytes",
        bytearray(b"bytes"),
        Blob(b"bytes"),
        memoryview(b"bytes"),  # not bytes to python-socketio either
        ["results_updated", {"items": [{"criteria": {"1": {"n": 3, "flags": ["small_panel"]}}}]}],
        ["results_updated", {"items": [{"criteria": {"1": {"picture": b"\x89PNG"}}}]}],
        [[[[]]], {}],
        {"tuple": (b"bytes",)},  # tuples are not searched
        OrderedDict(file=b"bytes"),
        [1, 2, ["deep", [bytearray(b"x")]]],
    ],
)
def test_binary_parts_are_found_as_python_socketio_finds_them(data: Any) -> None:
    assert Packet.data_is_binary(data) is packet.Packet.data_is_binary(data)


def test_a_packet_with_bytes_is_sent_as_binary_and_one_without_as_text() -> None:
    assert Packet(packet.EVENT, data=["x", {"a": [1, b"x"]}]).packet_type == packet.BINARY_EVENT
    assert Packet(packet.EVENT, data=["x", {"a": [1, "x"]}]).packet_type == packet.EVENT
