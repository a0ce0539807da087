"""Moving originals out of the inbox without ever overwriting or altering one."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

REASON_SUFFIX = ".reason.txt"
NAME_MAX = 255  # bytes in one file name on Linux filesystems and SMB shares
_CHUNK = 1 << 20


def printable(name: str) -> str:
    """A file name as text that UTF-8 (SQLite, JSON, a reason file) can hold.

    A name written by a Latin-1 client (`Zo\xeb.pdf`) reaches Python with surrogate escapes, which
    no UTF-8 encoder accepts; its undecodable bytes are shown as `\xeb` instead. Valid names are unchanged.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:  # a link is never followed
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def free_name(folder: Path, relative: str, reserved: Callable[[str], bool]) -> str:
    """`relative`, or `name (2).ext`, `name (3).ext`… : the first name neither on disk nor owned by a scan.

    A quarantine name also needs its reason file free, so both are checked.
    """
    path = PurePosixPath(relative)
    number = 1
    candidate = _fitting(path, number)
    while (
        os.path.lexists(folder / candidate)
        or os.path.lexists(folder / (candidate + REASON_SUFFIX))
        or reserved(candidate)
    ):
        number += 1
        candidate = _fitting(path, number)
    return candidate


def _fitting(path: PurePosixPath, number: int) -> str:
    """`path` with ` (number)` added after the first, its stem cut so that the name and its reason
    file fit in NAME_MAX bytes: a share accepts a name of 250 bytes, `NAME.reason.txt` would not fit."""
    stem, tail = path.stem, (f" ({number})" if number > 1 else "") + path.suffix
    room = NAME_MAX - len((tail + REASON_SUFFIX).encode())
    if room < 1:  # the "suffix" is most of the name: cut the whole name instead
        stem, tail = path.name, tail[: -len(path.suffix)] if path.suffix else tail
        room = NAME_MAX - len((tail + REASON_SUFFIX).encode())
    cut = stem.encode()[:room].decode("utf-8", "ignore")
    return str(path.with_name(cut + tail))


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
