"""Two facts about a file every stage must agree on: its SHA-256 and its name as text.

The watch service records them, the export checks them and the CLI prints them; one definition
means an original is never judged changed because two stages hashed or named it differently.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:  # a link is never followed
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def printable(name: str) -> str:
    """A file name as text that UTF-8 (SQLite, JSON, a reason file) can hold.

    A name written by a Latin-1 client (`Zo\xeb.pdf`) reaches Python with surrogate escapes, which
    no UTF-8 encoder accepts; its undecodable bytes are shown as `\xeb` instead. Valid names are unchanged.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
