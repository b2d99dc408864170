"""`hub-central`: the central receiver's commands (built by the sync issue)."""
from __future__ import annotations

import sys

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Central receiver for hub reports."""


def _not_built():
    click.echo("hub-central: not available in this version yet", err=True)
    sys.exit(2)


@cli.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", type=int, default=8090)
@click.option("--data-dir", type=click.Path(file_okay=False))
def serve(host, port, data_dir):
    """Receive reports over HTTP."""
    _not_built()


@cli.group()
def hubs():
    """Registered hubs."""


@hubs.command()
@click.argument("hub_id")
def add(hub_id):
    """Register a hub and print its secret once."""
    _not_built()


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_bundle(file):
    """Import a bundle written by `hub sync export`."""
    _not_built()


@cli.command()
@click.option("--json", "fmt", flag_value="json", default=True)
@click.option("--csv", "fmt", flag_value="csv")
@click.option("--metric")
@click.option("--hub", "hub_id")
def export(fmt, metric, hub_id):
    """Export stored metrics."""
    _not_built()


def main(argv=None) -> int:
    """Run the hub-central CLI."""
    cli.main(args=argv, prog_name="hub-central")
    return 0
