"""Command-line commands: create-user, demo (and the spreadsheet commands)."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from core.network import lan_address
from core.schema import upgrade_database
from domain.errors import DomainError
from domain.framework_file import FrameworkFileError, parse_framework_file
from models import Framework, LiveSession, User, db
from services import assessment, frameworks, sessions, spreadsheet, users

DEMO_EMAIL = "demo@soundingboard.local"


def _ready(app: Flask) -> None:
    """Commands may run before the server ever did: create or migrate the database first."""
    upgrade_database(app)


def register(app: Flask) -> None:
    register_spreadsheets(app)

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(["admin", "coordinator", "facilitator"]), default="facilitator")
    @click.option("--name", default="", help="Display name.")
    @click.option(
        "--password",
        envvar="SOUNDINGBOARD_NEW_PASSWORD",
        default=None,
        help="Read from stdin or asked for when not given.",
    )
    def create_user(email: str, role: str, name: str, password: str | None) -> None:
        """Create a facilitator, coordinator or admin account."""
        _ready(app)
        if password is None:
            password = (
                click.prompt("Password", hide_input=True, confirmation_prompt=True)
                if sys.stdin.isatty()
                else sys.stdin.readline().rstrip("\n")
            )
        try:
            user = users.create_user(email, password, role, name)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(f"Created {user.role.value} {user.email}.")

    @app.cli.command("demo")
    @click.option("--port", default=5000, help="The port run.py listens on.")
    def demo(port: int) -> None:
        """Create a demo facilitator, the example framework and a session ready to join."""
        _ready(app)
        user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
        password = secrets.token_urlsafe(9)  # a fresh one each run: the demo account only
        if user is None:
            user = users.create_user(DEMO_EMAIL, password, "facilitator", "Demo facilitator")
        else:
            user.set_password(password)
            db.session.commit()
        framework = frameworks.ensure_example_framework()
        session = db.session.scalar(
            select(LiveSession).where(LiveSession.facilitator_id == user.id, LiveSession.state != "closed")
        )
        if session is None:
            session = sessions.create_session(
                user,
                sessions.SessionInput(
                    title="Demo validation meeting",
                    framework_id=framework.id,
                    criteria=["relevance", "importance", "clarity"],
                    country="",
                    language="English",
                ),
            )
        if session.state.value == "draft":
            sessions.set_state(session, "open")
        base = app.config.get("SB_PUBLIC_URL") or f"http://{lan_address()}:{port}"
        click.echo(f"Facilitator: {DEMO_EMAIL}  password: {password}")
        click.echo(f"Dashboard:   {base}/f/sessions/{session.code}")
        click.echo(f"Join code:   {session.code}")
        click.echo(f"Join URL:    {base}/j/{session.code}")
        survey = assessment.ensure_demo_assessment(user, framework.id)
        click.echo(f"Self-assessment: {base}/a/{survey.code}  (results: {base}/f/assessments/{survey.code})")


def register_spreadsheets(app: Flask) -> None:
    @app.cli.command("import-framework")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--into", type=int, default=None, help="Add as a new version of this framework id.")
    def import_framework(path: str, into: int | None) -> None:
        """Import a framework from an .xlsx or .csv file (see the template in the dashboard)."""
        _ready(app)
        data = Path(path).read_bytes()
        try:
            draft = parse_framework_file(Path(path).name, data)
            target = db.session.get(Framework, into) if into is not None else None
            if into is not None and target is None:
                raise click.ClickException(f"No framework has id {into}.")
            framework = spreadsheet.import_framework(draft, target)
        except FrameworkFileError as exc:
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            raise click.ClickException(exc.message) from None
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(
            f"Imported {len(draft.skills)} skills into {framework.name!r} "
            f"(id {framework.id}, version {framework.latest.number})."
        )

    @app.cli.command("export")
    @click.argument("codes", nargs=-1, required=True)
    @click.option(
        "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .xlsx file to write."
    )
    def export(codes: tuple[str, ...], output: str) -> None:
        """Export one session's results, or several sessions merged, to an Excel workbook."""
        _ready(app)
        try:
            chosen = spreadsheet.export_sessions(codes, output)
        except DomainError as exc:
            raise click.ClickException(f"{exc.message} ({', '.join(codes)})") from None
        click.echo(f"Wrote {output} with {len(chosen)} session(s): {', '.join(s.code for s in chosen)}.")
