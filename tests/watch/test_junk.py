from pathlib import PurePosixPath

import pytest

from config.junk import JunkFilter, junk_filter
from config.settings import load_settings

DEFAULT = junk_filter(load_settings(environ={}))


@pytest.mark.parametrize(
    "path",
    [
        ".DS_Store",
        "._scan.pdf",
        "Thumbs.db",
        "desktop.ini",
        "~$notes.docx",
        ".~lock.sheet.xlsx#",
        "scan.pdf.part",
        "scan.pdf.crdownload",
        "upload.tmp",
        "quarantined.pdf.reason.txt",
        "@eaDir/scan.pdf/SYNOFILE_THUMB_M.jpg",
        "Box 1/.stfolder/x.pdf",
        "__MACOSX/scan.pdf",
        "#recycle/old.pdf",
        "closed/Basement/.Trashes/501/x.pdf",
    ],
)
def test_junk_is_ignored(path: str) -> None:
    assert DEFAULT.is_junk(PurePosixPath(path))


@pytest.mark.parametrize(
    "path",
    [
        "scan.pdf",
        "closed/Diocesan House/Basement Store/Box 12/front sheet.pdf",
        "Thumbs.db.pdf",
        "eaDir/scan.tif",
        "notes.temp.png",
    ],
)
def test_scans_are_not_junk(path: str) -> None:
    assert not DEFAULT.is_junk(PurePosixPath(path))


def test_patterns_are_configurable() -> None:
    junk = JunkFilter(["*.bak"], ["Drafts"])
    assert junk.is_junk(PurePosixPath("a/Drafts/b.pdf")) and junk.is_junk(PurePosixPath("x.bak"))
    assert not junk.is_junk(PurePosixPath("Thumbs.db"))
