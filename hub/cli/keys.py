"""`hub keys ...`: publisher keys that sign packs (generate a pair, trust a key, list them)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from hub.cli.common import open_db, refuse


@click.group()
def keys():
    """Manage trusted publisher keys."""


@keys.command()
@click.option("--out", "prefix", required=True, type=click.Path(dir_okay=False),
              help="Writes PREFIX.pem (private: keep it safe) and PREFIX.pub.pem (share it).")
def generate(prefix):
    """Make a new Ed25519 key pair for signing packs."""
    from hub.catalog.packs import sign
    from hub.catalog.packs.errors import PackRefused

    try:
        private, public, fingerprint = sign.write_key_pair(prefix)
    except PackRefused as refused:
        refuse(refused.problems)
    click.echo(f"wrote {private} (private key: keep it off the hub and out of version control)")
    click.echo(f"wrote {public} (public key: hubs trust it with `hub keys trust {public.name}`)")
    click.echo(f"fingerprint {sign.short(fingerprint)}")


@keys.command()
@click.argument("pubfile", type=click.Path(exists=True, dir_okay=False))
@click.option("--name", help="Shown as the signer of its packs (default: the file name).")
def trust(pubfile, name):
    """Trust a publisher's public key (PEM): its signed packs install as signed."""
    from hub.catalog.packs import sign

    name = name or Path(pubfile).name.removesuffix(".pem").removesuffix(".pub")
    db = open_db()
    try:
        added = sign.trust(db, Path(pubfile).read_bytes(), name)
    except ValueError as exc:
        refuse([f"{pubfile}: {exc}"])
    finally:
        db.conn.close()
    click.echo(f"trusted {added['name']} (fingerprint {sign.short(added['fingerprint'])})")


@keys.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_keys(as_json):
    """List trusted keys."""
    from hub.catalog.packs import sign

    db = open_db()
    try:
        rows = sign.list_keys(db)
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps({"keys": rows}, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']}  {sign.short(row['fingerprint'])}  {row['source']}  {row['added_at']}")
