"""The CPU cost of one kept learner page, in-process: no sockets, no load generator.

    python -m benchmarks.pages_inprocess [--requests 2000] [--profile "home signed in"]

A hub with the bundled packs (content_packs/) in a scratch data dir; a learner signed up
through the API, the cookie a phone keeps after its first page. Each page is asked for by
calling the WSGI app directly in one thread (what waitress would call), so the figure is the
hub's own work per request: run it in an older tree and in this one, one after the other, for
an A/B that the machine's other work disturbs least. --profile prints cProfile's top of one page.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.harness import ROOT


def _app(work: Path):
    from hub import create_app

    (work / "data").mkdir()
    return create_app({"HUB_DATA_DIR": str(work / "data"), "HUB_MDNS": False,
                       "HUB_PACKS_SOURCE": str(ROOT / "content_packs")})


def cases(app) -> dict[str, dict]:
    """WSGI environs: home and a resource signed in, a resource and home with no cookie."""
    from werkzeug.test import EnvironBuilder

    client = app.test_client()
    resource = client.get("/api/v1/resources?limit=1").get_json()["resources"][0]
    path = urlsplit(resource["url"]).path
    assert client.post("/api/v1/learners", json={"name": "Bench"}).status_code == 201
    client.get("/")  # the check-in offer, once; the cookie now holds the form token
    cookie = {"Cookie": f"hub_session={client.get_cookie('hub_session').value}"}
    return {name: EnvironBuilder(path=url, headers=headers).get_environ()
            for name, url, headers in (("home signed in", "/", cookie),
                                       ("resource signed in", path, cookie),
                                       ("resource first visit", path, {}),
                                       ("home visitor", "/", {}))}


def ask(app, environ: dict) -> None:
    """One request through the whole WSGI stack; it must be a 200."""
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    b"".join(app.wsgi_app(dict(environ), start_response))
    if not seen["status"].startswith("200"):
        raise RuntimeError(f"{environ['PATH_INFO']}: {seen['status']}")


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Print µs a request for each page (and a profile when asked)."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.pages_inprocess", description=__doc__.split("\n")[0])
    p.add_argument("--requests", type=int, default=2000, help="requests per page (2000)")
    p.add_argument("--profile", help="also profile this page (a name printed by the run)")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hub-pages-") as tmp:
        app = _app(Path(tmp))
        found, figures = cases(app), {}
        for name, environ in found.items():
            for _ in range(50):  # kept, and warm
                ask(app, environ)
            started = time.perf_counter()
            for _ in range(a.requests):
                ask(app, environ)
            figures[name] = 1e6 * (time.perf_counter() - started) / a.requests
            print(f"{name:22s} {figures[name]:8.1f} µs a request")
        if a.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(a.requests):
                ask(app, found[a.profile])
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())
    return figures


if __name__ == "__main__":
    main()
