"""`hub packs updates` and `hub packs pull`: packs from the centre or from another hub.

Exit status: 0 done, 1 refused or failed (one `WHERE: WHY` line on stderr), 2 usage.
"""
from __future__ import annotations

import json
import sys

import click

from hub.cli.common import open_db, refuse, settings

MIB = 1024 * 1024


def _title(titles: dict, fallback: str) -> str:
    return titles.get("en") or next(iter(titles.values()), fallback) if titles else fallback


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--from", "source", metavar="URL", help="Another hub or centre (default: the registered centre).")
def updates(as_json, source):
    """What the centre (or another hub) has that this hub lacks or has older."""
    from sync.pack_http import PullError
    from sync.pack_pull import updates as find

    conf = settings()
    db = open_db(conf)
    try:
        found = find(db, conf, source)
    except PullError as error:
        refuse([f"updates: {error}"])
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps([{k: row[k] for k in ("id", "version", "installed_version", "size")}
                               for row in found]))
        return
    if not found:
        click.echo("Every pack offered is installed, at its newest version.")
    for row in found:
        was = f"(installed {row['installed_version']})" if row["installed_version"] else "(new)"
        click.echo(f"{row['id']}  {row['version']}  {was}  {_title(row['title'], row['id'])}  "
                   f"{row['size'] / MIB:.1f} MB")


@click.command()
@click.argument("pack_id")
@click.option("--from", "source", metavar="URL", help="Another hub or centre (default: the registered centre).")
def pull(pack_id, source):
    """Download a pack (resuming a cut download), verify it, install it."""
    from hub.catalog.packs.errors import PackRefused
    from sync.pack_http import PullError
    from sync.pack_pull import pull as pull_pack

    conf = settings()
    db = open_db(conf)
    shown = [-1]

    def progress(received: int, size: int) -> None:
        percent = int(100 * received / size) if size else 100
        if percent >= shown[0] + 10 or received == size:
            shown[0] = percent
            click.echo(f"{pack_id}: {received} of {size} bytes ({percent}%)", err=True)

    try:
        done = pull_pack(db, conf, pack_id, source, progress=progress)
    except PullError as error:
        refuse([f"{pack_id}: {error}"])
    except PackRefused as refused:
        refuse([f"{pack_id}: refused: {problem}" for problem in refused.problems])
    finally:
        db.conn.close()
    resumed = f", resumed at byte {done.resumed_from}" if done.resumed_from else ""
    click.echo(f"installed {done.pack_id} {done.version} ({done.fetched} bytes fetched{resumed})")
    sys.stdout.flush()
