"""`hub-central hubs ...` and `hub-central users ...`: the hubs of a program and who may see them."""
from __future__ import annotations

import json
import secrets
import sys

import click

from sync.central.cli_common import open_store, place, refuse


@click.group()
def hubs():
    """Registered hubs."""


@hubs.command("add")
@click.argument("hub_id")
@click.option("--name", default="", help="A name people know the hub by.")
@click.option("--region", default="", help="The region the hub is in.")
@click.option("--partner", default="", help="The partner (NGO, publisher, ministry office) that runs it.")
def hubs_add(hub_id, name, region, partner):
    """Register a hub and print its secret once (alone, on the last line)."""
    from sync import state, upstream

    if not upstream.HUB_ID_RE.match(hub_id):
        refuse([f"HUB_ID: {hub_id!r}: use letters, digits, '.', '_' or '-' (at most 64)"])
    secret = secrets.token_urlsafe(32)
    if not open_store().add_hub(hub_id, secret, state.iso(state.utc_now()), name=place(name, "name"),
                                region=place(region, "region"), partner=place(partner, "partner")):
        refuse([f"HUB_ID: {hub_id} is already registered"])
    click.echo(f"Registered hub {hub_id}. Its secret follows; it is shown only this once.")
    click.echo(f"On the hub: hub sync register --url URL --hub-id {hub_id} --secret-stdin")
    click.echo(secret)


@hubs.command("edit")
@click.argument("hub_id")
@click.option("--name", help="A name people know the hub by.")
@click.option("--region", help="The region the hub is in.")
@click.option("--partner", help="The partner that runs it.")
def hubs_edit(hub_id, name, region, partner):
    """Change a hub's name, region or partner (options not given stay as they are)."""
    store = open_store()
    hub = store.hub(hub_id)
    if hub is None:
        refuse([f"HUB_ID: {hub_id} is not registered"])
    store.update_hub(hub_id, place(hub["name"] if name is None else name, "name"),
                     place(hub["region"] if region is None else region, "region"),
                     place(hub["partner"] if partner is None else partner, "partner"))
    click.echo(f"Hub {hub_id} changed.")


@hubs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def hubs_list(as_json):
    """Registered hubs, where they are, who runs them and when each last reported."""
    found = open_store().hubs()
    if as_json:
        click.echo(json.dumps(found))
        return
    for hub in found:
        click.echo(f"{hub['hub_id']}\t{hub['name']}\t{hub['region']}\t{hub['partner']}\t"
                   f"last report {hub['last_report_at'] or 'never'}\t{hub['reports']} report(s)")


@click.group()
def users():
    """People who may sign in to the program dashboard."""


@users.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--region", default="", help="Sees only the hubs of this region.")
@click.option("--partner", default="", help="Sees only the hubs of this partner.")
def users_add(username, password_stdin, region, partner):
    """Create a dashboard user (or set their password and scope); unscoped users are admins."""
    from werkzeug.security import generate_password_hash

    from sync import state

    if region and partner:
        refuse(["--region, --partner: give one of them, not both"])
    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    if not username.strip() or len(username) > 64:
        refuse(["USERNAME: 1 to 64 characters"])
    if len(password) < 10:
        refuse(["password: at least 10 characters"])
    open_store().set_user(username, generate_password_hash(password), state.iso(state.utc_now()),
                          region=place(region, "region"), partner=place(partner, "partner"))
    sees = f"the hubs of region {region}" if region else f"the hubs of partner {partner}" if partner else "every hub"
    click.echo(f"User {username} can sign in and sees {sees}.")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def users_list(as_json):
    """Dashboard users and what each may see."""
    found = [{"username": u.username, "region": u.region, "partner": u.partner, "admin": u.is_admin}
             for u in open_store().users()]
    if as_json:
        click.echo(json.dumps(found))
        return
    for user in found:
        click.echo(f"{user['username']}\t{user['region'] or user['partner'] or 'admin (every hub)'}")


@users.command("remove")
@click.argument("username")
def users_remove(username):
    """Remove a dashboard user."""
    if not open_store().remove_user(username):
        refuse([f"USERNAME: there is no user {username}"])
    click.echo(f"User {username} removed.")
