"""The application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from core.config import ROOT, flask_config, read_environment
from core.extensions import csrf, db, login_manager, migrate, socketio


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from SOUNDINGBOARD_* settings; `overrides` wins (tests use it)."""
    settings = read_environment()
    settings.update({k: v for k, v in (overrides or {}).items() if k in settings})
    app = Flask(
        __name__,
        root_path=str(ROOT),
        instance_path=str(Path(settings["INSTANCE_PATH"]).resolve()),
        template_folder="templates",
        static_folder="static",
    )
    app.config.update(flask_config(settings))
    app.config.update({k: v for k, v in (overrides or {}).items() if k not in settings})

    # Import the blueprints (and so their Socket.IO handlers) before socketio.init_app: handlers
    # declared after it bind to that one server only and would be lost for a second app.
    from facilitator import bp as facilitator_bp
    from participant import bp as participant_bp

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "facilitator.login"
    # The button says "Sign in"; lazy, so that it is shown in the reader's language.
    login_manager.login_message = lazy_gettext("Please sign in to see that page.")
    socketio.init_app(
        app,
        async_mode=app.config["SB_ASYNC_MODE"],
        message_queue=app.config["SB_MESSAGE_QUEUE"],
        ping_interval=10,
        ping_timeout=20,
        max_http_buffer_size=64 * 1024,
        # One connection's events run one after another, in the order they arrived: a phone's
        # quick changes to one answer take effect in the order it sent them (docs/protocol.md).
        async_handlers=False,
    )

    from core import room_index
    from participant import rating_events

    room_index.install(socketio.server.manager)  # a disconnect leaves its own rooms, not every room
    rating_events.install(app)  # the hot path, without Flask-SocketIO's per-event request context
    if socketio.server.eio.async_mode == "threading":
        from core import threading_ws

        threading_ws.install(socketio.server.eio)  # messages over the limit refused at their header
    if app.config["SB_ASYNC_MODE"] == "gevent":
        from core.offload import cooperative_sqlite_waits

        cooperative_sqlite_waits(app.config["SB_DB_LOCK_WAIT"])

    if app.config["SB_PROXIES"]:
        # Behind HTTPS termination: trust the proxy's scheme and host so cookies get Secure.
        n = app.config["SB_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    from core import clock, i18n, security

    i18n.init_app(app)
    clock.init_app(app)
    security.init_app(app)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(participant_bp)

    from core import cli, errors, filters

    cli.register(app)
    filters.register(app)
    errors.register(app)
    app.register_error_handler(OperationalError, _database_error)
    return app


def _database_error(error: OperationalError) -> Any:
    """Another process held the SQLite write lock past the wait: say so (503), nothing was stored."""
    from flask import jsonify, render_template, request
    from flask_babel import gettext

    from core.acks import busy
    from core.offload import is_locked
    from models import db

    db.session.rollback()
    if not is_locked(error):
        raise error
    if request.path.startswith("/api/"):
        return jsonify(busy()), 503
    return render_template("error.html", title=gettext("Busy"), message=busy()["message"]), 503
