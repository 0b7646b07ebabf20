"""Command-line commands: create-user, unlock, demo (and the spreadsheet commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask

from core.network import addresses, running_server
from core.schema import upgrade_database
from domain.errors import DomainError
from domain.framework_file import FrameworkFileError, parse_framework_file
from models import Assessment, AssessmentRespondent, Framework, LiveSession, db
from services import assessment, assessment_erasure, audit, erasure, frameworks, sessions, spreadsheet, users
from services.demo import prepare_demo, prepare_review, prepare_workshop

DEFAULT_PORT = 5000  # run.py's
DEMO_PASSWORD_FILE = "demo_password"  # in the instance folder: every run prints the same password


def _ready(app: Flask) -> None:
    """Commands may run before the server ever did: create or migrate the database first."""
    upgrade_database(app)


def _keep_secret(path: Path, text: str) -> None:
    """Write a file only its owner can read (never readable by others, even for a moment)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _purge_targets(codes: tuple[str, ...]) -> tuple[list[LiveSession], list[Assessment]]:
    """Sessions and self-assessments named by CODES (either kind), or the sessions due."""
    if not codes:
        return erasure.purge_due(), []
    chosen, publications = [], []
    for code in codes:
        try:
            chosen.append(sessions.get_session(code))
        except DomainError:
            publications.append(assessment.get_assessment(code))  # DomainError: neither
    return chosen, publications


def _purge_assessments(
    publications: list[Assessment], due: dict[Assessment, list[AssessmentRespondent]]
) -> bool:
    """Purge named self-assessments whole and the respondents past their retention; True if any failed."""
    failed = False
    work = [(a, None) for a in publications] + list(due.items())
    for publication, people in work:
        try:
            if people is None:
                erased = assessment_erasure.purge(publication)
            else:
                erased = assessment_erasure.erase_respondents(publication, people, "purged")
        except DomainError as exc:
            click.echo(f"{publication.code} ({publication.title}): not purged. {exc.message}", err=True)
            failed = True
            continue
        audit.record(None, "assessment_purged", None, publication.code, erased.summary())
        click.echo(f"{publication.code} ({publication.title}): removed {erased.describe()}.")
    return failed


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
        audit.record(None, "account_created", target=user.email, detail={"role": user.role.value})
        click.echo(f"Created {user.role.value} {user.email}.")

    @app.cli.command("unlock")
    @click.argument("email")
    def unlock(email: str) -> None:
        """Let an account sign in again after too many failed attempts."""
        _ready(app)
        try:
            user = users.unlock(email)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        audit.record(None, "account_unlocked", target=user.email)
        click.echo(f"Unlocked {user.email}: its failed sign-ins no longer count.")

    @app.cli.command("purge")
    @click.argument("codes", nargs=-1)
    def purge(codes: tuple[str, ...]) -> None:
        """Unlink participants from their answers (GDPR): all past their retention, or CODES now.

        Sessions: closed ones past their retention; removes the phones' tokens, the profiles, the
        consent records and the online states; the answers, comments, results and decisions stay
        under their pseudonyms. Self-assessments: respondents whose last answer is older than the
        retention period (a closed self-assessment's CODE: all now); removes personal codes and
        profiles; the answers and figures stay.
        """
        _ready(app)
        try:
            chosen, publications = _purge_targets(codes)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        due = {} if codes else assessment_erasure.purge_due()
        if not chosen and not publications and not due:
            click.echo(
                "Nothing to purge: no session or self-assessment respondent is past its retention period."
            )
            return
        failed = _purge_assessments(publications, due)
        for session in chosen:
            try:
                erased = erasure.purge(session)
            except DomainError as exc:
                click.echo(f"{session.code} ({session.title}): not purged. {exc.message}", err=True)
                failed = True
                continue
            audit.record(None, "session_purged", session.code, "", erased.summary())
            click.echo(f"{session.code} ({session.title}): removed {erasure.describe(erased)}.")
        if failed:
            raise click.ClickException("Some sessions or self-assessments were not purged (see above).")

    @app.cli.command("demo")
    @click.option(
        "--port", type=int, default=None, help="The port run.py listens on, when it is not running (5000)."
    )
    def demo(port: int | None) -> None:
        """Create a demo facilitator, the example framework and a session ready to join."""
        _ready(app)
        instance = Path(app.config["SB_INSTANCE"])
        where = running_server(instance)
        if where is None:
            where = addresses("0.0.0.0", port or DEFAULT_PORT, app.config["SB_PUBLIC_URL"])
            click.echo(
                f"No Sounding Board server answers for {instance}: these addresses assume run.py\n"
                f"on port {where.port}. Start it in another terminal (.venv/bin/python run.py), or give\n"
                f"the port it uses: flask --app run demo --port PORT.\n"
            )
        if not users.has_users():
            raise click.ClickException(
                f"No account exists yet. Open {where.local}/f/ on this computer first: the first visit\n"
                f"creates your administrator account. Then run this command again (the demo account\n"
                f"would otherwise take the first-run page's place)."
            )
        kept = instance / DEMO_PASSWORD_FILE
        made = prepare_demo(kept.read_text().strip() if kept.exists() else None)
        _keep_secret(kept, made.password)
        code = made.session.code
        phones = (
            f"{where.phones}/j/{code}   (phones)"
            if where.phones
            else (
                f"{where.local}/j/{code}   (this computer only: phones cannot reach this server, see run.py)"
            )
        )
        click.echo(f"Facilitator: {made.email}  password: {made.password}  (the same every run)")
        click.echo(f"Dashboard:   {where.local}/f/sessions/{code}   (on this computer)")
        click.echo(f"Join code:   {code}")
        click.echo(f"Join URL:    {phones}")
        workshop = prepare_workshop(made.user)
        click.echo(
            f"Prioritisation workshop: {where.local}/f/sessions/{workshop.code}"
            f"   (join {(where.phones or where.local)}/j/{workshop.code})"
        )
        made_review = prepare_review(made.user)
        until = made_review.open_until.strftime("%d %b %Y %H:%M UTC") if made_review.open_until else "-"
        click.echo(
            f"Review over days (a guide of {len(made_review.items)} sections, open until {until}, "
            f"round 1): {where.local}/f/sessions/{made_review.code}/review"
            f"   (join {(where.phones or where.local)}/j/{made_review.code})"
        )
        survey = assessment.ensure_demo_assessment(made.user, frameworks.ensure_example_framework().id)
        click.echo(
            f"Self-assessment: {(where.phones or where.local)}/a/{survey.code}"
            f"   (results: {where.local}/f/assessments/{survey.code})"
        )


def register_spreadsheets(app: Flask) -> None:
    @app.cli.command("import-framework")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--into", type=int, default=None, help="Add as a new version of this framework id.")
    @click.option("--sheet", default=None, help="The workbook's sheet that holds the skills.")
    def import_framework(path: str, into: int | None, sheet: str | None) -> None:
        """Import a framework from an .xlsx or .csv file (see the template in the dashboard)."""
        _ready(app)
        data = Path(path).read_bytes()
        try:
            draft = parse_framework_file(Path(path).name, data, sheet_name=sheet)
            if draft.ambiguous:
                names = ", ".join(f'"{n}"' for n in draft.candidates)
                raise click.ClickException(
                    f'Several sheets have the skills columns ({names}) and none is named "Skills": '
                    "choose one with --sheet NAME. Nothing was imported."
                )
            if draft.sheet:
                click.echo(f'Reading the skills from sheet "{draft.sheet}".')
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
    @click.option(
        "--full-profiles",
        is_flag=True,
        help="Keep every profile answer as given (default: answers held by fewer than 3 "
        "participants of a session read 'other (<3)'). Rare answers can identify people.",
    )
    def export(codes: tuple[str, ...], output: str, full_profiles: bool) -> None:
        """Export one session's results, or several sessions merged, to an Excel workbook."""
        _ready(app)
        if full_profiles:
            click.echo(
                "Warning: full profiles. A participant with a rare answer can be recognised; "
                "keep this file for your own analysis.",
                err=True,
            )
        try:
            chosen = spreadsheet.export_sessions(codes, output, full_profiles=full_profiles)
        except DomainError as exc:
            raise click.ClickException(f"{exc.message} ({', '.join(codes)})") from None
        click.echo(f"Wrote {output} with {len(chosen)} session(s): {', '.join(s.code for s in chosen)}.")
