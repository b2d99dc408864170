"""The running hub makes its own daily backup (sync scheduler), keeping the newest seven."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from hub.ops import backup
from hub.core.db import open_hub_db
from tests.faultproxy import wait_until
from tests.helpers import HubProcess, http
from tests.learning.test_learners_support import event, install_test_pack


@pytest.mark.slow
def test_hub_serve_backs_up_once_a_day_and_keeps_seven(data_dir):
    db = open_hub_db(data_dir)
    install_test_pack(db, data_dir)
    db.conn.close()
    folder = data_dir / "backups"
    folder.mkdir()
    for day in range(1, 10):  # nine older backups from a hub that ran before
        shutil.copy(data_dir / "hub.db", folder / f"hub-2020-01-0{day}.db")
    today = folder / f"hub-{dt.datetime.now():%Y-%m-%d}.db.gz"
    with HubProcess(data_dir, HUB_SYNC_INTERVAL=1) as hub:
        wait_until(today.exists, 20, "today's backup")
        wait_until(lambda: len(list(folder.glob("hub-*.db*"))) == backup.KEEP_NIGHTLY, 20, "rotation")
        # Serving goes on beside it (the backup never holds the write lock for long).
        assert http("POST", hub.url + "/api/v1/events", {"events": [event()]})[0] == 200
    backup.check_file(today)  # a whole, consistent database
    kept = sorted(p.name for p in folder.glob("hub-*.db*"))
    assert kept[-1] == today.name and kept[0] == "hub-2020-01-04.db" and len(kept) == 7
    assert not list(folder.glob("*partial*"))


def test_the_scheduler_backs_up_once_a_day(data_dir):
    from sync.scheduler import Scheduler

    open_hub_db(data_dir).conn.close()
    rounds = Scheduler({"HUB_DATA_DIR": str(data_dir)})
    rounds.daily_backup()
    (made,) = (data_dir / "backups").glob("hub-*.db.gz")
    first = made.stat().st_mtime_ns
    rounds.daily_backup()  # a later round the same day
    assert [p.stat().st_mtime_ns for p in (data_dir / "backups").glob("hub-*.db.gz")] == [first]
