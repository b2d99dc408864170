"""Backups (issue 17): compressed, written under a temporary name and renamed, never past the
disk reserve, `hub backup --to PATH`, retention a setting, the newest copied to a USB stick."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from hub.core import settings
from hub.core.db import newest_backup, open_hub_db
from hub.ops import backup as backups


@pytest.fixture
def hub_db(data_dir):
    db = open_hub_db(data_dir)
    settings.set(db, "hub_name", "Kisumu Hub")
    db.conn.close()
    return data_dir


def test_a_compressed_backup_restores(runner, hub_db, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    result = runner.invoke(["backup", "--to", str(stick)])
    assert result.exit_code == 0, result.output
    (made,) = stick.glob("hub-*.db.gz")
    assert made.stat().st_size < (hub_db / "hub.db").stat().st_size / 2
    backups.check_file(made)
    db = open_hub_db(hub_db)
    settings.set(db, "hub_name", "changed")
    db.conn.close()
    assert runner.invoke(["restore", str(made)]).exit_code == 0
    db = open_hub_db(hub_db)
    assert settings.get(db, "hub_name") == "Kisumu Hub"
    db.conn.close()
    assert runner.invoke(["backup"]).exit_code == 2  # FILE or --to


def test_a_backup_that_would_eat_the_reserve_is_refused_and_leaves_nothing(hub_db, tmp_path):
    free = shutil.disk_usage(tmp_path).free
    with pytest.raises(backups.BackupError, match="reserve"):
        backups.backup(hub_db, hub_db / "backups" / "x.db.gz", reserve_bytes=free)
    assert list((hub_db / "backups").iterdir()) == []


def test_a_failed_backup_leaves_no_partial(hub_db, tmp_path):
    (hub_db / "hub.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(backups.BackupError):
        backups.backup(hub_db, tmp_path / "out" / "x.db.gz")
    assert list((tmp_path / "out").iterdir()) == []


def test_retention_is_a_setting_and_stale_partials_go(hub_db):
    db = open_hub_db(hub_db)
    settings.set(db, "backup_keep", 3)
    db.conn.close()
    folder = hub_db / "backups"
    folder.mkdir()
    (folder / ".hub-2026-10-01.db.gz.1234.partial").write_bytes(b"x")
    start = dt.datetime(2026, 11, 1, 2, 0)
    for day in range(5):
        backups.nightly_backup(hub_db, now=start + dt.timedelta(days=day))
    assert sorted(p.name for p in folder.iterdir()) == [
        f"hub-2026-11-0{d}.db.gz" for d in (3, 4, 5)]
    assert newest_backup(hub_db).name == "hub-2026-11-05.db.gz"


def test_the_newest_backup_is_copied_to_a_usb_stick(hub_db, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    copied = backups.copy_newest(hub_db, stick)
    assert copied.parent == stick / "hub-backups" and copied.name.endswith(".db.gz")
    backups.check_file(copied)
    assert [p.name for p in copied.parent.iterdir()] == [copied.name]
