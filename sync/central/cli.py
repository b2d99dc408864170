"""`hub-central`: serve the receiver, register hubs and users, import bundles, export metrics."""
from __future__ import annotations

import csv
import json
import secrets
import sys

import click

EXPORT_COLUMNS = ["hub_id", "period_start", "period_end", "period_kind", "metric", "dims", "value", "suppressed",
                  "revision", "received_at"]


def _data_dir(data_dir: str | None) -> str:
    from hub.core import config

    return data_dir or config.load()["HUB_CENTRAL_DATA_DIR"]


def _store(data_dir: str | None = None):
    from sync.central.store import Store

    return Store(_data_dir(data_dir))


def _refuse(lines) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Central receiver for hub reports."""


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

    app = create_app(_data_dir(data_dir))
    try:
        # A report is at most MAX_BODY_BYTES: waitress refuses more before spooling it to disk
        # (its default would take 1 GiB from anyone on the internet).
        server = create_server(app, host=host, port=port, threads=threads, ident="hub-central",
                               clear_untrusted_proxy_headers=True,
                               max_request_body_size=MAX_BODY_BYTES + 1)
    except OSError as exc:
        _refuse([f"--port: cannot listen on {host}:{port} ({exc.strerror})"])

    def stop(_signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"hub-central listening on http://{host}:{port}/ (data: {_data_dir(data_dir)})")
    try:
        server.run()
    finally:
        server.close()


@cli.group()
def hubs():
    """Registered hubs."""


@hubs.command("add")
@click.argument("hub_id")
def hubs_add(hub_id):
    """Register a hub and print its secret once (alone, on the last line)."""
    from sync import state, upstream

    if not upstream.HUB_ID_RE.match(hub_id):
        _refuse([f"HUB_ID: {hub_id!r}: use letters, digits, '.', '_' or '-' (at most 64)"])
    secret = secrets.token_urlsafe(32)
    if not _store().add_hub(hub_id, secret, state.iso(state.utc_now())):
        _refuse([f"HUB_ID: {hub_id} is already registered"])
    click.echo(f"Registered hub {hub_id}. Its secret follows; it is shown only this once.")
    click.echo(f"On the hub: hub sync register --url URL --hub-id {hub_id} --secret-stdin")
    click.echo(secret)


@hubs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def hubs_list(as_json):
    """Registered hubs and when each last reported."""
    found = _store().hubs()
    if as_json:
        click.echo(json.dumps(found))
        return
    for hub in found:
        click.echo(f"{hub['hub_id']}\tlast report {hub['last_report_at'] or 'never'}\t{hub['reports']} report(s)")


@cli.group()
def users():
    """People who may sign in to the program dashboard."""


@users.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(username, password_stdin):
    """Create a dashboard user (or set their password)."""
    from werkzeug.security import generate_password_hash

    from sync import state

    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    if not username.strip() or len(username) > 64:
        _refuse(["USERNAME: 1 to 64 characters"])
    if len(password) < 10:
        _refuse(["password: at least 10 characters"])
    _store().set_user(username, generate_password_hash(password), state.iso(state.utc_now()))
    click.echo(f"User {username} can sign in.")


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_bundle(file):
    """Import a bundle written by `hub sync export` (exactly like a push; idempotent)."""
    from sync import bundle
    from sync.central.receive import receive

    try:
        hub_id, items = bundle.read(file)
    except bundle.BundleError as exc:
        _refuse([str(exc)])
    store, refused = _store(), []
    for index, (body, signature) in enumerate(items):
        status, answer = receive(store, hub_id, signature, body)
        if status == 200:
            click.echo(f"report {index + 1}: {answer['status']}")
        else:
            details = "; ".join(f"{d['field']}: {d['message']}" for d in answer.get("details", []))
            refused.append(f"{file}: report {index + 1}: {answer['error']}{' (' + details + ')' if details else ''}")
    click.echo(f"Imported {len(items) - len(refused)} of {len(items)} report(s) from hub {hub_id}.")
    if refused:
        _refuse(refused)


@cli.command()
@click.option("--json", "fmt", flag_value="json", default=True, help="A JSON array (default).")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with the same columns.")
@click.option("--metric", help="Only this metric.")
@click.option("--hub", "hub_id", help="Only this hub.")
def export(fmt, metric, hub_id):
    """Export stored metric rows."""
    rows = _store().rows(metric, hub_id)
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow([json.dumps(row["dims"], sort_keys=True) if c == "dims" else
                             ("" if row[c] is None else str(row[c]).lower() if c == "suppressed" else row[c])
                             for c in EXPORT_COLUMNS])
        return
    click.echo(json.dumps(rows))


def main(argv=None) -> int:
    """Run the hub-central CLI."""
    cli.main(args=argv, prog_name="hub-central")
    return 0


if __name__ == "__main__":
    sys.exit(main())
