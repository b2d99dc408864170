"""`hub doctor` and `hub install-service`: looking after the device."""
from __future__ import annotations

import click

from hub.cli.common import not_built


@click.command()
def doctor():
    """Check the hub's health and explain what needs fixing."""
    not_built("doctor")


@click.command("install-service")
def install_service():
    """Write a systemd unit so the hub starts on boot."""
    not_built("install-service")
