"""Nothing identifying is logged: no participant token, no network address, no e-mail at INFO."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from core.extensions import socketio
from tests.conftest import PASSWORD, ack
from tests.integration.test_run_script import _free_port, _start, _wait_until_up

ADDRESS = "198.51.100.77"
P = "/participant"


def test_a_join_rate_withdraw_and_sign_in_flow_logs_nothing_identifying(app, make_session, make_user, caplog):
    app.config["WTF_CSRF_ENABLED"] = False
    user = make_user()
    session = make_session(state="live", facilitator=user)
    where = {"REMOTE_ADDR": ADDRESS}
    tokens = []
    with caplog.at_level(logging.INFO):  # the root logger: every logger that propagates, INFO and up
        browser = app.test_client()
        for _ in range(6):  # wrong passwords, up to a lockout
            browser.post("/f/login", data={"email": user.email, "password": "wrong"}, environ_base=where)
        browser.post("/f/login", data={"email": user.email, "password": PASSWORD}, environ_base=where)
        browser.get("/f/login", environ_base=where)
        phone = app.test_client()
        joined = phone.post(f"/j/{session.code}", data={"consent": "yes"}, environ_base=where)
        assert joined.status_code == 302
        api = app.test_client().post(
            f"/api/sessions/{session.code}/join", json={"consent": True}, environ_base=where
        )
        tokens.append(api.get_json()["token"])
        tokens.append(phone.get_cookie(f"sb_p_{session.code}").value)
        sock = socketio.test_client(app, namespace=P, flask_test_client=phone, auth={"token": tokens[1]})
        skill = session.items[0].skill_id
        ack(sock, "submit_rating", {"skill_id": skill, "criterion_id": session.criteria[0].id, "value": 4}, P)
        ack(sock, "submit_rating", {"skill_id": "x"}, P)  # refused: logged?
        socketio.test_client(app, namespace=P, auth={"token": "forged-token-value"})  # refused connect
        for n in range(35):  # a code guesser, throttled
            app.test_client().get(f"/j/{n:06d}", environ_base={"REMOTE_ADDR": "203.0.113.50"})
        phone.post(f"/s/{session.code}/withdraw", data={"confirm": "yes"}, environ_base=where)
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert len(tokens) == 2 and all(tokens)
    for secret in (*tokens, "forged-token-value", ADDRESS, "203.0.113.50", user.email):
        assert secret not in logged, f"{secret!r} was logged:\n{logged}"


def test_run_py_writes_no_access_log_with_addresses(tmp_path):
    port = _free_port()
    process = _start(tmp_path / "instance", port, "--host", "127.0.0.1")
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, f"{base}/")
        for path in ("/j/ABCDEF", "/f/login", "/api/sessions/ABCDEF/state"):
            try:
                urllib.request.urlopen(base + path, timeout=5).close()
            except urllib.error.HTTPError as error:
                error.close()
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "Sounding Board is running" in output
    assert "/j/ABCDEF" not in output and '"GET ' not in output  # no access log lines


def test_migrating_the_database_leaves_the_app_s_loggers_enabled(tmp_path):
    """Alembic's logging set-up used to disable every existing logger (warnings vanished, and the
    test above could not see what was logged)."""
    from core import create_app
    from core.schema import upgrade_database
    from models import db

    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}", "SECRET_KEY": "x"}
    )
    upgrade_database(app)
    for name in ("soundingboard", "flask-limiter", app.logger.name):
        assert not logging.getLogger(name).disabled, name
    with app.app_context():
        db.engine.dispose()
