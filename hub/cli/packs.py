"""`hub packs ...`: validate, install, list, remove, build, sign content packs."""
from __future__ import annotations

import click

from hub.cli.common import not_built


@click.group()
def packs():
    """Manage content packs."""


@packs.command()
@click.argument("path", type=click.Path(exists=True))
def validate(path):
    """Check a pack folder or .zip; print every problem as WHERE: WHY."""
    not_built("pack validation")


@packs.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--keep-mounted", is_flag=True,
              help="A .zim on a USB drive that stays plugged in: serve it from there, no copy.")
def install(path, keep_mounted):
    """Install or upgrade a pack; a refused pack changes nothing."""
    if path.lower().endswith(".zim"):  # Kiwix ZIM archives: hub.zim (docs/zim.md)
        from hub.cli.zim import install_zim

        return install_zim(path, keep_mounted)
    not_built("pack installation")


@packs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_packs(as_json):
    """List installed packs."""
    not_built("pack listing")


@packs.command()
@click.argument("pack_id")
def remove(pack_id):
    """Remove an installed pack."""
    not_built("pack removal")


@packs.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .zip to write.")
def build(folder, output):
    """Fill sizes and sha256 into pack.json and write a reproducible .zip."""
    not_built("pack building")
