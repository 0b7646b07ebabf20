"""What the in-process benches share: an app on a throwaway SQLite file, and a live session on it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import create_app  # noqa: E402
from models import db  # noqa: E402


@contextmanager
def live_session(folder: str, pacing: str = "self") -> Iterator[Any]:
    """Inside the app's context (threading, SQLite in `folder`): a live session on the example
    framework with three criteria; the engine is disposed afterwards."""
    app = create_app(
        {
            "INSTANCE_PATH": f"{folder}/instance",
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "SECRET_KEY": "bench",
            "ASYNC_MODE": "threading",
        }
    )
    from services import frameworks, sessions, users  # once the app is built

    with app.app_context():
        db.create_all()
        user = users.create_user("bench@example.org", "correct horse battery", "facilitator")
        data = sessions.SessionInput(
            title="Bench",
            framework_id=frameworks.ensure_example_framework().id,
            criteria=["relevance", "importance", "clarity"],
            pacing=pacing,
        )
        session = sessions.create_session(user, data)
        for step in ("open", "live"):
            sessions.set_state(session, step)
        try:
            yield session
        finally:
            db.session.remove()
            db.engine.dispose()
