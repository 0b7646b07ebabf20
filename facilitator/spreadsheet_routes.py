"""Facilitator pages for spreadsheets: framework import (preview, confirm), template, exports."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.extensions import db
from core.offload import run_blocking
from domain.errors import DomainError
from domain.framework_file import (
    FrameworkFileError,
    framework_template_xlsx,
    framework_to_csv,
    framework_to_xlsx,
    parse_framework_file,
)
from domain.item_lists import KINDS, kind_of
from facilitator import bp
from models import Framework
from services import audit, frameworks, sessions, spreadsheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_EXTENSIONS = {".xlsx", ".csv"}


def _upload_dir() -> Path:
    path = Path(current_app.config["SB_INSTANCE"]) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _held_file(token: str) -> Path:
    """An uploaded file kept between preview and confirmation (token names it, nothing else)."""
    if not token.isalnum() or len(token) > 64:
        abort(400)
    matches = list(_upload_dir().glob(f"{token}.*"))
    if not matches:
        abort(410, "The upload expired; upload the file again.")
    return matches[0]


def _target(into: int | None) -> Framework | None:
    """The framework an import replaces: only its owner, a coordinator or an admin may."""
    if not into:
        return None
    return frameworks.check_manage(current_user, db.get_or_404(Framework, into))


@bp.get("/frameworks/template.xlsx")
@login_required
def framework_template() -> Response:
    return send_file(
        io.BytesIO(framework_template_xlsx()),
        mimetype=XLSX,
        as_attachment=True,
        download_name="framework-template.xlsx",
    )


@bp.route("/frameworks/import", methods=["GET", "POST"])
@login_required
def framework_import() -> Any:
    """Upload: check everything, store nothing, show the problems or a preview to confirm."""
    into = request.values.get("into", type=int)
    target = _target(into)
    if request.method == "GET":
        return render_template("facilitator/framework_import.html", kinds=KINDS, target=target)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return render_template("facilitator/framework_import.html", kinds=KINDS, target=target), 400
    data, filename = upload.read(), upload.filename
    kind = request.form.get("kind") or (target.kind if target else None)
    try:
        # Parsed in a native thread: the loop keeps serving meanwhile.
        draft = run_blocking(lambda: parse_framework_file(filename, data, kind=kind))
    except FrameworkFileError as exc:
        return render_template(
            "facilitator/framework_import.html",
            kinds=KINDS,
            target=target,
            error=exc,
            filename=upload.filename,
        ), 422
    token = secrets.token_hex(16)
    suffix = Path(upload.filename).suffix.lower()
    (_upload_dir() / f"{token}{suffix if suffix in UPLOAD_EXTENSIONS else '.bin'}").write_bytes(data)
    return render_template(
        "facilitator/framework_import.html",
        kinds=KINDS,
        target=target,
        draft=draft,
        token=token,
        filename=upload.filename,
    )


def _kind_asked() -> str | None:
    return request.form.get("kind") or None


@bp.post("/frameworks/import/confirm")
@login_required
def framework_import_confirm() -> Any:
    held = _held_file(request.form.get("token", ""))
    into = request.form.get("into", type=int)
    try:
        target = _target(into)
        kind = _kind_asked() or (target.kind if target else None)
        filename, data = request.form.get("filename", held.name), held.read_bytes()
        draft = run_blocking(lambda: parse_framework_file(filename, data, kind=kind))
        framework = spreadsheet.import_framework(draft, target, owner=current_user)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("facilitator.framework_import", into=into))
    finally:
        held.unlink(missing_ok=True)
    audit.record(
        current_user, "framework_imported", target=framework.name, detail={"version": framework.latest.number}
    )
    flash(
        _(
            "Imported %(n)s %(items)s (version %(version)s).",
            n=len(draft.skills),
            items=_(kind_of(draft.kind).plural),
            version=framework.latest.number,
        ),
    )
    return redirect(url_for("facilitator.framework_edit", framework_id=framework.id))


@bp.get("/frameworks/<int:framework_id>/export.<fmt>")
@login_required
def framework_export(framework_id: int, fmt: str) -> Response:
    framework = frameworks.check_use(current_user, db.get_or_404(Framework, framework_id))
    draft = spreadsheet.framework_draft(framework)
    audit.record(current_user, "framework_exported", target=framework.name, detail={"format": fmt})
    name = f"framework-{framework.id}-v{framework.latest.number}.{fmt}"
    if fmt == "xlsx":
        return send_file(
            io.BytesIO(framework_to_xlsx(draft)), mimetype=XLSX, as_attachment=True, download_name=name
        )
    if fmt == "csv":
        return send_file(
            io.BytesIO(framework_to_csv(draft)), mimetype="text/csv", as_attachment=True, download_name=name
        )
    abort(404)


def _workbook(codes: list[str], name: str, full_profiles: bool = False) -> Response:
    buffer = io.BytesIO()
    spreadsheet.export_sessions(codes, buffer, writer=run_blocking, full_profiles=full_profiles)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=name)


@bp.get("/sessions/<code>/export.xlsx")
@login_required
def session_export(code: str) -> Response:
    session = sessions.get_session_for(current_user, code)
    response = _workbook([session.code], f"sounding-board-{session.code}.xlsx")
    audit.record(current_user, "session_exported", session.code, "xlsx")
    return response


@bp.route("/export", methods=["GET", "POST"])
@login_required
def merged_export() -> Any:
    """Choose several sessions and download one merged workbook."""
    mine = sessions.list_sessions(current_user)
    if request.method == "POST":
        codes = [c for c in request.form.getlist("code") if any(s.code == c for s in mine)]
        if not codes:
            flash(_("Choose at least one session."), "error")
        else:
            try:
                full = request.form.get("full_profiles") == "1"
                kind = "-full-profiles" if full else ""
                name = f"sounding-board-merged-{len(codes)}-sessions{kind}.xlsx"
                response = _workbook(codes, name, full_profiles=full)
            except DomainError as exc:
                flash(exc.message, "error")
            else:
                for code in codes:
                    audit.record(
                        current_user,
                        "session_exported",
                        code,
                        f"merged with {len(codes) - 1} other(s)" + (", full profiles" if full else ""),
                    )
                return response
    return render_template("facilitator/export.html", sessions=mine)
