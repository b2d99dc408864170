"""The `hub` command: thin click commands over the hub's modules."""
from __future__ import annotations

import click

from hub import __version__
from hub.cli import (backup, device, facilitators, keys, metrics, pack_flows, packs, serve, sync,
                     translations)
from hub.core.config import ConfigError
from hub.core.db import DatabaseError
from hub.web.server import ServeError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hub")
def cli():
    """Community Learning Hub: serve learning packs on a local network, offline."""


for command in (serve.serve, packs.packs, keys.keys, facilitators.facilitators,
                metrics.metrics, sync.sync, backup.backup, backup.restore,
                device.doctor, device.install_service, translations.translations):
    cli.add_command(command)
packs.packs.add_command(pack_flows.updates)
packs.packs.add_command(pack_flows.pull)


def main(argv=None) -> int:
    """Run the CLI; configuration problems end in one line, not a traceback."""
    try:
        cli.main(args=argv, prog_name="hub")
    except (ConfigError, DatabaseError, ServeError) as exc:
        click.echo(f"hub: {exc}", err=True)
        return 1
    return 0
