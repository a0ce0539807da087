"""After a crash: what is left in the processing area.

A private name whose file still has another name (the inbox's, or the archive's) is simply let go.
A file held only there is the sole copy of bytes a committed row may still need (the inbox name was
deleted or replaced after the outcome was committed, and the worker died before the move): it is
placed where its row says.

The single service tidies at start, alone on its workspace. Cluster workers hold their files in a
folder named by their worker id in the job queue (`worker-ID`), so any machine can tell from the
database whose they are: the discoverer tidies the folders of workers with no heartbeat for
`stalled_seconds`, at each sweep. There a file held only there that no row places is kept (the
database has no word on those bytes, and several machines may have a say), and said so once.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from common.files import real_path, sha256_of
from config.workspace import Workspace
from store import claims, scans
from store.database import Database
from watch.files import private_folders
from watch.intake import processing_area
from watch.pipeline import destination_of

log = logging.getLogger(__name__)
WORKER_FOLDER = "worker-"
_told_kept: set[str] = set()


def worker_area(area: Path, worker_id: int | None) -> Path:
    """Where a cluster worker holds its files: a folder named by its worker id in the job queue."""
    if worker_id is None:
        return area
    folder = area / f"{WORKER_FOLDER}{worker_id}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def recover_held(db: Database, workspace: Workspace) -> None:
    """The single service at start: nothing in the area is anyone's any more."""
    for entry in os.scandir(processing_area(workspace.root)):
        if entry.is_file(follow_symlinks=False):
            _settle(db, workspace, Path(entry.path), keep_unknown=False)


def tidy_held(db: Database, workspace: Workspace, stalled_seconds: float) -> int:
    """Settle what dead cluster workers left in the area; returns how many files were settled."""
    alive = {f"{WORKER_FOLDER}{worker}" for worker in claims.live_worker_ids(db, stalled_seconds)}
    settled = 0
    for folder in os.scandir(processing_area(workspace.root)):
        if not folder.name.startswith(WORKER_FOLDER) or folder.name in alive or not folder.is_dir():
            continue
        for entry in os.scandir(folder.path):
            settled += _settle(db, workspace, Path(entry.path), keep_unknown=True)
        try:
            os.rmdir(folder.path)
        except OSError:  # a file kept, or a late one of a worker that was only cut off
            continue
        log.info("event=held-tidied owner=%s", folder.name)
    return settled


def orphaned(folder: Path) -> list[Path]:
    """The files in this machine's own `folder` whose worker process has died (a held name begins
    with its holder's pid) while the service that owns the folder lives on: its heartbeat keeps
    the folder from ever being tidied as a dead worker's, and a full copy of a scan stayed outside
    archive/ for good."""
    return [
        Path(entry.path)
        for entry in (os.scandir(folder) if folder.is_dir() else ())
        if entry.is_file(follow_symlinks=False) and not _holder_alive(entry.name)
    ]


def settle_orphans(db: Database, workspace: Workspace, held: list[Path]) -> int:
    """Settle `orphaned` files as `tidy_held` settles a dead worker's: bytes no row places stay,
    said once; returns how many were settled."""
    return sum(_settle(db, workspace, path, keep_unknown=True) for path in held)


def _holder_alive(name: str) -> bool:
    """Whether the process whose pid begins the held name still runs (on this machine, whose area it is)."""
    try:
        os.kill(int(name.split("-", 1)[0]), 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError):  # not a held name, or someone else's live process: leave it
        return True
    return True


def _settle(db: Database, workspace: Workspace, held: Path, *, keep_unknown: bool) -> bool:
    """Let `held` go, or place it where its row says; False when it is kept."""
    try:
        if os.lstat(held).st_nlink > 1:
            held.unlink()
            return True
        digest = sha256_of(held)
    except FileNotFoundError:  # its worker, only cut off, finished with it meanwhile
        return True
    archived = False  # these bytes are already where a row says
    for scan in scans.awaiting_bytes(db, digest):
        destination = destination_of(workspace, scan)
        if not os.path.lexists(destination):
            if not os.path.lexists(real_path(workspace.inbox, scan.source_file)):
                private_folders(destination.parent)
                os.rename(held, destination)
                os.chmod(destination, 0o600)
                log.warning("event=recovered-original scan=%d", scan.id)
                return True
        elif keep_unknown and not archived:
            archived = sha256_of(destination) == digest
    if keep_unknown and not archived:
        if str(held) not in _told_kept:
            _told_kept.add(str(held))
            log.warning("event=held-kept reason=no-row-places-its-bytes folder=%s", held.parent.name)
        return False
    held.unlink()
    return True
