"""One typed, read-only object per section of casescan.toml.

The table in `config.settings` stays the single source of defaults, help and limits (it writes the
commented casescan.toml and the README's tables); these classes give each value its type where
code reads it, so a misspelt setting or a wrong type is a type error, not an `Any` at run time.
A test checks that every class holds exactly its section's keys, with the defaults' types.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkspaceSettings:
    inbox: str
    archive: str
    quarantine: str
    output: str


@dataclass(frozen=True)
class CaseReferenceSettings:
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class TemplateSettings:
    header_rows: int
    case_reference: tuple[str, ...]
    forename: tuple[str, ...]
    surname: tuple[str, ...]
    date_of_birth: tuple[str, ...]
    status: tuple[str, ...]
    date_opened: tuple[str, ...]
    date_closed: tuple[str, ...]
    paper_file: tuple[str, ...]
    excluded: tuple[str, ...]


@dataclass(frozen=True)
class ScannerSettings:
    workers: int
    ocr_language: str
    ocr_timeout_seconds: int
    max_image_pixels: int


@dataclass(frozen=True)
class LinkingSettings:
    auto_link_score: float
    margin: float
    name_match: int
    candidate_score: float
    catalogue_review_confidence: float


@dataclass(frozen=True)
class WatchSettings:
    polling: bool
    poll_seconds: float
    settle_seconds: float
    grace_seconds: float
    rescan_seconds: float
    read_retries: int
    queue_size: int
    ignore_files: tuple[str, ...]
    ignore_folders: tuple[str, ...]


@dataclass(frozen=True)
class ReviewSettings:
    host: str
    port: int
    session_minutes: int
    max_login_failures: int
    lockout_minutes: int


@dataclass(frozen=True)
class DatabaseSettings:
    url: str
    heartbeat_seconds: float
    stalled_seconds: float


SECTION_TYPES: dict[str, type] = {
    "workspace": WorkspaceSettings,
    "case_reference": CaseReferenceSettings,
    "template": TemplateSettings,
    "scanner": ScannerSettings,
    "linking": LinkingSettings,
    "watch": WatchSettings,
    "review": ReviewSettings,
    "database": DatabaseSettings,
}
