"""Where the server is: the address phones use, and the record run.py leaves for other commands."""

from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

RECORD = "server.json"  # in the instance folder while run.py serves
LOOPBACK_HOSTS = {"0.0.0.0", "::", "127.0.0.1", "localhost", "::1"}


def lan_address() -> str | None:
    """The IPv4 address of the interface that routes off this machine; None when there is none.

    A UDP socket's connect() only selects a route; it sends no packet.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        address = str(probe.getsockname()[0])
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@dataclass(frozen=True)
class Addresses:
    """What to open on this computer, and what phones open (None: phones cannot reach it)."""

    local: str
    phones: str | None
    port: int


def addresses(host: str, port: int, public_url: str | None = None) -> Addresses:
    """The addresses of a server listening on host:port."""
    local = f"http://{'127.0.0.1' if host in LOOPBACK_HOSTS else host}:{port}"
    if public_url:
        return Addresses(local, public_url.rstrip("/"), port)
    if host in ("0.0.0.0", "::"):
        lan = lan_address()
        return Addresses(local, f"http://{lan}:{port}" if lan else None, port)
    return Addresses(local, None if host in LOOPBACK_HOSTS else local, port)


def record_server(instance: str | Path, found: Addresses) -> Path:
    """Note where run.py serves, so that `flask demo` prints addresses that answer."""
    path = Path(instance) / RECORD
    path.write_text(json.dumps({**asdict(found), "pid": os.getpid()}))
    return path


def forget_server(path: Path) -> None:
    """Remove the record, unless another run.py has replaced it since."""
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def running_server(instance: str | Path, timeout: float = 2.0) -> Addresses | None:
    """The addresses run.py recorded in this instance folder, if that server answers now."""
    try:
        data = json.loads((Path(instance) / RECORD).read_text())
        found = Addresses(str(data["local"]), data["phones"], int(data["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if answers(found.local + "/", timeout) else None


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether an HTTP server answers at `url` (any status: it is there)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError as error:
        error.close()
        return True
    except OSError:
        return False
