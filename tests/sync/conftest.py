"""Tests of sync/ and sync/central: metrics, privacy, reports, outbox, client, the central.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

import pytest

from tests.pgserver import NO_SERVER, PostgresServer, find_binaries


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for this test session (skipped with a reason when none is installed)."""
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(NO_SERVER)
    server = PostgresServer(binaries).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def central_store(request, tmp_path):
    """A fresh central Store on each engine: SQLite in a temp dir, and a new PostgreSQL database."""
    from sync.central.store import Store

    url = request.getfixturevalue("postgres_server").create_database() if request.param == "postgresql" else None
    store = Store(tmp_path / "central", url)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def central_database_url(request, monkeypatch):
    """Each engine for a central run in a subprocess: '' (SQLite in its data dir) or a new PostgreSQL
    database's URL, also set as HUB_CENTRAL_DATABASE_URL for the `hub-central` processes started."""
    url = request.getfixturevalue("postgres_server").create_database() if request.param == "postgresql" else ""
    monkeypatch.setenv("HUB_CENTRAL_DATABASE_URL", url)
    return url
