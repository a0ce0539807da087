"""Refuse to start when the service would do harm: loop on its own output, or run twice."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from config.errors import CasescanError, UsageError
from config.workspace import Workspace

LOCK_NAME = "casescan.watch.lock"


class WatchRefused(UsageError):
    """The folders are set up so that watching would lose or loop over files."""


class WatchAlreadyRunning(CasescanError):
    """Another `casescan watch` holds this workspace."""


def check_folders(workspace: Workspace) -> None:
    inbox = workspace.inbox.resolve()
    if not inbox.is_dir():
        raise WatchRefused(
            f"the inbox {inbox} does not exist (or is not a folder); create it, or set [workspace] inbox "
            "in casescan.toml to the drop folder (and check a network share is mounted)."
        )
    if not os.access(inbox, os.R_OK | os.W_OK | os.X_OK):
        raise WatchRefused(
            f"the inbox {inbox} is not readable and writable by this user; originals could not be moved "
            "out of it. Give the service user read and write permission on it."
        )
    for name in ("archive", "quarantine", "output"):
        folder = Path(getattr(workspace, name)).resolve()
        if folder == inbox or folder.is_relative_to(inbox):
            raise WatchRefused(
                f"the {name} folder {folder} lies inside the inbox {inbox}, so files moved there would be "
                f"processed again; set [workspace] {name} in casescan.toml to a folder outside the inbox."
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WatchRefused(
                f"cannot create the {name} folder {folder} ({error.strerror}); create it by hand."
            ) from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WatchRefused(f"the {name} folder {folder} is not writable by this user; fix its permissions.")


class WorkspaceLock:
    """An flock on a file in the workspace: released by the kernel even after `kill -9`.

    The single service holds it alone; the cluster's `watch` processes sharing a workspace hold it
    together (`shared`), so neither kind starts beside the other."""

    def __init__(self, workspace: Workspace, *, shared: bool = False) -> None:
        self.path = workspace.root / LOCK_NAME
        self.shared = shared
        self._fd: int | None = None

    def __enter__(self) -> WorkspaceLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise WatchAlreadyRunning(
                f"another 'casescan watch' (pid {holder}) is already running on {self.path.parent}; "
                "stop it first, or let it do the work."
            ) from None
        self._fd = fd
        if self.shared:  # the pid written is the single service's, for the message above
            return self
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
