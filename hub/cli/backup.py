"""`hub backup FILE` / `hub restore FILE`: the database, safely copied."""
from __future__ import annotations

import click

from hub.ops import backup as backups
from hub.cli.common import refuse, settings


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def backup(file):
    """Write a consistent copy of the database, even while the hub serves."""
    conf = settings()
    try:
        dest = backups.backup(conf["HUB_DATA_DIR"], file)
    except backups.BackupError as exc:
        refuse([exc])
    click.echo(f"Backup written to {dest}")


@click.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--empty", is_flag=True, help="Start again with an empty database instead.")
def restore(file, empty):
    """Replace the database with a backup (stop the hub first)."""
    if bool(file) == bool(empty):
        raise click.UsageError("give a backup FILE, or --empty to start with an empty database")
    conf = settings()
    try:
        target = backups.restore(conf["HUB_DATA_DIR"], None if empty else file)
    except backups.BackupError as exc:
        refuse([exc])
    click.echo(f"Restored {target}. The previous database was kept beside it as hub.db.replaced-*.")
