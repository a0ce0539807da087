"""Are the archived originals still the bytes that were processed?

The archive is promised never to change, yet a scanner that still held a file open, a person with
access to the folder, or a sync tool can write to it. Attachments are cut from these files, so a
changed original means the package would carry pages no decision was made on. `status` checks
cheaply (size and modification time; the bytes only when those differ); the export reads every
byte.
"""

from __future__ import annotations

import os
from pathlib import Path

from common.files import printable, real_path, sha256_of
from config.junk import JunkFilter
from store.database import Database
from store.model import ArchivedOriginal
from store.scans import archived_originals


def _same_stat(original: ArchivedOriginal, st: os.stat_result) -> bool:
    if st.st_size != original.size:
        return False
    if original.mtime_ns is not None:
        return bool(st.st_mtime_ns == original.mtime_ns)
    return original.mtime is not None and abs(st.st_mtime - original.mtime) < 1e-3


def original_problem(original: ArchivedOriginal, archive: Path, inbox: Path, *, read_bytes: bool) -> str | None:
    """Why this archived original is not the file processed, or None when it is."""
    archived = archive / original.archived_path
    try:
        st = os.lstat(archived)
    except FileNotFoundError:
        if os.path.lexists(real_path(inbox, original.source_file)):
            return None  # not moved yet: the inbox check reports it
        return f"archive/{original.archived_path} is missing: restore it from backup"
    if not read_bytes and _same_stat(original, st):
        return None
    try:
        if sha256_of(archived) == original.sha256:
            return None
    except OSError as error:
        return f"archive/{original.archived_path} cannot be read ({error.strerror}): fix its permissions"
    return (
        f"archive/{original.archived_path} changed after it was processed (its bytes are not the ones read): "
        "restore it from backup, or drop the changed file into the inbox as a new scan"
    )


def changed_originals(db: Database, archive: Path, inbox: Path, *, read_bytes: bool) -> list[dict[str, str]]:
    """{"source_file", "problem"} for each archived original that is not the file processed:
    `read_bytes` hashes every one (the export), else size and time only (`status`, cheaply)."""
    found = []
    for original in archived_originals(db):
        problem = original_problem(original, archive, inbox, read_bytes=read_bytes)
        if problem is not None:
            found.append({"source_file": original.source_file, "problem": problem})
    return found


def files_in_inbox(inbox: Path, junk: JunkFilter) -> list[str]:
    """Every file still in the inbox that is not junk, as `source_file` names it (relative, '/').

    The export's inbox check looks at the folder itself, not only at the files the service has
    seen: a scan dropped while no service ran is as unprocessed as one it is waiting for.
    """
    found = []
    for folder, folders, names in os.walk(inbox):
        folders[:] = sorted(name for name in folders if not junk.is_junk_folder(name))
        relative = Path(folder).relative_to(inbox)
        found += [printable((relative / name).as_posix()) for name in sorted(names) if not junk.is_junk_file(name)]
    return found
