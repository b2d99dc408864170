"""One-time values in kept pages: a form token and attempt ids filled in per request.

A page kept as bytes is rendered with placeholders where the session's CSRF token and the
one-time attempt ids go; each request that serves it puts this session's token and fresh ids
in their place. So one rendering serves every request of its key, and no page ever carries
another session's token or an attempt id already handed out.
"""
from __future__ import annotations

import secrets
import uuid

from flask import g

# Unguessable per process: page text cannot contain them by chance or by design.
_NONCE = secrets.token_hex(8)
CSRF = f"csrf-{_NONCE}-slot"
ATTEMPT = f"attempt-{_NONCE}-slot"


def rendering_for_keeping() -> bool:
    """True while a page that will be kept is rendered (templates then get placeholders)."""
    return bool(g.get("page_tokens"))


def one_time_id(new_id) -> str:
    """A fresh attempt id from `new_id()`, or its placeholder while rendering for keeping."""
    return ATTEMPT if rendering_for_keeping() else new_id()


def has_slots(body: bytes) -> bool:
    """True when the kept bytes hold placeholders to fill."""
    return CSRF.encode() in body or ATTEMPT.encode() in body


def fill(body: bytes, csrf_token) -> bytes:
    """The bytes with this session's token (csrf_token(), called only when needed) and fresh
    attempt ids, one per slot."""
    if CSRF.encode() in body:
        body = body.replace(CSRF.encode(), csrf_token().encode())
    parts = body.split(ATTEMPT.encode())
    if len(parts) == 1:
        return body
    out = [parts[0]]
    for part in parts[1:]:
        out += [str(uuid.uuid4()).encode(), part]
    return b"".join(out)
