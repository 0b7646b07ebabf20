"""The addresses run.py prints: phones get a network address, or None when they cannot reach it."""

from __future__ import annotations

import pytest

from core import network


@pytest.mark.parametrize(
    ("host", "lan", "public", "local", "phones"),
    [
        ("0.0.0.0", "192.168.1.20", None, "http://127.0.0.1:5000", "http://192.168.1.20:5000"),
        ("0.0.0.0", None, None, "http://127.0.0.1:5000", None),  # no network: never call loopback "Wi-Fi"
        ("127.0.0.1", "192.168.1.20", None, "http://127.0.0.1:5000", None),  # phones cannot reach loopback
        ("192.168.1.20", "192.168.1.20", None, "http://192.168.1.20:5000", "http://192.168.1.20:5000"),
        ("0.0.0.0", None, "https://vote.example.org/", "http://127.0.0.1:5000", "https://vote.example.org"),
    ],
)
def test_addresses(monkeypatch, host, lan, public, local, phones):
    monkeypatch.setattr(network, "lan_address", lambda: lan)
    found = network.addresses(host, 5000, public)
    assert (found.local, found.phones, found.port) == (local, phones, 5000)


def test_record_is_ignored_when_nothing_answers(tmp_path):
    record = network.record_server(tmp_path, network.Addresses("http://127.0.0.1:9", None, 9))
    assert record.exists()
    assert network.running_server(tmp_path, timeout=0.5) is None
    network.forget_server(record)
    assert not record.exists()
