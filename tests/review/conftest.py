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


@pytest.fixture
def seeded(seeded_master: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    """A fresh copy of the seeded workspace per test (seeding once keeps the suite fast)."""
    for name in list(os.environ):
        if name.startswith("CASESCAN_"):
            monkeypatch.delenv(name)
    root = tmp_path / "ws"
    shutil.copytree(seeded_master.workspace.root, root)
    return Seeded(find_workspace(root), seeded_master.ids)


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
