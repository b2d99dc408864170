"""`hub-central keys ...` and `hub-central packs ...`: the publishers the centre trusts, its packs."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _catalog():
    from hub.core import config
    from sync.central.packs import PackCatalog

    return PackCatalog(config.load()["HUB_CENTRAL_DATA_DIR"])


def _refuse(lines) -> None:
    for line in lines:
        click.echo(str(line), err=True)
    sys.exit(1)


@click.group()
def keys():
    """Publisher keys whose packs the centre accepts."""


@keys.command("trust")
@click.argument("pubfile", type=click.Path(exists=True, dir_okay=False))
@click.option("--name", required=True, help="The publisher, as shown in the catalog.")
def keys_trust(pubfile, name):
    """Trust a publisher's Ed25519 public key (PEM)."""
    from hub.catalog.packs import sign

    try:
        added = _catalog().trust(Path(pubfile).read_bytes(), name)
    except ValueError as exc:
        _refuse([f"{pubfile}: {exc}"])
    click.echo(f"trusted {added['name']} (fingerprint {sign.short(added['fingerprint'])})")


@click.group()
def packs():
    """The packs the centre offers to hubs."""


@packs.command("publish")
@click.argument("file", type=click.Path(exists=True))
def packs_publish(file):
    """Publish a signed pack .zip (refused unless a trusted key signed it)."""
    from hub.catalog.packs.errors import PackRefused

    try:
        done = _catalog().publish(file)
    except PackRefused as refused:
        _refuse(refused.problems)
    what = "published" if done.new else "already published (same bytes)"
    click.echo(f"{what}: {done.pack_id} {done.version}, {done.size} bytes, signed by {done.signed_by}, "
               f"sha256 {done.sha256}")


@packs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def packs_list(as_json):
    """Every published version: id, version, size, signer, when."""
    rows = _catalog().all_versions()
    if as_json:
        click.echo(json.dumps({"packs": rows}, ensure_ascii=False))
        return
    if not rows:
        click.echo("No packs published.")
    for r in rows:
        click.echo(f"{r['id']}  {r['version']}  {r['size']} bytes  signed by {r['signed_by']}  "
                   f"{r['published_at']}")
