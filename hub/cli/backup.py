"""`hub backup FILE | --to PATH` / `hub restore FILE`: the database, safely copied."""
from __future__ import annotations

from pathlib import Path

import click

from hub.core import clock

from hub.ops import backup as backups
from hub.cli.common import refuse, settings


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--to", "to", type=click.Path(), default=None,
              help="A folder (a USB stick) for a compressed backup named by the date, or a file.")
def backup(file, to):
    """Write a consistent copy of the database, even while the hub serves (FILE.gz: compressed)."""
    if bool(file) == bool(to):
        raise click.UsageError("give a backup FILE, or --to PATH (a folder or a file)")
    conf = settings()
    dest = Path(file or to)
    if to and (dest.is_dir() or not dest.suffix):
        dest = dest / f"hub-{clock.now().astimezone():%Y-%m-%d-%H%M%S}.db.gz"
    try:
        dest = backups.backup(conf["HUB_DATA_DIR"], dest, conf["HUB_DISK_RESERVE_MB"] * 1024 * 1024)
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
