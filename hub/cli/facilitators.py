"""`hub facilitators add`: facilitator accounts from the shell."""
from __future__ import annotations

import click

from hub.cli.common import not_built


@click.group()
def facilitators():
    """Manage facilitator accounts."""


@facilitators.command()
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add(username, password_stdin):
    """Create a facilitator account (the first one is an admin)."""
    not_built("facilitator accounts")
