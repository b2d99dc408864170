"""The background pull: off, download only, download and install; the window; the daily budget."""
from __future__ import annotations

import datetime as dt

import pytest

from hub.catalog import store as catalog
from hub.core import config
from hub.core.db import open_hub_db
from sync import pack_downloads, pack_policy, upstream
from tests.centralproc import CentralProcess
from tests.sync.packflows import centre_with, publisher, signed_zip, staging_files

PACK = "org.example.numbers"
MIB = 1024 * 1024
UTC = dt.timezone.utc


@pytest.fixture
def centre(tmp_path):
    """A real centre offering one signed pack of about 2.5 MB."""
    private, public = publisher(tmp_path)
    pack_zip = signed_zip(tmp_path, private, photo_bytes=int(2.5 * MIB))
    with CentralProcess(tmp_path / "central") as proc:
        centre_with(proc.data_dir, public, pack_zip)
        proc.size = pack_zip.stat().st_size
        yield proc


@pytest.fixture
def hub(data_dir, centre):
    """(db, settings) of a hub registered with that centre."""
    conf = config.load({"HUB_DATA_DIR": str(data_dir)})
    upstream.register(conf, centre.url, "hub-p", "a-secret-long-enough-0123")
    db = open_hub_db(data_dir)
    yield db, conf
    db.conn.close()


def choose(db, **values) -> None:
    assert pack_policy.save(db, {**pack_policy.policy(db), "pack_rate_kbps": 0, **values}) == []


@pytest.mark.slow
def test_off_fetches_nothing_download_only_waits_install_installs(hub, data_dir):
    db, conf = hub
    assert pack_policy.policy(db)["pack_updates"] == "off"  # a metered link costs nothing unasked
    assert pack_policy.tick(db, conf) == [] and staging_files(data_dir) == []

    choose(db, pack_updates="download")
    [result] = pack_policy.tick(db, conf)
    assert result.state == "downloaded" and catalog.get_pack(db, PACK) is None
    assert pack_downloads.get(db, PACK)["state"] == "downloaded"
    assert pack_policy.tick(db, conf) == []  # waits for a facilitator; not fetched again

    choose(db, pack_updates="install")
    [result] = pack_policy.tick(db, conf)
    assert (result.state, result.fetched) == ("installed", 0)  # the verified zip, not a second download
    assert catalog.get_pack(db, PACK)["version"] == "1.0.0" and staging_files(data_dir) == []
    assert pack_policy.tick(db, conf) == []


@pytest.mark.slow
def test_the_daily_budget_holds_and_the_download_goes_on_the_next_day(hub, centre, clock_at):
    db, conf = hub
    choose(db, pack_updates="install", pack_daily_budget_mb=1)
    day = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    clock_at(day)
    [first] = pack_policy.tick(db, conf)
    assert (first.state, first.fetched) == ("paused", MIB)
    assert pack_policy.tick(db, conf) == [] and pack_downloads.bytes_on(db, "2026-03-02") == MIB

    clock_at(day + dt.timedelta(days=1))
    [second] = pack_policy.tick(db, conf)
    assert (second.state, second.resumed_from, second.fetched) == ("paused", MIB, MIB)
    assert pack_downloads.get(db, PACK)["received"] == 2 * MIB

    clock_at(day + dt.timedelta(days=2))
    [third] = pack_policy.tick(db, conf)
    assert (third.state, third.fetched) == ("installed", centre.size - 2 * MIB)
    assert catalog.get_pack(db, PACK)["version"] == "1.0.0"
    assert [pack_downloads.bytes_on(db, f"2026-03-0{d}") for d in (2, 3, 4)] == [MIB, MIB, centre.size - 2 * MIB]


@pytest.mark.slow
def test_outside_the_window_nothing_is_fetched(hub, clock_at, data_dir):
    db, conf = hub
    choose(db, pack_updates="install", pack_window="22:00-06:00")
    clock_at(dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert pack_policy.tick(db, conf) == [] and staging_files(data_dir) == []
    clock_at(dt.datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    assert [r.state for r in pack_policy.tick(db, conf)] == ["installed"]


def test_settings_that_cannot_work_are_refused_and_nothing_is_saved(data_dir):
    db = open_hub_db(data_dir)
    try:
        wrong = {"pack_updates": "always", "pack_window": "25:00-06:00", "pack_daily_budget_mb": -1,
                 "pack_rate_kbps": 64}
        assert [field for field, _why in pack_policy.save(db, wrong)] == [
            "pack_updates", "pack_window", "pack_daily_budget_mb"]
        assert pack_policy.policy(db) == pack_policy.DEFAULTS
    finally:
        db.conn.close()


@pytest.mark.parametrize("window, hour, inside", [("", 3, True), ("22:00-06:00", 23, True),
                                                  ("22:00-06:00", 5, True), ("22:00-06:00", 6, False),
                                                  ("09:00-17:00", 8, False), ("09:00-17:00", 16, True)])
def test_windows_may_wrap_midnight(window, hour, inside):
    assert pack_policy.in_window(window, dt.datetime(2026, 3, 2, hour, 0)) is inside
