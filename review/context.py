"""What every blueprint reads from the running app: its workspace, the database and the user."""

from __future__ import annotations

from flask import current_app, g

from config.workspace import Workspace
from store.database import Database
from store.users import User


def current_workspace() -> Workspace:
    workspace: Workspace = current_app.config["WORKSPACE"]
    return workspace


def db() -> Database:
    database: Database = g.db
    return database


def user() -> User:
    """The signed-in user; the app's login gate guarantees there is one on every non-public page."""
    signed_in: User = g.user
    return signed_in
