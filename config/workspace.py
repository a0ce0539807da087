"""Where a workspace's folders and files are, and how one is created.

Files casescan writes hold special-category personal data, so everything it creates is private
to the service user (umask 077 for the process, 0700 folders).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.errors import NotAWorkspace, UsageError
from config.settings import Settings, default_toml, load_settings

CONFIG_NAME = "casescan.toml"
DATABASE_NAME = "casescan.db"


def make_private() -> None:
    """Files and folders created from here on are readable by the service user only."""
    os.umask(0o077)


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings

    def _path(self, name: str) -> Path:
        configured = Path(self.settings.get(f"workspace.{name}")).expanduser()
        return configured if configured.is_absolute() else self.root / configured

    @property
    def inbox(self) -> Path:
        return self._path("inbox")

    @property
    def closed_inbox(self) -> Path:
        return self.inbox / "closed"

    @property
    def archive(self) -> Path:
        return self._path("archive")

    @property
    def quarantine(self) -> Path:
        return self._path("quarantine")

    @property
    def output(self) -> Path:
        return self._path("output")

    @property
    def database(self) -> Path | str:
        """Where the state lives: the workspace's SQLite file, or the `[database] url` of a PostgreSQL."""
        return self.settings.database.url or self.root / DATABASE_NAME

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def quality_report(self) -> Path:
        return self.root / "import-report.txt"


def is_workspace(path: Path) -> bool:
    return (path / CONFIG_NAME).is_file()


def find_workspace(
    option: str | Path | None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Workspace:
    """The workspace named by --workspace, else CASESCAN_WORKSPACE, else the current directory."""
    env = os.environ if environ is None else environ
    chosen = option or env.get("CASESCAN_WORKSPACE") or Path.cwd()
    root = Path(chosen).expanduser().resolve()
    if not is_workspace(root):
        raise NotAWorkspace(
            f"{root} is not a casescan workspace (no {CONFIG_NAME}); create one with 'casescan init DIR' "
            "or point to one with --workspace DIR or CASESCAN_WORKSPACE."
        )
    settings = load_settings(root / CONFIG_NAME, env, overrides)
    return Workspace(root=root, settings=settings)


def init_workspace(directory: str | Path) -> tuple[Workspace, bool]:
    """Create the layout; never overwrite an existing casescan.toml. Returns (workspace, created)."""
    make_private()
    root = Path(directory).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder; choose another path for the workspace.")
    root.mkdir(parents=True, exist_ok=True)
    config_file = root / CONFIG_NAME
    created = not config_file.exists()
    if created:
        config_file.write_text(default_toml(), encoding="utf-8")
    workspace = Workspace(root=root, settings=load_settings(config_file, environ={}))
    for folder in (workspace.inbox, workspace.closed_inbox, workspace.archive, workspace.quarantine, workspace.output):
        folder.mkdir(parents=True, exist_ok=True)
    return workspace, created
