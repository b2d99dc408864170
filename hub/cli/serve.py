"""`hub serve`: the hub under waitress."""
from __future__ import annotations

import click

from hub.cli.common import settings


@click.command()
@click.option("--host", help="Address to listen on (HUB_HOST, default 0.0.0.0).")
@click.option("--port", type=int, help="Port to listen on (HUB_PORT, default 8080).")
@click.option("--threads", type=int, help="Worker threads (HUB_THREADS, default 8).")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder (HUB_DATA_DIR).")
def serve(host, port, threads, data_dir):
    """Serve the hub on the local network until stopped (Ctrl+C or SIGTERM)."""
    from hub import create_app
    from hub.ops.device.addresses import learner_urls
    from hub.web.server import serve as run_server

    conf = settings(HUB_HOST=host, HUB_PORT=port, HUB_THREADS=threads, HUB_DATA_DIR=data_dir)
    # The first start's bundled packs are installed after the server answers (hub.ops.bundled):
    # the first page does not wait for them, and their install's memory leaves with its process.
    app = create_app(conf, bundled_later=True)

    device_stops = []  # hub.ops.device: logs, QR code, mDNS announcement
    from sync import scheduler  # sync: roll up, build and push reports in a background thread
    device_stops.append(scheduler.start(app.config).stop)

    def ready(_server):
        click.echo(f"Community Learning Hub is running. Data: {conf['HUB_DATA_DIR']}")
        click.echo("Learners can open:")
        urls = learner_urls(conf["HUB_HOST"], conf["HUB_PORT"])
        for url in urls:
            click.echo(f"  {url}")
        from hub.ops.device.hooks import on_ready  # lazily: keeps `hub --help` fast
        device_stops.append(on_ready(conf, app, urls, click.echo))
        from hub.ops import bundled

        device_stops.append(bundled.start(app.config))
        _give_back_freed_memory()  # start-up's garbage (migrations, schema checks) is free now
        click.echo("Facilitators: add /facilitator/ to the address. Stop with Ctrl+C.", nl=True)

    def stopped():
        for stop in device_stops:
            stop()
        click.echo("Hub stopped.")

    run_server(app, conf["HUB_HOST"], conf["HUB_PORT"], conf["HUB_THREADS"], on_ready=ready,
               on_stop=stopped)


def _give_back_freed_memory() -> None:
    """Return the memory malloc keeps after start-up to the system (glibc; a no-op elsewhere)."""
    import gc

    # The young generations only: a full collection walks every object of every module
    # imported (30 to 190 ms here, before the first request is served) and found nothing to
    # free after a first start or a restart (issue 22); start-up's garbage is young.
    gc.collect(1)
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
