"""The bare baseline: Flask + waitress serving a 60-item Jinja page, nothing else.

Run as `python -m benchmarks.baseline PORT THREADS`; the benchmark measures it in the same
run as the hub so that every hub figure is also a ratio to this one.
"""
from __future__ import annotations

import sys

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<ul>{% for item in items %}
<li><a href="/items/{{ item.id }}">{{ item.title }}</a> <span>{{ item.description }}</span></li>
{% endfor %}</ul></body></html>"""


def make_app():
    """A Flask app with one page of 60 items rendered by Jinja on every request."""
    from flask import Flask, render_template_string

    app = Flask(__name__)
    items = [{"id": n, "title": f"Resource number {n}", "description": f"A short description {n}"}
             for n in range(60)]

    @app.get("/")
    def page():
        return render_template_string(PAGE, title="Baseline", items=items)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def main(argv: list[str]) -> None:
    """Serve the baseline on 127.0.0.1:PORT with THREADS waitress threads."""
    from waitress import serve

    port, threads = int(argv[0]), int(argv[1]) if len(argv) > 1 else 8
    serve(make_app(), host="127.0.0.1", port=port, threads=threads, _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
