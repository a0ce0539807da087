"""Taking a file into the service's hands before reading it, so the file processed is the file archived.

A path in a shared inbox is not a file: while a batch is being identified, Windows' "replace the
file" swaps other bytes under the same name, a person renames it, a scanner appends pages to it.
So the service first gives the file a second name in a private area of the workspace (a hard link:
the same bytes, no copy) and reads only through that name. The inbox name's identity (device, inode,
size, modification time) is checked again before anything is committed and before the original is
moved; if it differs, the work is dropped and the path is a new arrival. Where a hard link is not
possible (the inbox on another filesystem, a share that has none), the bytes are copied instead and
the same checks hold.

Where the operating system can tell, a file a writer still holds open is never taken: on Linux a
read lease cannot be granted while anyone has the file open for writing (local disks, and folders
that Samba exports, which takes leases itself). Client mounts of network shares cannot tell; there
the settle and structure rules stand alone.
"""

from __future__ import annotations

import errno
import fcntl
import itertools
import logging
import os
import shutil
import signal
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

AREA_NAME = ".casescan-processing"
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EACCES}
_LEASE_BUSY = {errno.EAGAIN, errno.EBUSY}
# A lease break is signalled to the holder; SIGIO's default action would kill the service. SIGURG is
# ignored by default, and the lease is only ever held for the few milliseconds of a check or a move.
_LEASE_SIGNAL = signal.SIGURG
_names = itertools.count(1)


class PathChanged(Exception):
    """The inbox path no longer names the bytes that were taken: the work on them is dropped."""


class WriterHoldsFile(PathChanged):
    """A program has the file open for writing: it has not arrived yet."""


@dataclass(frozen=True)
class Identity:
    """Which bytes a path names. The change time is in it because a writer can put the old
    modification time back (`rsync --inplace -t`, `touch -r`), but not the change time."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> Identity:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def processing_area(root: Path) -> Path:
    """The private folder (0700) inside the workspace where taken files are held."""
    area = root / AREA_NAME
    area.mkdir(mode=0o700, exist_ok=True)
    os.chmod(area, 0o700)
    return area


def writer_holds(fd: int) -> bool | None:
    """True while any program has this file open for writing, False when none has, None when the OS
    cannot tell (not the file's owner and no CAP_LEASE, or a filesystem without leases)."""
    try:
        leased = _lease(fd)
    except WriterHoldsFile:
        return True
    if not leased:
        return None
    fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
    return False


@dataclass
class Held:
    """A file taken from the inbox: `copy` names the very bytes `path` had when it was taken."""

    path: Path
    copy: Path
    identity: Identity
    copied: bool = False  # `copy` holds a copy of the bytes, not the inbox file itself: it is what gets archived

    def check(self) -> None:
        """Raise `PathChanged` unless the inbox path still names the bytes taken, unchanged."""
        try:
            now = Identity.of(os.lstat(self.path))
        except FileNotFoundError:
            raise PathChanged("the file left the inbox while it was processed") from None
        if now != self.identity:
            raise PathChanged("the file was replaced, renamed or written to while it was processed")

    @contextmanager
    def writers_kept_off(self) -> Iterator[None]:
        """Check the path, and while the block runs keep any program from opening it for writing.

        A writer that opens the file meanwhile waits (the kernel breaks the lease once the block
        returns, a few milliseconds later) instead of appending to a file being archived.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            raise PathChanged("the file left the inbox while it was processed") from None
        except BlockingIOError:  # another program holds a write lease (Samba, for a client writing)
            raise WriterHoldsFile("a program still has the file open for writing") from None
        try:
            if Identity.of(os.fstat(fd)) != self.identity:
                raise PathChanged("the file was replaced, renamed or written to while it was processed")
            leased = _lease(fd)
            try:
                self.check()
                yield
            finally:
                if leased:
                    fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        finally:
            os.close(fd)

    def release(self) -> None:
        try:
            os.unlink(self.copy)
        except FileNotFoundError:
            pass


def _lease(fd: int) -> bool:
    try:
        fcntl.fcntl(fd, fcntl.F_SETSIG, _LEASE_SIGNAL)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
    except OSError as error:
        if error.errno in _LEASE_BUSY:
            raise WriterHoldsFile("a program still has the file open for writing") from None
        log.debug("event=lease-unavailable errno=%s", errno.errorcode.get(error.errno or 0, error.errno))
        return False
    return True


def take(path: Path, area: Path) -> Held:
    """Hold the file at `path` under a private name; raises `PathChanged` if it moves meanwhile.

    FileNotFoundError and other OSErrors (no permission) reach the caller.
    """
    before = os.lstat(path)
    if not stat.S_ISREG(before.st_mode):
        raise PathChanged("the path is no longer a regular file")
    copy = area / f"{os.getpid()}-{next(_names)}-{uuid.uuid4().hex[:8]}"  # never a dead worker's leftover
    if before.st_nlink > 1:
        # Another name shares these bytes (a file hard-linked into the inbox from a person's folder):
        # archived as it is, an edit of that other name would change the archived original.
        return _copied(path, copy)
    try:
        os.link(path, copy, follow_symlinks=False)
    except OSError as error:
        if error.errno not in _NO_LINK:
            raise
        return _copied(path, copy)
    held = Held(path, copy, Identity.of(os.lstat(copy)))
    try:
        held.check()
    except BaseException:
        held.release()
        raise
    return held


def _copied(path: Path, copy: Path) -> Held:
    """The bytes copied through one descriptor, and taken only if nothing changed them meanwhile."""
    with open(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as source:
        taken = os.fstat(source.fileno())
        with open(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
            # The original's times, so the archived copy still matches its row by size and time.
            os.utime(target.fileno(), ns=(taken.st_atime_ns, taken.st_mtime_ns))
        after = Identity.of(os.fstat(source.fileno()))
    identity = Identity.of(taken)
    held = Held(path, copy, identity, copied=True)
    try:
        if after != identity:
            raise PathChanged("the file was written to while it was being taken")
        held.check()
    except BaseException:
        held.release()
        raise
    return held
