"""URL rules whose builders are written on first use, not for every rule at start-up.

Werkzeug writes, compiles and executes two small Python functions per URL rule when the rule
is added (one to build its URL with extra query arguments, one without), so that url_for is
fast. The hub has about 200 rules, and a page builds the URLs of a few of them: generating
all 400 functions was a large part of a start (issue 22: about 40 ms of CPU here). A rule of
this class makes each function the first time it is needed, with Werkzeug's own code, so
every URL is built exactly as before.
"""
from __future__ import annotations

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """A Werkzeug Rule whose URL builders are compiled when they first build a URL."""

    def _compile_builder(self, append_unknown: bool = True):
        compile_now = super()._compile_builder
        # Rule.compile binds what this returns as self._build_unknown or self._build.
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_first(*args, **values):
            # Two threads may both get here first: each makes the same function, and either
            # replacing this one on the rule is right; later URLs call Werkzeug's directly.
            builder = compile_now(append_unknown).__get__(self, None)
            setattr(self, attribute, builder)
            return builder(*args[1:], **values)  # args[0] is the rule, bound here again

        return build_first
