"""Fixtures after flaskr's pattern: an app on a fresh data dir per test, its client and CLI runner.

Shared by every room's tests (tests/<room>/conftest.py adds what only that room needs). The
run fails when it leaves a child process or a listening socket behind (tests/leftovers.py).
"""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

from hub import create_app
from hub.core import clock
from hub.core.db import open_hub_db
from tests import leftovers

_AT_START = {}

# Property tests are seeded in `make test` (derandomize: the same examples every run, so a run
# fails only when the code changed), and random and longer in `make fuzz` (HUB_FUZZ=1), which
# is where new cases are found. Each test's own @settings (max_examples...) still applies.
FUZZING = os.environ.get("HUB_FUZZ") == "1"
hypothesis_settings.register_profile("seeded", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("fuzz", derandomize=False, print_blob=True)
hypothesis_settings.load_profile("fuzz" if FUZZING else "seeded")


def pytest_sessionstart(session):
    """Note what already runs and listens, so only what the tests leave is counted."""
    _AT_START["snapshot"] = leftovers.snapshot()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a test left a child process or a listening socket behind."""
    if "snapshot" not in _AT_START:
        return
    extra = leftovers.left_behind(_AT_START["snapshot"])
    if extra:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["tests left these behind (stop servers on every path):", *extra]
        if reporter:
            reporter.write_sep("=", "left behind", red=True)
            for line in lines:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def clock_at():
    """Stop the hub's one clock: clock_at(datetime) moves time for the whole hub in this test."""
    clock.set_now(None)
    yield clock.set_now
    clock.set_now(None)


@pytest.fixture
def data_dir(tmp_path):
    """A fresh, empty HUB_DATA_DIR."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def app_config(data_dir, tmp_path):
    """Settings for a test app: its own data dir, no bundled packs unless a test asks."""
    return {
        "HUB_DATA_DIR": str(data_dir),
        "HUB_PACKS_SOURCE": str(tmp_path / "no-packs"),
        "HUB_MDNS": False,
        "TESTING": True,
    }


@pytest.fixture
def app(app_config):
    """A hub app on a fresh database."""
    return create_app(app_config)


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def db(app):
    """A connection to the app's database (closed after the test)."""
    database = open_hub_db(app.config["HUB_DATA_DIR"])
    yield database
    database.conn.close()


@pytest.fixture
def runner(data_dir, tmp_path, monkeypatch):
    """Invoke `hub` commands against the test data dir: runner.invoke(['packs', 'list'])."""
    from hub.cli import cli

    monkeypatch.setenv("HUB_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HUB_PACKS_SOURCE", str(tmp_path / "no-packs"))
    monkeypatch.setenv("HUB_MDNS", "0")

    class Runner(CliRunner):
        def invoke(self, args, **kwargs):  # noqa: D401 - same as CliRunner.invoke
            return super().invoke(cli, args, catch_exceptions=False, **kwargs)

    return Runner()

