"""`hub-central`: serve the receiver, register hubs and users, import bundles, export, alerts."""
from __future__ import annotations

import json
import os
import sys

import click

from sync.central.cli_common import data_dir as _data_dir
from sync.central.cli_common import open_store, refuse
from sync.central.cli_people import hubs, users
from sync.central.report_store import EXPORT_COLUMNS  # noqa: F401 - the contract's columns, named here too


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Central receiver for hub reports."""


cli.add_command(hubs)
cli.add_command(users)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8090, show_default=True, help="Port to listen on.")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder (HUB_CENTRAL_DATA_DIR).")
@click.option("--threads", type=int, default=4, show_default=True, help="Worker threads.")
def serve(host, port, data_dir, threads):
    """Receive reports over HTTP and serve the program dashboard until stopped."""
    import signal

    from waitress.server import create_server

    from sync.central.app import create_app
    from sync.central.receive import MAX_BODY_BYTES

    store = open_store(data_dir)
    app = create_app(_data_dir(data_dir), store=store)
    # Behind an https reverse proxy (HUB_TRUSTED_PROXY: its address), believe its
    # X-Forwarded-For/-Proto: the login limiter counts each user, and cookies become Secure.
    proxy = os.environ.get("HUB_TRUSTED_PROXY", "").strip()
    behind = ({"trusted_proxy": proxy, "trusted_proxy_count": 1,
               "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"}} if proxy else {})
    try:
        # A report is at most MAX_BODY_BYTES: waitress refuses more before spooling it to disk
        # (its default would take 1 GiB from anyone on the internet).
        server = create_server(app, host=host, port=port, threads=threads, ident="hub-central",
                               clear_untrusted_proxy_headers=True,
                               max_request_body_size=MAX_BODY_BYTES + 1, **behind)
    except OSError as exc:
        refuse([f"--port: cannot listen on {host}:{port} ({exc.strerror})"])

    def stop(_signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    where = "PostgreSQL" if store.dialect == "postgresql" else _data_dir(data_dir)
    click.echo(f"hub-central listening on http://{host}:{port}/ (data: {where})")
    try:
        server.run()
    finally:
        server.close()
        store.close()


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_bundle(file):
    """Import a bundle written by `hub sync export` (exactly like a push; idempotent)."""
    from sync import bundle
    from sync.central.receive import receive

    try:
        hub_id, items = bundle.read(file)
    except bundle.BundleError as exc:
        refuse([str(exc)])
    store, refused = open_store(), []
    for index, (body, signature) in enumerate(items):
        status, answer = receive(store, hub_id, signature, body)
        if status == 200:
            click.echo(f"report {index + 1}: {answer['status']}")
        else:
            details = "; ".join(f"{d['field']}: {d['message']}" for d in answer.get("details", []))
            refused.append(f"{file}: report {index + 1}: {answer['error']}{' (' + details + ')' if details else ''}")
    click.echo(f"Imported {len(items) - len(refused)} of {len(items)} report(s) from hub {hub_id}.")
    if refused:
        refuse(refused)


def _since(value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        refuse([f"--since: {value!r} is not a date YYYY-MM-DD"])


@cli.command()
@click.option("--json", "fmt", flag_value="json", default=True, help="A JSON array (default).")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with the same columns.")
@click.option("--dhis2", "mapping", type=click.Path(exists=True, dir_okay=False),
              help="A DHIS2 dataValueSets document, through this mapping file.")
@click.option("--metric", help="Only this metric.")
@click.option("--hub", "hub_id", help="Only this hub.")
@click.option("--since", help="Only periods starting on or after this day (YYYY-MM-DD).")
@click.option("--region", help="Only the hubs of this region.")
@click.option("--partner", help="Only the hubs of this partner.")
def export(fmt, mapping, metric, hub_id, since, region, partner):
    """Export stored metric rows (JSON, CSV or DHIS2)."""
    from pathlib import Path

    from sync.central import exports

    if mapping:
        try:
            plan = exports.read_mapping(Path(mapping).read_text(encoding="utf-8"))
        except (exports.MappingError, UnicodeDecodeError) as exc:
            refuse([f"{mapping}: {line}" for line in str(exc).splitlines()])
    rows = open_store().rows(metric, hub_id, since=_since(since), region=region, partner=partner)
    if mapping:
        click.echo(json.dumps(exports.dhis2(rows, plan)))
    elif fmt == "csv":
        for chunk in exports.csv_lines(rows):
            sys.stdout.write(chunk)
    else:
        click.echo(json.dumps(rows))


@cli.command("alerts")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of {hub_id, name, region, reason, since}.")
@click.option("--days", type=click.IntRange(1, 3650), default=7, show_default=True,
              help="A hub unheard of for more than this many days is silent.")
def alerts_command(as_json, days):
    """Hubs silent for more than N days, whose last report was refused, or low on disk."""
    from hub.core import config
    from sync.central import alerts

    found = alerts.alerts(open_store(), days=days, low_disk_mb=config.load()["HUB_CENTRAL_LOW_DISK_MB"])
    if as_json:
        click.echo(json.dumps([alerts.public(a) for a in found]))
        return
    for alert in found:
        click.echo(f"{alert['hub_id']}\t{alert['name']}\t{alert['region']}\t{alert['reason']}\tsince {alert['since']}"
                   f"{chr(9) + alert['detail'] if alert['detail'] else ''}")
    if not found:
        click.echo("No alerts.")


def _add_pack_commands() -> None:
    from sync.central.packs_cli import keys, packs

    cli.add_command(keys)
    cli.add_command(packs)


_add_pack_commands()


def main(argv=None) -> int:
    """Run the hub-central CLI."""
    cli.main(args=argv, prog_name="hub-central")
    return 0


if __name__ == "__main__":
    sys.exit(main())
