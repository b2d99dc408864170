"""Rendered parts of console pages kept as HTML, under a key of everything they show.

A page asks for a fragment with the data it was built from (or a digest of it): the same data
in the same language, zone, translation edits, data folder and address prefix gives the same
HTML, so it is rendered once. Data that changed is a new key, so a kept fragment is never stale; the old one
ages out (least recently used first, within FRAGMENT_BYTES). Per-request bits (form tokens,
the signed-in facilitator) stay outside fragments, in the page around them.
"""
from __future__ import annotations

import hashlib
from typing import Callable

from flask import current_app, request, session
from flask_babel import get_locale
from markupsafe import Markup

from hub.core.bytecache import ByteBoundedCache
from hub.web import settings as web_settings
from hub.web.i18n import translations_version

FRAGMENT_BYTES = 2 * 1024 * 1024  # a dashboard's charts are ~60 KB, a 600-learner list ~150 KB

_kept = ByteBoundedCache(FRAGMENT_BYTES, max_entry_bytes=FRAGMENT_BYTES // 4)


def digest(value) -> str:
    """A short digest of plain data (rows, tuples, dicts): part of a fragment's key."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def kept(name: str, key, render: Callable[[], str]) -> Markup:
    """The fragment `name` for `key` (plain data), rendered by `render()` once per full key."""
    full = (name, str(current_app.config.get("HUB_DATA_DIR")), request.script_root, str(get_locale()),
            web_settings.hub_timezone(), translations_version(), key)
    found = _kept.get(full)
    if found is None:
        found = Markup(render())
        _kept.put(full, found, len(found))
    return found


# Stands for this request's form token in a kept page; put back by kept_page on every request.
TOKEN_SLOT = "@@hub-form-token-slot@@"


def kept_page(name: str, key, render: Callable[[Callable[[], str]], str]) -> str:
    """A whole page kept like a fragment, with this request's form token put in.

    `render(token)` renders the page with `token` as its csrf_token function; the key must hold
    everything else the page shows (the facilitator, settings, address, data). A page with a
    message waiting (a flash) is this request's alone and is rendered, not kept.
    """
    from hub.web.security import csrf_token

    if "_flashes" in session:
        return render(csrf_token)
    page = kept(name, (key, digest(sorted(web_settings.current().items())), request.full_path),
                lambda: render(lambda: TOKEN_SLOT))
    return str(page).replace(TOKEN_SLOT, csrf_token())


def forget() -> None:
    """Drop every kept fragment (tests)."""
    _kept.clear()
