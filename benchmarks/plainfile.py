"""The content-file floor: waitress alone serving one file as a plain WSGI `wsgi.file_wrapper`.

Run as `python -m benchmarks.plainfile PORT THREADS FILE`. No framework, no database, no
Range parsing: what waitress itself can send, so the hub's 1 MB file has a second yardstick
beside nginx (waitress copies file bytes through Python; nginx uses sendfile).
"""
from __future__ import annotations

import os
import sys


def make_app(path: str):
    """A WSGI app answering every path with the whole file as a 206 (as for `Range: bytes=0-`)."""
    size = os.path.getsize(path)

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        start_response("206 Partial Content", [
            ("Content-Type", "video/mp4"), ("Content-Length", str(size)),
            ("Content-Range", f"bytes 0-{size - 1}/{size}"), ("Accept-Ranges", "bytes")])
        return environ["wsgi.file_wrapper"](open(path, "rb"), 64 * 1024)

    return app


def main(argv: list[str]) -> None:
    """Serve FILE on 127.0.0.1:PORT with THREADS waitress threads."""
    from waitress import serve

    port, threads, path = int(argv[0]), int(argv[1]), argv[2]
    serve(make_app(path), host="127.0.0.1", port=port, threads=threads, _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
