"""Administrators' pages: the audit log (and its CSV), the accounts and the export."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from export import export_package
from records.template import defused
from review.context import current_workspace, db, user
from review.security import hash_password, password_problem
from store.audit import audit_entries, iter_audit, record_event
from store.database import open_database
from store.model import AuditEntry
from store.users import ROLES, UserError, add_user, disable_user, list_users, user_by_id

log = logging.getLogger(__name__)
blueprint = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE_ROWS = 500


@blueprint.before_request
def _admins_only() -> None:
    if not user().is_admin:
        abort(403, description="Only an administrator can open this page.")


@blueprint.route("/users", methods=["GET"])
def users() -> str:
    return render_template("users.html", users=list_users(db()), roles=ROLES, problem=None, form={})


@blueprint.route("/users", methods=["POST"])
def add() -> BaseResponse | tuple[str, int]:
    form = {key: request.form.get(key, "") for key in ("name", "role")}
    problem = password_problem(request.form.get("password", ""), request.form.get("password_repeat", ""))
    if form["role"] not in ROLES:
        problem = "Choose a role: lead or admin."
    if problem is None:
        try:
            add_user(db(), form["name"], form["role"], hash_password(request.form.get("password", "")))
        except UserError as error:
            problem = error.message
    if problem is not None:
        return render_template("users.html", users=list_users(db()), roles=ROLES, problem=problem, form=form), 400
    record_event(db(), actor=user().name, action="user_added", detail=f"{form['name']} as {form['role']}")
    log.info("event=user_added by=%s role=%s", user().id, form["role"])
    flash(f"Account {form['name']} added as {form['role']}.", "success")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<id:user_id>/disable", methods=["POST"])
def disable(user_id: int) -> BaseResponse:
    target = user_by_id(db(), user_id)
    if target is None:
        abort(404)
    if target.id == user().id:
        flash("You cannot disable your own account; ask another administrator.", "warning")
    else:
        disable_user(db(), target.name)
        record_event(db(), actor=user().name, action="user_disabled", detail=target.name)
        log.info("event=user_disabled by=%s user_id=%s", user().id, target.id)
        flash(
            f"Account {target.name} is disabled: it can no longer sign in, and its open sessions have ended.", "success"
        )
    return redirect(url_for("admin.users"))


def _summary(values: dict[str, Any]) -> str:
    return "; ".join(f"{key}={value}" for key, value in values.items() if value not in (None, ""))


def csv_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    return defused(value) if isinstance(value, str) else value


AUDIT_COLUMNS = ("at", "actor", "action", "document_id", "before", "after", "detail")


def _audit_rows(entries: Iterable[AuditEntry]) -> Iterable[list[Any]]:
    for entry in entries:
        values = {
            **asdict(entry),
            "before": json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
            "after": json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
        }
        yield [csv_safe(values[column]) for column in AUDIT_COLUMNS]


@blueprint.route("/audit")
def audit() -> str:
    entries = audit_entries(db(), limit=AUDIT_PAGE_ROWS)
    return render_template("audit.html", entries=entries, summary=_summary, limit=AUDIT_PAGE_ROWS)


@blueprint.route("/audit.csv")
def audit_csv() -> Response:
    """Every decision, oldest first, streamed so a long audit trail never sits in memory at once.

    The stream reads through its own connection: the request's closes before the body is sent."""
    path = current_workspace().database

    def generate() -> Iterable[str]:
        yield "\ufeff"  # the byte-order mark: Excel then reads the UTF-8 names right
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(AUDIT_COLUMNS)
        with open_database(path, readonly=True) as database:
            for row in _audit_rows(iter_audit(database)):
                writer.writerow(row)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    log.info("event=audit_download user_id=%s", user().id)
    return Response(
        generate(), mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="casescan-audit.csv"'}
    )


@blueprint.route("/export", methods=["GET"])
def export() -> str:
    return render_template("export.html", result=None)


@blueprint.route("/export", methods=["POST"])
def run_export() -> str:
    """Write a complete package to output/<timestamp>/ on the server, as `casescan export` does."""
    result = export_package(current_workspace(), actor=user().name)
    log.info("event=export_from_page user_id=%s go=%s", user().id, result.go)
    return render_template("export.html", result=result)
