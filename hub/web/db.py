"""The request's database connection, bound to Flask's `g` (the domain gets it passed in)."""
from __future__ import annotations

import threading

from flask import current_app, g
from sqlite_utils import Database

from hub.core.db import connect, db_path

# One connection per waitress thread, reused across its requests: opening and closing a
# connection per request was half the time of a page (see docs/performance.md).
_per_thread = threading.local()


def init_app(app) -> None:
    """Wire a per-request connection into the Flask app (a thread's own, reused)."""
    def end_request(_exc=None):
        db = g.pop("db", None)
        if db is not None and db.conn.in_transaction:
            db.conn.rollback()  # never leave a half-done transaction to the next request

    app.teardown_appcontext(end_request)


def get_db() -> Database:
    """Return this request's connection: the calling thread's own for this data dir."""
    if "db" not in g:
        # HUB_DATA_DIR compared as given: no Path per request
        g.db = thread_db(current_app.config["HUB_DATA_DIR"])
    return g.db


def thread_db(data_dir) -> Database:
    """The calling thread's own connection for this data dir (outside a request too)."""
    cached = getattr(_per_thread, "db", None)
    if cached is None or _per_thread.data_dir != data_dir:
        if cached is not None:
            cached.conn.close()
        _per_thread.db = connect(db_path(data_dir), wal=False)
        _per_thread.data_dir = data_dir
    return _per_thread.db
