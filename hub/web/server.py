"""Serving the hub with waitress: listen, tell people where to connect, stop cleanly."""
from __future__ import annotations

import signal
import sys
import tempfile
from pathlib import Path

MAX_UPLOAD_BYTES = 64 * 1024**3  # a pack of several GB; hub.web.request_limits narrows it per route


class ServeError(Exception):
    """The server could not start; the message says what to fix."""


def serve(app, host: str, port: int, threads: int, on_ready=None, on_stop=None) -> None:
    """Serve `app` until SIGTERM or SIGINT, then finish in-flight requests and return."""
    from waitress.server import create_server

    # Waitress spools large request bodies (pack uploads) to temporary files: keep them on
    # the data disk, not in a RAM-backed /tmp, and allow packs of several GB.
    spool = Path(app.config["HUB_DATA_DIR"]) / "tmp"
    spool.mkdir(exist_ok=True)
    tempfile.tempdir = str(spool)
    proxy = app.config.get("HUB_TRUSTED_PROXY")
    # Behind an https reverse proxy, believe its X-Forwarded-Proto (the request becomes https,
    # so cookies get `Secure`); from anyone else these headers are dropped.
    behind = ({"trusted_proxy": proxy, "trusted_proxy_count": 1,
               "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"}} if proxy else {})
    try:
        server = create_server(app, host=host, port=port, threads=threads,
                               ident="community-learning-hub", channel_timeout=60,
                               clear_untrusted_proxy_headers=True,
                               max_request_body_size=MAX_UPLOAD_BYTES, **behind)
    except OSError as exc:
        if exc.errno in (98, 48):  # EADDRINUSE on Linux / macOS
            raise ServeError(f"HUB_PORT: port {port} is already in use; stop the other program "
                             "or choose another port with --port") from None
        raise ServeError(f"HUB_HOST: cannot listen on {host}:{port} ({exc.strerror})") from None
    except ValueError:  # waitress: a host name that does not resolve to an address
        raise ServeError(f"HUB_HOST: {host!r} is not an address of this machine; use one of its "
                         "IP addresses, or 0.0.0.0 for all of them") from None
    from hub.web import request_limits  # only uploads may be large, and never past the disk reserve

    request_limits.apply(server, str(app.config["HUB_DATA_DIR"]),
                         app.config["HUB_DISK_RESERVE_MB"] * 1024 * 1024, MAX_UPLOAD_BYTES, app)

    def stop(signum, _frame):
        raise SystemExit(0)  # waitress' run() catches it and shuts its threads down

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if on_ready:
        on_ready(server)
    try:
        server.run()
    finally:
        server.close()
        if on_stop:
            on_stop()
        sys.stdout.flush()
