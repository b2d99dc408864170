"""`hub facilitators add|list|passwd`: facilitator accounts from the shell."""
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


@facilitators.command()
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def passwd(username, password_stdin):
    """Set an account's password (every session of the account ends)."""
    from hub.accounts import facilitators as accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    db = open_db()
    try:
        account = accounts.get_by_username(db, username)
        if account is None:
            refuse([accounts.FacilitatorError("username", f"no account is called {username!r}; "
                                              "see `hub facilitators list`")])
        accounts.set_password(db, account["id"], password)
    except accounts.FacilitatorError as exc:
        refuse([exc])
    finally:
        db.conn.close()
    click.echo(f"password changed for {account['username']}; its sessions have ended")


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
