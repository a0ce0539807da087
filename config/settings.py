"""Every setting, its default and its meaning, in one table.

The table is the single source for validation, the commented `casescan.toml` that `init` writes,
and the documentation test, so a setting cannot exist without a default and a sentence of help.
Layers, lowest first: defaults <- casescan.toml <- CASESCAN_SECTION_KEY environment <- flags.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.sections import (
    SECTION_TYPES,
    CaseReferenceSettings,
    DatabaseSettings,
    LinkingSettings,
    ReviewSettings,
    ScannerSettings,
    TemplateSettings,
    WatchSettings,
    WorkspaceSettings,
)

DEFAULT_REFERENCE_PATTERN = r"(?P<prefix>[A-Z]{2,4})[-/ ]?(?P<year>\d{4})[-/ ]?(?P<number>\d{3,6})"

JUNK_FILES = [
    ".*",
    "._*",
    "Thumbs.db",
    "desktop.ini",
    "~$*",
    ".~lock.*",
    "*.part",
    "*.crdownload",
    "*.tmp",
    "*.reason.txt",
]
JUNK_FOLDERS = [
    "@eaDir",
    ".stfolder",
    ".stversions",
    "__MACOSX",
    ".Trashes",
    ".Spotlight-V100",
    "#recycle",
]


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def env_var(self) -> str:
        return f"CASESCAN_{self.section}_{self.key}".upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "workspace", "inbox", "inbox", "The drop folder; relative to the workspace, or absolute (a network share)."
    ),
    Setting("workspace", "archive", "archive", "Where originals go once processed. Never inside the inbox."),
    Setting(
        "workspace", "quarantine", "quarantine", "Where files that could not be processed go, each with a .reason.txt."
    ),
    Setting("workspace", "output", "output", "Where exports are written."),
    Setting(
        "case_reference",
        "patterns",
        [DEFAULT_REFERENCE_PATTERN],
        "Regular expressions for a case reference; named groups are the parts, joined by '-' in canonical form. "
        "Replaces the default.",
    ),
    Setting("template", "header_rows", 20, "How many rows from the top to search for the header row.", minimum=1),
    Setting(
        "template",
        "case_reference",
        ["Case Reference", "Case Ref", "Reference", "Ref", "Case ID", "Case Number", "Case No"],
        "Column names that hold the case reference.",
    ),
    Setting(
        "template",
        "forename",
        ["Forename", "First Name", "Given Name", "Forenames", "First Names"],
        "Column names for the forename.",
    ),
    Setting("template", "surname", ["Surname", "Last Name", "Family Name"], "Column names for the surname."),
    Setting("template", "date_of_birth", ["Date of Birth", "DOB", "Birth Date"], "Column names for the date of birth."),
    Setting("template", "status", ["Case Status", "Status"], "Column names for the case status (Open / Closed)."),
    Setting("template", "date_opened", ["Date Opened", "Opened", "Open Date"], "Column names for the date opened."),
    Setting("template", "date_closed", ["Date Closed", "Closed", "Close Date"], "Column names for the date closed."),
    Setting(
        "template",
        "paper_file",
        ["Paper File", "Paper Record", "Paper Files"],
        "Column names for 'a paper file exists' (Y/N).",
    ),
    Setting(
        "template",
        "excluded",
        ["Archbishop's List", "Archbishops List", "Excluded"],
        "Column names for the out-of-scope flag (Y/N); such records never reach an export.",
    ),
    Setting("scanner", "workers", 0, "Worker processes for scanning; 0 means one per core.", minimum=0),
    Setting("scanner", "ocr_language", "eng", "Tesseract language(s), e.g. 'eng' or 'eng+cym'."),
    Setting("scanner", "ocr_timeout_seconds", 60, "Longest a single tesseract call may take.", minimum=1),
    Setting(
        "scanner",
        "max_image_pixels",
        180_000_000,
        "Largest page image accepted (pixels); bigger ones are refused as decompression bombs.",
        minimum=1_000_000,
    ),
    Setting("linking", "auto_link_score", 0.9, "Lowest candidate score linked without a person.", minimum=0, maximum=1),
    Setting(
        "linking",
        "margin",
        0.15,
        "How far the best candidate must beat the runner-up to be linked automatically.",
        minimum=0,
        maximum=1,
    ),
    Setting(
        "linking",
        "name_match",
        85,
        "Lowest name similarity (0-100) that counts as the same name.",
        minimum=0,
        maximum=100,
    ),
    Setting(
        "linking",
        "candidate_score",
        0.5,
        "Lowest score for a record to be offered as a candidate.",
        minimum=0,
        maximum=1,
    ),
    Setting(
        "linking",
        "catalogue_review_confidence",
        0.6,
        "Closed front sheets read with less confidence than this are checked by a person.",
        minimum=0,
        maximum=1,
    ),
    Setting("watch", "polling", False, "Poll the inbox instead of relying on filesystem events (network shares)."),
    Setting("watch", "poll_seconds", 2.0, "How often the polling observer looks, in seconds.", minimum=0.1),
    Setting(
        "watch", "settle_seconds", 5.0, "How long size and time must stay unchanged before a file is taken.", minimum=0
    ),
    Setting(
        "watch",
        "grace_seconds",
        600.0,
        "How long an incomplete (truncated) file is waited for before quarantine.",
        minimum=0,
    ),
    Setting("watch", "rescan_seconds", 300.0, "How often the whole inbox is rescanned for anything missed.", minimum=1),
    Setting(
        "watch", "read_retries", 5, "How many times an unreadable file is retried before it is reported.", minimum=0
    ),
    Setting("watch", "queue_size", 64, "Most files waiting for a worker at once; keeps memory flat.", minimum=1),
    Setting("watch", "ignore_files", JUNK_FILES, "File name patterns that are never processed nor quarantined."),
    Setting("watch", "ignore_folders", JUNK_FOLDERS, "Folder names whose contents are never processed."),
    Setting("review", "host", "127.0.0.1", "Address the review page listens on."),
    Setting("review", "port", 8765, "Port the review page listens on.", minimum=1, maximum=65535),
    Setting("review", "session_minutes", 30, "Idle minutes before a reviewer must log in again.", minimum=1),
    Setting("review", "max_login_failures", 5, "Failed logins before an account is locked for a while.", minimum=1),
    Setting("review", "lockout_minutes", 15, "How long an account stays locked after too many failures.", minimum=1),
    Setting(
        "database",
        "url",
        "",
        "Empty: the workspace's own SQLite file. 'postgresql://user@host/db': state and queue in PostgreSQL, "
        "shared by several 'casescan watch' workers (needs casescan[postgres]).",
    ),
    Setting(
        "database",
        "heartbeat_seconds",
        10.0,
        "With PostgreSQL: how often each 'casescan watch' tells the database it is alive.",
        minimum=0.1,
    ),
    Setting(
        "database",
        "stalled_seconds",
        60.0,
        "With PostgreSQL: a worker silent this long is taken for dead, and its files are given to another.",
        minimum=1,
    ),
)

SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SETTINGS))
_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


class Settings:
    """Validated, read-only settings, one typed object per section. Build with `load_settings`."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

        def section(name: str) -> Any:
            keys = {s.key: _frozen(values[s.name]) for s in SETTINGS if s.section == name}
            return SECTION_TYPES[name](**keys)

        self.workspace: WorkspaceSettings = section("workspace")
        self.case_reference: CaseReferenceSettings = section("case_reference")
        self.template: TemplateSettings = section("template")
        self.scanner: ScannerSettings = section("scanner")
        self.linking: LinkingSettings = section("linking")
        self.watch: WatchSettings = section("watch")
        self.review: ReviewSettings = section("review")
        self.database: DatabaseSettings = section("database")

    def get(self, name: str) -> Any:
        """One value by its dotted name ('watch.settle_seconds'), for code driven by the table."""
        return self._values[name]

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _describe_type(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, list):
        return "a list of text"
    return "text"


def _parse_text(setting: Setting, value: str) -> Any:
    """Environment variables and flags arrive as text; read them as the setting's type."""
    default, text = setting.default, value.strip()
    if isinstance(default, bool):
        lowered = text.lower()
        return lowered in {"true", "yes", "1"} if lowered in {"true", "yes", "1", "false", "no", "0"} else value
    if isinstance(default, (int, float)):
        try:
            return type(default)(text)
        except ValueError:
            return value
    if isinstance(default, list):
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                return value
        return _split_list(text)
    return value


def _split_list(text: str) -> list[str]:
    """Comma-separated items, a comma inside brackets or braces kept: a reference pattern's
    `{2,4}` or `[A-Z,]` is one item, not two broken ones."""
    items, depth, item = [], 0, ""
    for char in text:
        depth = depth + 1 if char in "([{" else max(0, depth - 1) if char in ")]}" else depth
        if char == "," and depth == 0:
            items.append(item)
            item = ""
        else:
            item += char
    return [part.strip() for part in [*items, item] if part.strip()]


def _coerce(setting: Setting, value: Any, origin: str, *, from_text: bool = False) -> Any:
    """Check one value against its setting; raise a ConfigError a person can act on."""
    default = setting.default
    if from_text and isinstance(value, str):
        value = _parse_text(setting, value)

    def fail(allowed: str) -> ConfigError:
        return ConfigError(f"{origin}: setting '{setting.name}' = {value!r} is not allowed; expected {allowed}.")

    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise fail(_describe_type(default))
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(_describe_type(default))
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(_describe_type(default))
        value = float(value)
    elif isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(_describe_type(default))
    elif not isinstance(value, str):
        raise fail("text")
    if setting.minimum is not None and value < setting.minimum:
        raise fail(f"at least {setting.minimum:g}")
    if setting.maximum is not None and value > setting.maximum:
        raise fail(f"at most {setting.maximum:g}")
    return value


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML ({exc}); fix the line or delete the file and run 'casescan init' again."
        ) from None
    found: dict[str, Any] = {}
    for section, table in data.items():
        if section not in SECTIONS or not isinstance(table, dict):
            raise ConfigError(f"{path}: unknown section [{section}]; allowed sections are " + ", ".join(SECTIONS) + ".")
        for key, value in table.items():
            name = f"{section}.{key}"
            if name not in _BY_NAME:
                allowed = ", ".join(s.key for s in SETTINGS if s.section == section)
                raise ConfigError(f"{path}: unknown setting '{name}'; [{section}] allows {allowed}.")
            found[name] = _coerce(_BY_NAME[name], value, str(path))
    return found


def load_settings(
    toml_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Resolve every setting through the four layers and validate each value."""
    values = {s.name: s.default for s in SETTINGS}
    if toml_path is not None and toml_path.exists():
        values.update(_from_toml(toml_path))
    env = os.environ if environ is None else environ
    for setting in SETTINGS:
        if env.get(setting.env_var, "") != "":  # an empty variable is unset, as in most shells' tools
            values[setting.name] = _coerce(
                setting, env[setting.env_var], f"environment {setting.env_var}", from_text=True
            )
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting '{name}'.")
        if value is not None:
            values[name] = _coerce(_BY_NAME[name], value, "command line", from_text=True)
    return Settings(values)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if "\\" in value and "'" not in value:
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


def default_toml() -> str:
    """The commented casescan.toml that `init` writes: every setting, commented out, at its default."""
    lines = [
        "# casescan configuration.",
        "# Every setting is shown at its default, commented out. Uncomment and change only what you need;",
        "# environment variables CASESCAN_<SECTION>_<KEY> and command-line flags override this file.",
    ]
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        for setting in (s for s in SETTINGS if s.section == section):
            lines.append(f"# {setting.help}")
            lines.append(f"# {setting.key} = {_toml_value(setting.default)}")
    return "\n".join(lines) + "\n"
