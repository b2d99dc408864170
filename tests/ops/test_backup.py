"""Backups: a consistent copy while serving, restore, nightly rotation, a damaged database."""
import datetime as dt
import sqlite3
import subprocess
import sys
import threading

import pytest

from hub.ops import backup as backups
from hub.core.db import db_path, open_hub_db
from tests.helpers import ROOT, HubProcess, hub_env


def _put(data_dir, key, value):
    db = open_hub_db(data_dir)
    with db.atomic():
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])
    db.conn.close()


def test_backup_and_restore_round_trip(runner, data_dir, tmp_path):
    _put(data_dir, "hub_name", '"Kisumu Hub"')
    copy = tmp_path / "copy.db"
    result = runner.invoke(["backup", str(copy)])
    assert result.exit_code == 0, result.output
    backups.check_file(copy)
    _put(data_dir, "hub_name", '"changed later"')
    result = runner.invoke(["restore", str(copy)])
    assert result.exit_code == 0, result.output
    db = open_hub_db(data_dir)
    assert db.execute("SELECT value FROM settings WHERE key='hub_name'").fetchone()[0] == '"Kisumu Hub"'
    assert list(data_dir.glob("hub.db.replaced-*")), "the replaced database is kept aside"


def test_restore_refuses_a_file_that_is_not_a_hub_database(runner, data_dir, tmp_path):
    _put(data_dir, "hub_name", '"kept"')
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(["restore", str(bogus)])
    assert result.exit_code == 1
    assert "not a hub database" in result.stderr
    db = open_hub_db(data_dir)
    assert db.execute("SELECT value FROM settings WHERE key='hub_name'").fetchone()[0] == '"kept"'


@pytest.mark.slow
def test_backup_while_serving_and_writing_is_consistent(tmp_path):
    data_dir = tmp_path / "data"
    with HubProcess(data_dir):
        stop = threading.Event()

        def writer():
            conn = sqlite3.connect(db_path(data_dir), isolation_level=None, timeout=30)
            number = 0
            while not stop.is_set() and number < 5000:
                conn.execute("INSERT INTO settings (key, value) VALUES (?, '1')", [f"k{number}"])
                number += 1
            conn.close()

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            for index in range(3):
                copy = backups.backup(data_dir, tmp_path / f"copy{index}.db")
                backups.check_file(copy)
        finally:
            stop.set()
            thread.join()


def test_nightly_backup_keeps_the_last_seven(data_dir):
    open_hub_db(data_dir).conn.close()
    start = dt.datetime(2026, 11, 1, 2, 0)
    for day in range(10):
        backups.nightly_backup(data_dir, now=start + dt.timedelta(days=day))
    names = sorted(p.name for p in (data_dir / "backups").iterdir())
    assert names == [f"hub-2026-11-{d:02d}.db.gz" for d in range(4, 11)]
    assert backups.nightly_backup(data_dir, now=start + dt.timedelta(days=9)) is None  # once a day


def _serve_once(data_dir):
    return subprocess.run([sys.executable, "-m", "hub", "serve", "--host", "127.0.0.1", "--port", "1"],
                          cwd=ROOT, env=hub_env(data_dir), capture_output=True, text=True, timeout=30)


def test_a_corrupt_database_is_named_in_one_line_with_how_to_restore(data_dir):
    open_hub_db(data_dir).conn.close()
    backups.nightly_backup(data_dir, now=dt.datetime(2026, 11, 20))
    path = db_path(data_dir)
    for suffix in ("-wal", "-shm"):
        (data_dir / f"hub.db{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage" * 4096)
    result = _serve_once(data_dir)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "hub restore" in result.stderr and "hub-2026-11-20.db" in result.stderr


def test_a_missing_database_after_use_is_named_with_how_to_restore(data_dir):
    open_hub_db(data_dir).conn.close()
    backups.nightly_backup(data_dir, now=dt.datetime(2026, 11, 21))
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"hub.db{suffix}").unlink(missing_ok=True)
    result = _serve_once(data_dir)
    assert result.returncode == 1
    assert "missing" in result.stderr and "hub-2026-11-21.db" in result.stderr
