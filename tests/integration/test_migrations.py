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
