"""What every command shares: the workspace choice and flag overrides of settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from config.workspace import Workspace, find_workspace


@dataclass
class AppContext:
    workspace_option: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)


def app(ctx: click.Context) -> AppContext:
    return ctx.find_object(AppContext) or AppContext()


def workspace(ctx: click.Context, **overrides: Any) -> Workspace:
    """The workspace named by -w / CASESCAN_WORKSPACE / the current directory; flags override settings."""
    state = app(ctx)
    return find_workspace(state.workspace_option, overrides={**state.overrides, **overrides})


def optional_workspace(ctx: click.Context) -> Workspace | None:
    """The workspace when the command runs inside one, else None (e.g. `scan` works anywhere)."""
    from config.errors import NotAWorkspace

    try:
        return workspace(ctx)
    except NotAWorkspace:
        return None
