"""First run: only the machine itself, or whoever has the token run.py printed, creates the admin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import create_app
from core.config import ROOT
from models import User, db
from tests.conftest import PASSWORD, match_group

REMOTE = {"REMOTE_ADDR": "192.0.2.44"}


def _csrf(page: str) -> str:
    return match_group(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)


def create_admin(client, url: str, environ: dict[str, str]):
    page = client.get(url, environ_base=environ)
    assert page.status_code == 200, page.get_data(as_text=True)
    form = {
        "csrf_token": _csrf(page.get_data(as_text=True)),
        "display_name": "Admin",
        "email": "admin@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    return client.post(url, data=form, environ_base=environ)


def test_the_machine_itself_creates_the_administrator(client):
    response = create_admin(client, "/f/setup", {"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(User)).email == "admin@example.org"


@pytest.mark.parametrize(
    ("environ", "headers"),
    [
        (REMOTE, {}),
        ({"REMOTE_ADDR": "::1"}, {"X-Forwarded-For": "203.0.113.9"}),  # through a proxy we were not told of
        ({"REMOTE_ADDR": "127.0.0.1"}, {"X-Real-IP": "203.0.113.9"}),
    ],
)
def test_another_machine_without_the_token_is_refused(client, environ, headers):
    page = client.get("/f/setup", environ_base=environ, headers=headers)
    assert page.status_code == 403
    assert "printed in its terminal" in page.get_data(as_text=True)
    home = client.get("/", environ_base=environ).get_data(as_text=True)  # every page has a CSRF token
    token = match_group(r'name="csrf-token" content="([^"]+)"', home)
    posted = client.post(
        "/f/setup",
        data={"csrf_token": token, "email": "evil@example.org", "password": PASSWORD, "confirm": PASSWORD},
        environ_base=environ,
        headers=headers,
    )
    assert posted.status_code == 403
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_behind_a_trusted_proxy_the_real_client_address_counts(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
            "SECRET_KEY": "x",
            "PROXIES": 1,
        }
    )
    with app.app_context():
        db.create_all()
        client = app.test_client()
        outsider = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
        assert client.get("/f/setup", headers=outsider).status_code == 403
        db.engine.dispose()


def test_the_token_printed_by_run_py_lets_another_machine_set_up_once(tmp_path):
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDINGBOARD_")}
    env.update(SOUNDINGBOARD_INSTANCE_PATH=str(instance), PYTHONUNBUFFERED="1")
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "run.py", "--host", "127.0.0.1", "--port", "0"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while "Stop with Ctrl+C" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    printed = log.read_text()
    assert "http://127.0.0.1:0/f/setup" in printed
    link = re.search(r"(https?://\S+/f/setup\?token=(\S+))", printed)
    assert link, printed
    assert (instance / "setup_token").stat().st_mode & 0o777 == 0o600

    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "x"})
    with app.app_context():
        client = app.test_client()
        assert client.get("/f/setup?token=wrong", environ_base=REMOTE).status_code == 403
        url = "/f/setup?token=" + link.group(2)
        assert create_admin(client, url, REMOTE).status_code == 302
        assert not (instance / "setup_token").exists()  # one use only
        assert client.get(url, environ_base=REMOTE).headers["Location"].endswith("/f/login")
        db.engine.dispose()
    assert Path(instance / "soundingboard.db").exists()


@pytest.mark.parametrize(
    ("host", "phones", "expected"),
    [
        # listening on 127.0.0.1 only: the page works on this computer; the token link says it
        # is for a proxy or tunnel, not "another computer", which cannot reach 127.0.0.1
        ("127.0.0.1", None, ["http://127.0.0.1:5000/f/setup on this computer", "proxy or SSH tunnel"]),
        # on every interface: the token link carries the address other computers reach
        (
            "0.0.0.0",
            "http://192.0.2.10:5000",
            [
                "http://127.0.0.1:5000/f/setup on this computer",
                "another one with this one-time link: http://192.0.2.10:5000/f/setup?token=",
            ],
        ),
        # on one LAN address: 127.0.0.1 does not answer, and a request to the LAN address is not local
        ("192.0.2.10", "http://192.0.2.10:5000", ["one-time link: http://192.0.2.10:5000/f/setup?token="]),
    ],
)
def test_the_setup_link_printed_names_an_address_that_works(app, host, phones, expected):
    from core.network import addresses
    from core.security import first_run_notice

    found = addresses(host, 5000)
    found = type(found)(found.local, phones, 5000)
    printed = first_run_notice(app, host, found)
    for text in expected:
        assert text in printed, printed
    if host == "127.0.0.1":
        assert "another one" not in printed  # no other computer can reach a server on 127.0.0.1
    if host == "192.0.2.10":
        assert "127.0.0.1" not in printed
