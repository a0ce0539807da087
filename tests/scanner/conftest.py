"""Small real scans drawn with the synthetic package, written to tmp_path."""

from __future__ import annotations

import pytest

from synthetic.people import Person, make_people


@pytest.fixture(scope="session")
def people() -> list[Person]:
    return make_people(8, seed=3)
