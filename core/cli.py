"""Command-line commands: create-user, demo (and the spreadsheet commands)."""

from __future__ import annotations

import secrets
import sys

import click
from flask import Flask
from sqlalchemy import select

from core.network import lan_address
from domain.errors import DomainError
from models import LiveSession, User, db
from services import frameworks, sessions, users

DEMO_EMAIL = "demo@soundingboard.local"


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(["admin", "coordinator", "facilitator"]), default="facilitator")
    @click.option("--name", default="", help="Display name.")
    @click.option("--password", envvar="SOUNDINGBOARD_NEW_PASSWORD", default=None,
                  help="Read from stdin or asked for when not given.")
    def create_user(email: str, role: str, name: str, password: str | None) -> None:
        """Create a facilitator, coordinator or admin account."""
        if password is None:
            password = (click.prompt("Password", hide_input=True, confirmation_prompt=True)
                        if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n"))
        try:
            user = users.create_user(email, password, role, name)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(f"Created {user.role.value} {user.email}.")

    @app.cli.command("demo")
    @click.option("--port", default=5000, help="The port run.py listens on.")
    def demo(port: int) -> None:
        """Create a demo facilitator, the example framework and a session ready to join."""
        user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
        password = secrets.token_urlsafe(9)  # a fresh one each run: the demo account only
        if user is None:
            user = users.create_user(DEMO_EMAIL, password, "facilitator", "Demo facilitator")
        else:
            user.set_password(password)
            db.session.commit()
        framework = frameworks.ensure_example_framework()
        session = db.session.scalar(select(LiveSession).where(
            LiveSession.facilitator_id == user.id, LiveSession.state != "closed"))
        if session is None:
            session = sessions.create_session(user, sessions.SessionInput(
                title="Demo validation meeting", framework_id=framework.id,
                criteria=["relevance", "importance", "clarity"], country="", language="English"))
        if session.state.value == "draft":
            sessions.set_state(session, "open")
        base = app.config.get("SB_PUBLIC_URL") or f"http://{lan_address()}:{port}"
        click.echo(f"Facilitator: {DEMO_EMAIL}  password: {password}")
        click.echo(f"Dashboard:   {base}/f/sessions/{session.code}")
        click.echo(f"Join code:   {session.code}")
        click.echo(f"Join URL:    {base}/j/{session.code}")
