"""Two facts about a file every stage must agree on: its SHA-256 and its name as text.

The watch service records them, the export checks them and the CLI prints them; one definition
means an original is never judged changed because two stages hashed or named it differently.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_CHUNK = 1 << 20
_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


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


def real_path(folder: Path, name: str) -> Path:
    """The file a `printable` name stands for: `Zo\\xeb.pdf` is the file whose name holds the byte 0xEB.

    Rows keep the printable name, so every look at the disk goes through here; looking the escaped
    text up as it is would call a file stuck in the inbox missing. A name that is literally on disk wins.
    """
    literal = folder / name
    if "\\x" not in name or os.path.lexists(literal):
        return literal
    raw = _ESCAPED_BYTE.sub(lambda match: chr(0xDC00 + int(match.group(1), 16)), name)
    return folder / raw if printable(raw) == name else literal
