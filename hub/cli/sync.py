"""`hub sync ...`: send aggregate reports to the central program."""
from __future__ import annotations

import click

from hub.cli.common import not_built


@click.group()
def sync():
    """Sync aggregate reports upstream."""


@sync.command()
@click.option("--url", required=True, help="The central receiver's address.")
@click.option("--hub-id", required=True, help="This hub's id at the central.")
@click.option("--secret-stdin", is_flag=True, help="Read the shared secret from standard input.")
def register(url, hub_id, secret_stdin):
    """Remember the upstream address, this hub's id and its secret."""
    not_built("sync")


@sync.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json):
    """Show what is waiting and how the last attempt went."""
    not_built("sync")


@sync.command()
def push():
    """Send waiting reports now; exit 1 when one could not be delivered."""
    not_built("sync")


@sync.command()
@click.argument("folder", type=click.Path(file_okay=False))
def export(folder):
    """Write waiting reports as a signed bundle for a USB stick."""
    not_built("sync")
