"""Moving originals on a share several workers write to: never over a file, a copy across
filesystems checked before the original goes, and a move another worker finished counts as done."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from watch.files import _place_taken, place_original
from watch.intake import processing_area, take


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def other_filesystem() -> Iterator[Path]:
    """A folder on another filesystem than tmp_path (tmpfs), where a rename fails with EXDEV."""
    folder = Path(tempfile.mkdtemp(dir="/dev/shm"))
    if os.stat(folder).st_dev == os.stat(tempfile.gettempdir()).st_dev:
        pytest.fail("/dev/shm is not another filesystem here; the cross-device tests need one")
    yield folder
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if not path.is_dir() else path.rmdir()
    folder.rmdir()


def _dropped(tmp_path: Path, name: str = "scan.pdf", data: bytes = b"%PDF-1.4 scan %%EOF") -> tuple[Path, Path, bytes]:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    (inbox / name).write_bytes(data)
    return inbox / name, processing_area(tmp_path), data


@pytest.mark.parametrize("across", [False, True])
def test_a_move_another_worker_finished_counts_as_done(tmp_path: Path, other_filesystem: Path, across: bool) -> None:
    path, area, data = _dropped(tmp_path)
    archive = (other_filesystem if across else tmp_path) / "archive"
    first, second = take(path, area), take(path, area)  # the job was handed on while the first was moving
    place_original(first, archive / "scan.pdf", _sha(data))
    place_original(second, archive / "scan.pdf", _sha(data))
    assert (archive / "scan.pdf").read_bytes() == data and not path.exists()
    assert [p.name for p in archive.iterdir()] == ["scan.pdf"]


@pytest.mark.parametrize("sha", [True, False])
def test_a_copy_across_filesystems_half_finished_by_another_worker_is_finished(
    tmp_path: Path, other_filesystem: Path, sha: bool
) -> None:
    """The copy reached the archive but the original was still in the inbox when that worker died."""
    path, area, data = _dropped(tmp_path)
    held = take(path, area)
    (other_filesystem / "scan.pdf").write_bytes(data)
    if sha:
        place_original(held, other_filesystem / "scan.pdf", _sha(data))
        assert not path.exists()
    else:  # without the row's hash nothing proves the file there is ours: never counted as done
        with pytest.raises(FileExistsError):
            place_original(held, other_filesystem / "scan.pdf", None)
        assert path.read_bytes() == data


def test_other_bytes_under_the_name_are_never_replaced(tmp_path: Path, other_filesystem: Path) -> None:
    for folder in (tmp_path / "archive", other_filesystem):
        path, area, data = _dropped(tmp_path, data=b"%PDF-1.4 ours %%EOF")
        folder.mkdir(exist_ok=True)
        (folder / "scan.pdf").write_bytes(b"someone else's file")
        with pytest.raises(FileExistsError):
            place_original(take(path, area), folder / "scan.pdf", _sha(data))
        assert (folder / "scan.pdf").read_bytes() == b"someone else's file" and path.read_bytes() == data


def test_a_copy_across_filesystems_is_checked_before_the_original_goes(tmp_path: Path, other_filesystem: Path) -> None:
    path, area, data = _dropped(tmp_path)
    with pytest.raises(OSError) as refused:
        place_original(take(path, area), other_filesystem / "scan.pdf", _sha(b"the bytes the row recorded"))
    assert refused.value.errno == errno.EIO
    assert path.read_bytes() == data, "the original stays in the inbox"
    assert list(other_filesystem.iterdir()) == [], "no copy and no temporary file is left behind"


def test_a_name_taken_during_the_copy_is_not_overwritten(tmp_path: Path, other_filesystem: Path) -> None:
    """Between the check and the end of a copy another file took the name: the copy never replaces it
    (a rename on SMB or NFS would), and its temporary file is removed."""
    path, area, data = _dropped(tmp_path)
    held = take(path, area)
    (other_filesystem / "scan.pdf").write_bytes(b"arrived meanwhile")
    with pytest.raises(FileExistsError):
        _place_taken(held, other_filesystem / "scan.pdf", _sha(data))
    assert (other_filesystem / "scan.pdf").read_bytes() == b"arrived meanwhile"
    assert [p.name for p in other_filesystem.iterdir()] == ["scan.pdf"]
    held.release()


def test_copies_by_two_workers_use_temporary_names_of_their_own(tmp_path: Path, other_filesystem: Path) -> None:
    path, area, data = _dropped(tmp_path)
    first, second = take(path, area), take(path, area)
    leftover = other_filesystem / ".scan.pdf.casescan-partial"  # the one shared name copies used before
    leftover.write_bytes(b"half a copy by a worker that died")
    place_original(first, other_filesystem / "scan.pdf", _sha(data))
    place_original(second, other_filesystem / "scan.pdf", _sha(data))
    assert (other_filesystem / "scan.pdf").read_bytes() == data
    assert leftover.read_bytes() == b"half a copy by a worker that died"


def test_an_archive_on_another_filesystem_takes_the_original_out_of_the_inbox(
    tmp_path: Path, other_filesystem: Path
) -> None:
    """The private name (a hard link) is let go during the copy, which moves the inbox file's change
    time: the original was left in the inbox, to be archived again later as its own duplicate."""
    path, area, data = _dropped(tmp_path)
    place_original(take(path, area), other_filesystem / "Team A" / "scan.pdf", _sha(data))
    assert not path.exists()
    assert (other_filesystem / "Team A" / "scan.pdf").read_bytes() == data
    assert list(area.iterdir()) == [] and [p.name for p in (other_filesystem / "Team A").iterdir()] == ["scan.pdf"]
