"""Moving originals out of the inbox without ever overwriting or altering one."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import uuid
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from common.files import sha256_of
from watch.intake import _NO_LINK, Held, PathChanged

REASON_SUFFIX = ".reason.txt"
NAME_MAX = 255  # bytes in one file name on Linux filesystems and SMB shares


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


def private_folders(folder: Path) -> None:
    """Create `folder` and any missing parents as 0700: archived scans are special-category data."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        try:
            os.mkdir(level, 0o700)
        except FileExistsError:
            continue
        os.chmod(level, 0o700)


def place_original(held: Held, destination: Path, sha256: str | None = None) -> None:
    """Move the taken original to `destination`, never overwriting, so that what lands there is the
    bytes taken (`sha256`, the committed row's). Call it while `held.writers_kept_off()` holds, right
    after a check.

    The inbox name is renamed (one atomic step on one filesystem). If it was replaced in the instant
    between the check and the rename, the stranger is given back to the inbox and the bytes taken are
    placed instead; if the name has gone, the bytes taken are placed. A move another worker already
    finished (it was given this file when this one seemed dead) counts as done. An OSError (no
    permission on the inbox folder, a full disk) reaches the caller with nothing moved.
    """
    private_folders(destination.parent)
    if os.path.lexists(destination):
        if _already_placed(held, destination, sha256):
            return
        raise FileExistsError(
            errno.EEXIST, "a file of that name is already there; casescan never overwrites", str(destination)
        )
    if held.copied:  # the inbox file is not the bytes taken (another name shares them, or another filesystem)
        _place_instead(held, destination, sha256)
        return
    try:
        os.rename(held.path, destination)
    except FileNotFoundError:
        _place_taken(held, destination, sha256)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        _place_instead(held, destination, sha256)
        return
    landed = os.lstat(destination)
    if (landed.st_dev, landed.st_ino) != (held.identity.device, held.identity.inode):
        _give_back(destination, held.path)
        _place_taken(held, destination, sha256)
        return
    os.chmod(destination, 0o600)


def _already_placed(held: Held, destination: Path, sha256: str | None) -> bool:
    """Whether `destination` already holds the bytes taken (the very file, or a verified copy); the
    inbox name is then removed if it still names them (a copy across filesystems half finished)."""
    landed = os.lstat(destination)
    same_file = (landed.st_dev, landed.st_ino) == (held.identity.device, held.identity.inode)
    if not same_file and (sha256 is None or not stat.S_ISREG(landed.st_mode) or sha256_of(destination) != sha256):
        return False
    _remove_if_same(held, sha256)
    return True


def _place_taken(held: Held, destination: Path, sha256: str | None) -> None:
    """The private name becomes the destination; across filesystems a copy under a name of its own
    (two workers never write one temporary file), read back and compared before it takes the name."""
    try:
        _take_name(held.copy, destination)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex[:12]}.casescan-partial")
        try:
            shutil.copy2(held.copy, partial)
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            if sha256 is not None and sha256_of(partial) != sha256:
                raise OSError(
                    errno.EIO,
                    "the copy written to the share differs from the file taken; check the share",
                    str(destination),
                )
            _take_name(partial, destination)
        finally:
            if os.path.lexists(partial):
                os.unlink(partial)
        os.unlink(held.copy)
    os.chmod(destination, 0o600)


def _place_instead(held: Held, destination: Path, sha256: str | None) -> None:
    """The bytes taken are placed and the inbox name removed; if it cannot be removed (no permission
    on its folder) the placed file is taken back, so nothing has moved and the move is tried again."""
    _place_taken(held, destination, sha256)
    try:
        _remove_if_same(held, sha256)
    except OSError:
        os.unlink(destination)  # the inbox name still holds these very bytes: it was checked just now
        raise


def _take_name(source: Path, destination: Path) -> None:
    """Give `source` the name `destination`, never replacing a file there (SMB and NFS renames
    overwrite): a hard link fails if the name is taken; a share without links is checked first."""
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError as error:
        if error.errno == errno.EEXIST or error.errno not in _NO_LINK:
            raise
        if os.path.lexists(destination):
            raise FileExistsError(errno.EEXIST, "a file of that name is already there", str(destination)) from None
        os.rename(source, destination)
        return
    os.unlink(source)


def _give_back(stranger: Path, inbox_path: Path) -> None:
    """A file swapped in under the inbox name was moved by mistake: put it back as a new arrival."""
    folder = inbox_path.parent
    name = free_name(folder, inbox_path.name, lambda _name: False)
    os.link(stranger, folder / name, follow_symlinks=False)
    os.unlink(stranger)


def _remove_if_same(held: Held, sha256: str | None) -> None:
    """After a copy across filesystems: the inbox name goes only if it still names the bytes taken.

    Its identity also changes when only its links do (the private name let go, another worker
    taking the same file), so when it differs the file is read again and removed only if its bytes
    hash to the committed row's.
    """
    try:
        held.check()
    except PathChanged:
        try:
            if sha256 is None or not stat.S_ISREG(os.lstat(held.path).st_mode) or sha256_of(held.path) != sha256:
                return
        except FileNotFoundError:
            return
    os.unlink(held.path)


def write_reason(path: Path, lines: dict[str, str | None]) -> None:
    private_folders(path.parent)
    text = "".join(f"{key}: {value}\n" for key, value in lines.items())
    with open(
        os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600), "w", encoding="utf-8"
    ) as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(text)
