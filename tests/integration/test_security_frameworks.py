"""Frameworks have an owner: others use one only once it is shared, and never change it."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from core import create_app
from models import Framework, db
from services import assessment, frameworks, sessions
from services.frameworks import SkillInput
from tests.conftest import login as _login

SKILLS = [SkillInput("COM", "Communication", "Speaks clearly."), SkillInput("NEG", "Negotiation", "Agrees.")]
CSV = b"code,name,definition,cluster\nLEA,Leading,Leads.,People\n"


def login(client, user):
    """Sign in as `user` (and forget the user flask-login cached in the test's shared `g`)."""
    from flask import g

    g.pop("_login_user", None)
    _login(client, user)


@pytest.fixture
def forms(app):
    app.config["WTF_CSRF_ENABLED"] = False  # these tests are about who, not about CSRF
    return app


def _edit(client, framework, name="Changed"):
    return client.post(
        f"/f/frameworks/{framework.id}",
        data={"framework_name": name, "code": ["X1"], "name": ["X"], "definition": ["X."], "cluster": [""]},
    )


def _import_into(client, framework):
    upload = client.post(
        "/f/frameworks/import",
        data={"into": framework.id, "file": (io.BytesIO(CSV), "skills.csv")},
        content_type="multipart/form-data",
    )
    return upload


def test_another_facilitator_can_neither_see_export_change_nor_use_a_private_framework(
    forms, client, make_user
):
    owner, other = make_user(), make_user()
    framework = frameworks.create_framework("Mine", SKILLS, owner=owner)
    login(client, other)
    assert client.get(f"/f/frameworks/{framework.id}").status_code == 403
    assert client.get(f"/f/frameworks/{framework.id}/export.xlsx").status_code == 403
    assert _edit(client, framework).status_code == 403
    assert _import_into(client, framework).status_code == 403
    assert client.get(f"/f/frameworks/import?into={framework.id}").status_code == 403
    assert b"Mine" not in client.get("/f/").data
    assert b"Mine" not in client.get("/f/sessions/new").data
    with pytest.raises(Exception, match="has not shared it"):
        sessions.create_session(other, sessions.SessionInput("S", framework.id, ["relevance"]))
    with pytest.raises(Exception, match="has not shared it"):
        assessment.create_assessment(other, assessment.AssessmentInput("A", framework.id))
    assert framework.name == "Mine" and framework.latest.skills[0].code == "COM"


def test_a_shared_framework_is_used_and_exported_by_others_but_never_changed(forms, client, make_user):
    owner, other = make_user(), make_user()
    framework = frameworks.create_framework("Ours", SKILLS, owner=owner)
    login(client, owner)
    assert client.post(f"/f/frameworks/{framework.id}/share", data={"shared": "yes"}).status_code == 302
    assert framework.shared
    login(client, other)
    page = client.get(f"/f/frameworks/{framework.id}")
    assert page.status_code == 200 and b"not change it" in page.data and b">Save<" not in page.data
    assert client.get(f"/f/frameworks/{framework.id}/export.csv").status_code == 200
    assert b"Ours" in client.get("/f/sessions/new").data
    session = sessions.create_session(other, sessions.SessionInput("S", framework.id, ["relevance"]))
    assert session.framework_version.framework_id == framework.id
    assert _edit(client, framework).status_code == 403
    assert _import_into(client, framework).status_code == 403
    assert client.post(f"/f/frameworks/{framework.id}/share", data={"shared": "no"}).status_code == 403
    assert framework.shared and framework.name == "Ours"


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_manage_every_framework(forms, client, make_user, role):
    framework = frameworks.create_framework("Private", SKILLS, owner=make_user())
    login(client, make_user(role))
    assert client.get(f"/f/frameworks/{framework.id}").status_code == 200
    assert _edit(client, framework, "Renamed by a coordinator").status_code == 302
    assert framework.name == "Renamed by a coordinator"
    assert _import_into(client, framework).status_code == 200  # the preview


def test_new_frameworks_belong_to_whoever_made_them(forms, client, make_user):
    user = make_user()
    login(client, user)
    client.post(
        "/f/frameworks/new",
        data={
            "framework_name": "New one",
            "code": ["A"],
            "name": ["A"],
            "definition": ["A."],
            "cluster": [""],
        },
    )
    made = db.session.scalar(sa.select(Framework).where(Framework.name == "New one"))
    assert made.owner_id == user.id and not made.shared


def test_the_migration_gives_existing_frameworks_to_the_first_admin(tmp_path):
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade(revision="cb2e61de6cef")
        with db.engine.begin() as connection:
            for user_id, role in ((1, "facilitator"), (2, "admin"), (3, "admin")):
                connection.execute(
                    sa.text(
                        "INSERT INTO users (id, email, display_name, password_hash, role, created_at,"
                        " session_token, active, sign_in_epoch)"
                        " VALUES (:id, :email, '', 'x', :role, '2026-01-01', 't', 1, 0)"
                    ),
                    {"id": user_id, "email": f"u{user_id}@example.org", "role": role},
                )
            connection.execute(
                sa.text("INSERT INTO frameworks (id, name, created_at) VALUES (1, 'Old', '2026-01-01')")
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(sa.text("SELECT owner_id, shared FROM frameworks")).one()
        assert tuple(row) == (2, 1)
        downgrade(revision="cb2e61de6cef")
        db.engine.dispose()
