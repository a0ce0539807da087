"""Settings and their defaults: defaults <- casescan.toml <- CASESCAN_* environment <- flags."""

from config.errors import CasescanError, ConfigError, MissingDependencyError, NotAWorkspace, UsageError
from config.settings import Settings, default_toml, load_settings
from config.workspace import Workspace, find_workspace, init_workspace

__all__ = [
    "CasescanError",
    "ConfigError",
    "MissingDependencyError",
    "NotAWorkspace",
    "Settings",
    "UsageError",
    "Workspace",
    "default_toml",
    "find_workspace",
    "init_workspace",
    "load_settings",
]
