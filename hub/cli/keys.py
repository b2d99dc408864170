"""`hub keys ...`: publisher keys that sign packs."""
from __future__ import annotations

import click

from hub.cli.common import not_built


@click.group()
def keys():
    """Manage trusted publisher keys."""


@keys.command()
def generate():
    """Make a new Ed25519 key pair for signing packs."""
    not_built("key generation")


@keys.command()
def trust():
    """Trust a publisher's public key."""
    not_built("key trust")


@keys.command("list")
def list_keys():
    """List trusted keys."""
    not_built("key listing")
