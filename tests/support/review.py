"""The review tests' helpers: a seeded workspace (tests/support/seed.py) and the CSRF token a
browser would send."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient

from config.workspace import Workspace, find_workspace, init_workspace
from tests.support.seed import add_account, seed_workspace

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Seeded:
    workspace: Workspace
    ids: dict[str, int]


def make_seeded(root: Path, environ: dict[str, str] | None = None) -> Seeded:
    """A workspace with one review item of each kind, a lead 'lee' and an admin 'ada'."""
    init_workspace(root)
    workspace = find_workspace(root, environ=environ or {})
    ids = seed_workspace(workspace)
    add_account(workspace, "lee", "lead")
    add_account(workspace, "ada", "admin")
    return Seeded(workspace, ids)


def csrf(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)
