"""URL builders made on first use (hub.web.url_rules) build every URL exactly as Werkzeug's own."""
from __future__ import annotations

from werkzeug.routing import Rule

from hub.web.url_rules import LazyBuilderRule

from werkzeug.routing.converters import IntegerConverter, PathConverter


def _sample(converter) -> object:
    if isinstance(converter, IntegerConverter):
        return 7
    return "dir/a file.mp4" if isinstance(converter, PathConverter) else "a b é?"


def _values(rule) -> dict:
    return {arg: _sample(rule._converters[arg]) for arg in rule.arguments - set(rule.defaults or {})}


def test_every_rule_of_the_hub_builds_the_same_url_as_werkzeug_would(app):
    rules = list(app.url_map.iter_rules())
    lazy = [r for r in rules if isinstance(r, LazyBuilderRule)]
    assert len(lazy) >= 90 and len(lazy) == len(rules) - 1  # all but Flask's own /static
    for rule in rules:
        values = _values(rule)
        for append_unknown, extra in ((False, {}), (True, {}), (True, {"next": "/a b", "n": 2})):
            eager = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            assert rule.build({**values, **extra}, append_unknown) == eager(**values, **extra), rule


def test_url_for_works_before_and_after_a_rule_was_first_built(app):
    with app.test_request_context("/"):
        from flask import url_for

        first = url_for("learn.search", q="garden & tools")
        assert url_for("learn.search", q="garden & tools") == first == "/search?q=garden+%26+tools"
        assert url_for("static", filename="app.css").startswith("/static/app.css")
