"""The two engines a test workspace's state can live in.

A module whose tests must hold on both sets `pytestmark = both_engines`: each of its tests that uses
a workspace then runs once on SQLite and once on a real PostgreSQL (tests/conftest.py parametrises
the `database_engine` fixture for it).
"""

from __future__ import annotations

import pytest

ENGINES = ("sqlite", "postgresql")
both_engines = pytest.mark.both_engines
