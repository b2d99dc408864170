"""Shared pieces of the `hub` commands: settings, the database, refusing input."""
from __future__ import annotations

import sys

import click

from hub.core import config as hub_config
from hub.core.db import open_hub_db


def settings(**overrides) -> dict:
    """Load the hub settings (defaults < config file < env < non-empty overrides)."""
    return hub_config.load({k: v for k, v in overrides.items() if v is not None})


def open_db(conf: dict | None = None):
    """Open the hub database of the configured data dir, migrated."""
    conf = conf or settings()
    hub_config.ensure_data_dir(conf["HUB_DATA_DIR"])
    return open_hub_db(conf["HUB_DATA_DIR"])


def refuse(problems) -> None:
    """Print one `WHERE: WHY` line per problem on stderr and exit 1 (a refused input)."""
    for problem in problems:
        click.echo(str(problem), err=True)
    sys.exit(1)


def not_built(feature: str) -> None:
    """Say a command's feature has not landed yet and exit 2."""
    click.echo(f"hub: {feature} is not available in this version yet", err=True)
    sys.exit(2)
