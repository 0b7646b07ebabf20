"""Alembic: one head, `upgrade head` on an empty database, and no drift from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from core import create_app
from core.config import ROOT
from models import db


def test_upgrade_head_on_an_empty_database_matches_the_models(tmp_path):
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1
        db.engine.dispose()
    assert (ROOT / "migrations" / "versions").is_dir()


def test_cli_commands_work_on_a_fresh_machine_and_demo_twice(tmp_path):
    """`flask --app run demo` may be the very first command: it must create the database itself."""
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    runner = app.test_cli_runner()
    early = runner.invoke(args=["demo", "--port", "5123"])  # before the first-run page: it says so
    assert early.exit_code == 1 and "http://127.0.0.1:5123/f/ on this computer first" in early.output
    made = runner.invoke(
        args=["create-user", "admin@example.org", "--role", "admin"], input="long enough pw\n"
    )
    assert made.exit_code == 0 and "Created admin" in made.output
    first = runner.invoke(args=["demo", "--port", "5123"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "--port", "5123"])
    assert second.exit_code == 0, second.output
    code = first.output.split("Join code:")[1].split()[0]
    assert f"/f/sessions/{code}" in second.output  # the same session, still open, the same password
    assert first.output.split("password: ")[1].split()[0] == second.output.split("password: ")[1].split()[0]
    made = runner.invoke(
        args=["create-user", "coord@example.org", "--role", "coordinator"], input="long enough pw\n"
    )
    assert made.exit_code == 0 and "Created coordinator" in made.output
    with app.app_context():
        db.engine.dispose()
