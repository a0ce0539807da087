"""Moving originals out of the inbox without ever overwriting or altering one."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

REASON_SUFFIX = ".reason.txt"
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def free_name(folder: Path, relative: str, reserved: Callable[[str], bool]) -> str:
    """`relative`, or `name (2).ext`, `name (3).ext`… : the first name neither on disk nor owned by a scan.

    A quarantine name also needs its reason file free, so both are checked.
    """
    path = PurePosixPath(relative)
    candidate = relative
    number = 1
    while (
        (folder / candidate).exists()
        or (folder / (candidate + REASON_SUFFIX)).exists()
        or reserved(candidate)
    ):
        number += 1
        candidate = str(path.with_name(f"{path.stem} ({number}){path.suffix}"))
    return candidate


def move_without_overwrite(source: Path, destination: Path) -> None:
    """Rename when on one filesystem (atomic); otherwise copy beside the destination, then rename
    into place, then remove the source, so a crash leaves the original where it was."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise FileExistsError(errno.EEXIST, "destination exists", str(destination))
    try:
        os.rename(source, destination)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    partial = destination.with_name(f".{destination.name}.casescan-partial")
    shutil.copy2(source, partial)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.rename(partial, destination)
    os.unlink(source)


def write_reason(path: Path, lines: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{key}: {value}\n" for key, value in lines.items())
    path.write_text(text, encoding="utf-8")
