"""Signing in and out. The form posts `username` and `password`: password managers rely on the names."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from catalogue.store.users import record_login_failure, record_login_success, user_by_name
from review.context import db
from review.security import AddressThrottle, is_locked, lockout_end, safe_next, verify_password

log = logging.getLogger(__name__)
blueprint = Blueprint("auth", __name__)

WRONG = "The user name or password is wrong."


def _throttle() -> AddressThrottle:
    throttle: AddressThrottle = current_app.extensions["address_throttle"]
    return throttle


def _locked_message() -> str:
    minutes = current_app.config["LOCKOUT_MINUTES"]
    return f"Too many failed sign-ins. Wait {minutes} minutes, then try again, or ask an administrator."


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    next_url = safe_next(request.values.get("next"))
    if request.method != "POST":
        return render_template("login.html", next_url=next_url, error=None, username="")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    now = datetime.now(timezone.utc)
    user = user_by_name(db(), username) if username else None

    def refuse(message: str, status: int) -> tuple[str, int]:
        return render_template("login.html", next_url=next_url, error=message, username=username), status

    if _throttle().blocked(address) or (user is not None and is_locked(user.locked_until, now)):
        log.info("event=login_refused reason=throttled")
        return refuse(_locked_message(), 429)
    usable = user is not None and not user.disabled
    ok, rehashed = verify_password(user.password_hash if usable and user else None, password)
    if not ok or user is None:
        _throttle().failed(address)
        if usable and user is not None:
            record_login_failure(db(), user.id, current_app.config["MAX_LOGIN_FAILURES"],
                                 lockout_end(now, current_app.config["LOCKOUT_MINUTES"]))
        log.info("event=login_failed")
        return refuse(WRONG, 401)
    record_login_success(db(), user.id, rehashed)
    _throttle().succeeded(address)
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    log.info("event=login user_id=%s role=%s", user.id, user.role)
    return redirect(next_url or url_for("items.queue"))


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
