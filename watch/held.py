"""After a crash: what is left in the processing area.

A private name whose file still has its inbox name (two links) is simply let go. A file held only
there is the sole copy of bytes a committed row may still need (the inbox name was deleted or
replaced after the outcome was committed, and the service died before the move): it is placed where
its row says, else let go, since no decision was ever made on it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from common.files import real_path, sha256_of
from config.workspace import Workspace
from store import scans
from store.database import Database
from watch.files import private_folders
from watch.intake import processing_area
from watch.pipeline import destination_of

log = logging.getLogger(__name__)


def recover_held(db: Database, workspace: Workspace) -> None:
    area = processing_area(workspace.root)
    for entry in os.scandir(area):
        held = Path(entry.path)
        if entry.stat(follow_symlinks=False).st_nlink > 1:
            held.unlink()
            continue
        for scan in scans.awaiting_bytes(db, sha256_of(held)):
            destination = destination_of(workspace, scan)
            if not os.path.lexists(destination) and not os.path.lexists(real_path(workspace.inbox, scan.source_file)):
                private_folders(destination.parent)
                os.rename(held, destination)
                os.chmod(destination, 0o600)
                log.warning("event=recovered-original scan=%d", scan.id)
                break
        else:
            held.unlink()
