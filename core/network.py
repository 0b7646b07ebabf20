"""The address phones on the same network use to reach this computer."""

from __future__ import annotations

import socket


def lan_address() -> str:
    """The IPv4 address of the interface that routes off this machine; 127.0.0.1 if none.

    A UDP socket's connect() only selects a route; it sends no packet.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()
