"""`hub facilitators add`: facilitator accounts from the shell."""
from __future__ import annotations

import sys

import click

from hub.cli.common import open_db, refuse


@click.group()
def facilitators():
    """Manage facilitator accounts."""


@facilitators.command()
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--role", type=click.Choice(["admin", "facilitator"]), default=None,
              help="Default: admin for the first account, facilitator after that.")
def add(username, password_stdin, role):
    """Create a facilitator account (the first one is an admin)."""
    from hub.accounts import facilitators as accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problems = accounts.check_new_account(username.strip(), password)
    if problems:
        refuse(problems)
    db = open_db()
    try:
        account = accounts.create(db, username, password, role)
    except accounts.FacilitatorError as exc:
        refuse([exc])
    finally:
        db.conn.close()
    click.echo(f"created {account['role']} account {account['username']}")


@facilitators.command("list")
def list_accounts():
    """List facilitator accounts (username, role)."""
    from hub.accounts import facilitators as accounts

    db = open_db()
    try:
        for account in accounts.list_all(db):
            click.echo(f"{account['username']}\t{account['role']}")
    finally:
        db.conn.close()
