"""`hub sync ...`: send aggregate reports to the central program."""
from __future__ import annotations

import json
import sys

import click

from hub.cli.common import open_db, refuse, settings


@click.group()
def sync():
    """Sync aggregate reports upstream."""


@sync.command()
@click.option("--url", required=True, help="The central receiver's address.")
@click.option("--hub-id", required=True, help="This hub's id at the central.")
@click.option("--secret-stdin", is_flag=True, help="Read the shared secret from standard input.")
def register(url, hub_id, secret_stdin):
    """Remember the upstream address, this hub's id and its secret."""
    from sync import upstream

    if not secret_stdin:
        refuse(["--secret-stdin: pipe the secret in (it must not appear in the shell history)"])
    secret = sys.stdin.readline().strip()
    problems = upstream.problems(url, hub_id, secret)
    if problems:
        refuse(problems)
    conf = settings()
    open_db(conf).conn.close()  # makes the data dir and its schema
    path = upstream.register(conf, url, hub_id, secret)
    click.echo(f"Registered as {hub_id} with {url.rstrip('/')} (kept in {path}).")


@sync.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json):
    """Show what is waiting and how the last attempt went."""
    from sync import outbox

    conf = settings()
    db = open_db(conf)
    found = outbox.status(db, conf)
    if as_json:
        click.echo(json.dumps(found))
        return
    click.echo(f"Upstream:      {found['upstream'] or 'not set (sync is off)'}")
    click.echo(f"Waiting:       {found['pending']} report(s)")
    click.echo(f"Last success:  {found['last_success'] or 'never'}")
    click.echo(f"Last error:    {found['last_error'] or '-'}")
    click.echo(f"Next attempt:  {found['next_attempt'] or '-'}")
    if found["clock_warning"]:
        click.echo(f"WARNING: {found['clock_warning']}; set the date and time", err=True)


@sync.command()
def push():
    """Send waiting reports now; exit 1 when one could not be delivered."""
    from sync import outbox, report, upstream

    conf = settings()
    db = open_db(conf)
    up = upstream.config(conf)
    if not (up["url"] and up["hub_id"] and up["secret"]):
        refuse(["HUB_UPSTREAM_URL: sync is not set up; run `hub sync register --url URL --hub-id ID --secret-stdin`"])
    report.build_closed_weeks(db, conf)
    result = outbox.push(db, conf, force=True)
    for report_id, revision, answer in result.sent:
        click.echo(f"{report_id} revision {revision}: {answer}")
    for report_id, revision, message in result.failed:
        click.echo(f"{report_id} revision {revision}: {message}", err=True)
    if result.busy:
        click.echo("push: another hub process is sending right now; try again in a moment", err=True)
    if not result.sent and not result.failed and not result.busy:
        click.echo("Nothing to send.")
    left = len(outbox.pending(db))
    if left:
        click.echo(f"{left} report(s) still waiting.", err=True)
    sys.exit(0 if result.ok and not left else 1)


@sync.command()
@click.argument("folder", type=click.Path(file_okay=False))
def export(folder):
    """Write waiting reports as a signed bundle for a USB stick."""
    from sync import bundle, report

    conf = settings()
    db = open_db(conf)
    report.build_closed_weeks(db, conf)
    try:
        path, count = bundle.write(db, conf, folder)
    except bundle.BundleError as exc:
        refuse([str(exc)])
    except OSError as exc:
        refuse([f"{folder}: cannot write there ({exc.strerror})"])
    click.echo(f"Wrote {count} report(s) to {path}")
