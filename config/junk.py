"""What the share collects that is not a scan: never processed, never quarantined.

Patterns are matched against names, not whole paths, so `@eaDir` is skipped at any depth and a
user's `*.tmp` pattern does not have to guess the folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import PurePath

from config.settings import Settings


class JunkFilter:
    def __init__(self, ignore_files: Iterable[str], ignore_folders: Iterable[str]) -> None:
        self._files = tuple(ignore_files)
        self._folders = tuple(ignore_folders)

    def is_junk_folder(self, name: str) -> bool:
        return any(fnmatchcase(name, pattern) for pattern in self._folders)

    def is_junk_file(self, name: str) -> bool:
        # Case-sensitive on purpose: `Thumbs.db` and `desktop.ini` come from systems that write them
        # in one case; a lower-case pattern must not swallow a scan called `THUMBS.DB.pdf`.
        return any(fnmatchcase(name, pattern) for pattern in self._files)

    def is_junk(self, relative: PurePath) -> bool:
        """`relative` is the path below the inbox."""
        *folders, name = relative.parts
        return any(self.is_junk_folder(folder) for folder in folders) or self.is_junk_file(name)


def junk_filter(settings: Settings) -> JunkFilter:
    return JunkFilter(settings.watch.ignore_files, settings.watch.ignore_folders)
