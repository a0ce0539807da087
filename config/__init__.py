"""Settings and their defaults: defaults <- casescan.toml <- CASESCAN_* environment <- flags."""

from config.errors import CasescanError, ConfigError, MissingDependencyError, NotAWorkspace, UsageError
from config.settings import Settings, load_settings, default_toml
from config.workspace import Workspace, find_workspace, init_workspace

__all__ = [
    "CasescanError",
    "ConfigError",
    "MissingDependencyError",
    "NotAWorkspace",
    "UsageError",
    "Settings",
    "load_settings",
    "default_toml",
    "Workspace",
    "find_workspace",
    "init_workspace",
]
