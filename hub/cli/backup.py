"""`hub backup FILE` / `hub restore FILE`: the database, safely copied."""
from __future__ import annotations

import click

from hub.cli.common import not_built


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def backup(file):
    """Write a consistent copy of the database, even while the hub serves."""
    not_built("backup")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def restore(file):
    """Replace the database with a backup (stop the hub first)."""
    not_built("restore")
