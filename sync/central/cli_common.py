"""Helpers every `hub-central` command shares: the data dir, the store, refusing with exit 1."""
from __future__ import annotations

import sys

import click


def data_dir(given: str | None = None) -> str:
    """--data-dir, else HUB_CENTRAL_DATA_DIR (environment or config file)."""
    from hub.core import config

    return given or config.load()["HUB_CENTRAL_DATA_DIR"]


def refuse(lines) -> None:
    """Print one `WHERE: WHY` line per problem on stderr and exit 1."""
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def open_store(given_dir: str | None = None):
    """The central's store on SQLite or PostgreSQL (HUB_CENTRAL_DATABASE_URL); exit 1 when unreachable."""
    from sync.central.app import database_url
    from sync.central.database import DatabaseError
    from sync.central.store import Store

    try:
        return Store(data_dir(given_dir), database_url())
    except DatabaseError as exc:
        refuse([str(exc)])


def place(text: str | None, what: str) -> str:
    """A region or partner name as typed: trimmed, at most 100 characters."""
    text = (text or "").strip()
    if len(text) > 100:
        refuse([f"--{what}: at most 100 characters"])
    return text
