"""Small real scans drawn with the synthetic package, written to tmp_path."""

from __future__ import annotations


import pytest

from synthetic.people import make_people


@pytest.fixture(scope="session")
def people():  # type: ignore[no-untyped-def]
    return make_people(8, seed=3)
