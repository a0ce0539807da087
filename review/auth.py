"""Signing in and out, and changing one's password. The form posts `username` and `password`:
password managers rely on the names.

Every refusal looks the same (status, page, and the time a password hash takes): a wrong name, a
wrong password, a disabled account and a locked one cannot be told apart, so guessing learns
nothing. The per-account lockout is the control; the per-address count only slows an address that
keeps failing and never refuses a right password (behind the loopback default every lead shares
one address).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from review.context import db, user
from review.security import hash_password, is_locked, lockout_end, password_problem, safe_next, verify_password
from store.audit import record_event
from store.users import (
    User,
    end_sessions,
    record_address_failure,
    record_login_failure,
    record_login_success,
    set_password,
    user_by_name,
)

log = logging.getLogger(__name__)
blueprint = Blueprint("auth", __name__)

UNKNOWN_NAME = "(a name with no account)"  # what the audit records for a name that is no account: it may be a password


def wrong_message() -> str:
    minutes = current_app.config["LOCKOUT_MINUTES"]
    return (
        f"The user name or password is wrong. After {current_app.config['MAX_LOGIN_FAILURES']} wrong passwords "
        f"an account is locked for {minutes} minutes; an administrator can set a new password."
    )


def start_session(account: User) -> None:
    """A fresh session bound to the account's current generation (raising it ends this session)."""
    session.clear()
    session.permanent = True
    session["user_id"] = account.id
    session["generation"] = account.session_generation


# Only one wrong answer at a time is held back: a flood of wrong sign-ins that each slept in a
# server thread would take every thread and keep leads from their pages. The per-account lockout,
# not this delay, is what stops password guessing.
_SLOWED = threading.BoundedSemaphore(1)


def _address_failed(address: str) -> None:
    """Count the failure; an address over its limit is answered slowly, never refused."""
    window = current_app.config["LOCKOUT_MINUTES"] * 60
    failures = record_address_failure(db(), address, time.time(), window)
    if failures > current_app.config["MAX_LOGIN_FAILURES"] * 3 and _SLOWED.acquire(blocking=False):
        try:
            log.info("event=login_slowed failures=%d", failures)
            time.sleep(current_app.config["THROTTLE_DELAY_SECONDS"])
        finally:
            _SLOWED.release()


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    next_url = safe_next(request.values.get("next"))
    if request.method != "POST":
        return render_template("login.html", next_url=next_url, error=None, username="")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    now = datetime.now(UTC)
    account = user_by_name(db(), username) if username else None
    usable = account is not None and not account.disabled
    locked = account is not None and is_locked(account.locked_until, now)
    ok, rehashed = verify_password(account.password_hash if usable and account else None, password)
    if not ok or locked or account is None:
        if usable and not locked and account is not None:
            record_login_failure(
                db(),
                account.id,
                current_app.config["MAX_LOGIN_FAILURES"],
                lockout_end(now, current_app.config["LOCKOUT_MINUTES"]),
            )
        reason = "locked" if locked else "disabled" if account is not None and account.disabled else "wrong"
        record_event(
            db(),
            actor=account.name if account else UNKNOWN_NAME,
            action="sign_in_failed",
            detail=f"{reason}; from {address}",
        )
        log.info("event=login_failed")
        _address_failed(address)
        return render_template("login.html", next_url=next_url, error=wrong_message(), username=username), 401
    record_login_success(db(), account.id, rehashed)
    record_event(db(), actor=account.name, action="sign_in", detail=f"from {address}")
    start_session(account)
    log.info("event=login user_id=%s role=%s", account.id, account.role)
    return redirect(next_url or url_for("items.queue"))


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    """Ends every session of the account, not only this browser's: a copied cookie dies with it."""
    end_sessions(db(), user().id)
    record_event(db(), actor=user().name, action="sign_out")
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
def password() -> Response | tuple[str, int] | str:
    """Change one's own password: every other session of the account ends, this one goes on."""
    if request.method != "POST":
        return render_template("password.html", problem=None)
    me = user()
    ok, _ = verify_password(me.password_hash, request.form.get("current_password", ""))
    new = request.form.get("password", "")
    problem = None if ok else "Your current password is wrong."
    problem = problem or password_problem(new, request.form.get("password_repeat", ""))
    if problem is not None:
        if not ok:
            record_login_failure(
                db(),
                me.id,
                current_app.config["MAX_LOGIN_FAILURES"],
                lockout_end(datetime.now(UTC), current_app.config["LOCKOUT_MINUTES"]),
            )
        return render_template("password.html", problem=problem), 400
    changed = set_password(db(), me.name, hash_password(new))
    record_event(db(), actor=me.name, action="password_changed", detail=f"by {me.name}")
    start_session(changed)
    log.info("event=password_changed user_id=%s", me.id)
    flash("Your password is changed. Every other session of your account has ended.", "success")
    return redirect(url_for("items.queue"))
