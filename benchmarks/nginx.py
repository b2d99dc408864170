"""nginx serving one file on a free loopback port: the yardstick for the hub's content files."""
from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.harness import Server, free_port

CONFIG = """worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    types {{ video/mp4 mp4; application/octet-stream bin; }}
    server {{
        listen 127.0.0.1:{port};
        root {docroot};
        location = /healthz {{ return 200 "ok"; }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """The nginx executable, or None when it is not installed."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def nginx_server(workdir: Path, docroot: Path) -> Server:
    """An nginx Server (one worker: the hub is one process too) with a generated config."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(CONFIG.format(root=workdir, port=port, docroot=docroot))
    return Server([binary, "-e", str(workdir / "error.log"), "-p", str(workdir), "-c", str(conf)],
                  port)
