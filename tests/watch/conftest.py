"""Watch-service fixtures: a workspace with short settle/grace times, a small template, and
scans drawn with Pillow in tmp_path (tiny, so the real scanner stays quick)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.importer import import_template
from config.workspace import Workspace, find_workspace, init_workspace
from store.database import migrate_database
from synthetic.people import Person, make_people
from synthetic.template import write_template
from tests.support.watch import FAST_WATCH


@pytest.fixture(scope="session")
def people() -> list[Person]:
    return make_people(12, seed=4)


@pytest.fixture
def ws(
    tmp_path: Path,
    people: list[Person],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    database_engine: str,
) -> Workspace:
    """On PostgreSQL the URL is in the environment, where `casescan watch` processes find it too."""
    for name in [n for n in __import__("os").environ if n.startswith("CASESCAN_")]:
        monkeypatch.delenv(name)
    root = tmp_path / "ws"
    init_workspace(root)
    (root / "casescan.toml").write_text(FAST_WATCH, encoding="utf-8")
    environ: dict[str, str] = {}
    if database_engine == "postgresql":
        environ["CASESCAN_DATABASE_URL"] = request.getfixturevalue("postgres_url")
        monkeypatch.setenv("CASESCAN_DATABASE_URL", environ["CASESCAN_DATABASE_URL"])
        migrate_database(environ["CASESCAN_DATABASE_URL"])
    workspace = find_workspace(root, environ=environ)
    import_template(workspace, write_template(people, tmp_path / "template.csv"))
    return workspace
