"""The one error hierarchy.

Every error a user can cause is a `CasescanError` carrying an exit code and a message a person
can act on. Only the CLI turns these into output; library code raises and never prints.
"""

from __future__ import annotations


class CasescanError(Exception):
    """Base of every error a user can act on. `exit_code` follows PRODUCT.md: 1 work problem, 2 usage."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(CasescanError):
    exit_code = 2


class ConfigError(UsageError):
    """A setting in casescan.toml, the environment or a flag is unknown or has a wrong value."""


class NotAWorkspace(UsageError):
    """The command needs a workspace and the chosen directory is not one."""


class MissingDependencyError(CasescanError):
    """An external program (tesseract) is not installed or too old."""
