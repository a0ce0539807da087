"""The review web app: `create_app(workspace)` builds one Flask app bound to one workspace.

Every request opens its own database connection (SQLite in WAL mode lets the page read while the
folder service writes) and every page but the login form requires a signed-in, enabled account.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response as BaseResponse

from config.workspace import Workspace
from review import admin, auth, items
from review.context import current_workspace
from review.security import add_security_headers, check_csrf, csrf_token
from store.database import open_database
from store.states import LINKED_BY_SERVICE, WAITING, State
from store.users import secret_key, user_by_id

log = logging.getLogger(__name__)

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
THROTTLE_DELAY_SECONDS = 2.0
SQLITE_MAX_INTEGER = 2**63 - 1


class DatabaseId(IntegerConverter):
    """An id in a URL: a number SQLite can hold, so a huge one is a 404 like any other unknown id."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, max=SQLITE_MAX_INTEGER)


def create_app(workspace: Workspace, *, testing: bool = False) -> Flask:
    app = Flask(__name__)
    settings = workspace.settings.review
    with open_database(workspace.database) as db:
        key = secret_key(db)
    app.config.update(
        TESTING=testing,
        SECRET_KEY=key,
        SESSION_COOKIE_NAME="casescan_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # a link from an e-mail must not sign the lead out; CSRF tokens guard forms
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_minutes),
        MAX_CONTENT_LENGTH=64 * 1024,
        WORKSPACE=workspace,
        MAX_LOGIN_FAILURES=settings.max_login_failures,
        LOCKOUT_MINUTES=settings.lockout_minutes,
        THROTTLE_DELAY_SECONDS=THROTTLE_DELAY_SECONDS,
    )
    app.url_map.converters["id"] = DatabaseId
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals.update(State=State, WAITING=WAITING, LINKED_BY_SERVICE=LINKED_BY_SERVICE)
    app.jinja_env.autoescape = True

    app.before_request(_open_database)
    app.before_request(_require_login)
    app.before_request(check_csrf)
    app.after_request(add_security_headers)
    app.teardown_appcontext(_close_database)
    app.register_error_handler(HTTPException, _error_page)
    app.context_processor(lambda: {"current_user": g.get("user")})

    app.register_blueprint(auth.blueprint)
    app.register_blueprint(items.blueprint)
    app.register_blueprint(admin.blueprint)
    return app


def _open_database() -> None:
    g.db = open_database(current_workspace().database)


def _close_database(_error: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def _require_login() -> BaseResponse | None:
    """Load the signed-in user; send everyone else to the login form (disabled accounts too, and
    sessions their account has ended since: signed out elsewhere, or a new password)."""
    user_id = session.get("user_id")
    user = user_by_id(g.db, int(user_id)) if user_id is not None else None
    if user is not None and (user.disabled or session.get("generation") != user.session_generation):
        log.info("event=session_refused reason=%s user_id=%s", "disabled" if user.disabled else "ended", user.id)
        session.clear()
        user = None
    g.user = user
    if user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
    return None


def _error_page(error: HTTPException) -> Any:
    return render_template("error.html", error=error), error.code or 500
