"""Fixtures for the review page: a seeded workspace, the app, a client and a signed-in helper."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from config.workspace import find_workspace
from review import security
from review.app import create_app
from store.database import migrate_database
from tests.support.postgres import PostgresServer, admin_execute, database_copy
from tests.support.review import Seeded, csrf, make_seeded
from tests.support.seed import PASSWORD


@pytest.fixture(scope="session", autouse=True)
def cheap_hashing() -> Iterator[None]:
    """Argon2 with minimal cost: the tests are about who gets in, not about the hash's strength."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        security._dummy_hash.cache_clear()
        yield
    security._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def seeded_master(tmp_path_factory: pytest.TempPathFactory, cheap_hashing: None) -> Seeded:
    return make_seeded(tmp_path_factory.mktemp("review-master") / "ws")


MASTER_DATABASE = "review_master"


@pytest.fixture(scope="session")
def seeded_master_postgresql(
    tmp_path_factory: pytest.TempPathFactory, cheap_hashing: None, postgres_server: PostgresServer
) -> Seeded:
    """The same seeded workspace with its state in a PostgreSQL database that each test copies."""
    admin_execute(postgres_server, f'CREATE DATABASE "{MASTER_DATABASE}"')
    url = postgres_server.url(MASTER_DATABASE)
    migrate_database(url)
    return make_seeded(tmp_path_factory.mktemp("review-master-pg") / "ws", {"CASESCAN_DATABASE_URL": url})


@pytest.fixture
def seeded(
    request: pytest.FixtureRequest, database_engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Seeded]:
    """A fresh copy of the seeded workspace per test (seeding once keeps the suite fast): its
    folder, and on PostgreSQL its database, copied from the master's."""
    for name in list(os.environ):
        if name.startswith("CASESCAN_"):
            monkeypatch.delenv(name)
    master: Seeded = request.getfixturevalue(
        "seeded_master" if database_engine == "sqlite" else "seeded_master_postgresql"
    )
    root = tmp_path / "ws"
    shutil.copytree(master.workspace.root, root)
    if database_engine == "sqlite":
        yield Seeded(find_workspace(root), master.ids)
        return
    with database_copy(request.getfixturevalue("postgres_server"), MASTER_DATABASE) as url:
        monkeypatch.setenv("CASESCAN_DATABASE_URL", url)
        yield Seeded(find_workspace(root), master.ids)


@pytest.fixture
def app(seeded: Seeded) -> Flask:
    return create_app(seeded.workspace, testing=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., str]:
    """Sign `client` in; returns the session's CSRF token for the test's POSTs."""

    def sign_in(name: str = "lee", password: str = PASSWORD) -> str:
        response = client.post("/login", data={"username": name, "password": password, "csrf_token": csrf(client)})
        assert response.status_code == 302, response.get_data(as_text=True)
        return csrf(client, "/")

    return sign_in
