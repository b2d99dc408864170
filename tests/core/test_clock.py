"""The hub's one clock: UTC now, the hub's day in its time zone, one timestamp format."""
from __future__ import annotations

import datetime as dt

from hub.core import clock, settings
from hub.learning import learners


def test_timestamps_have_one_format(clock_at):
    clock_at(dt.datetime(2024, 5, 2, 10, 0, 0, 750000, tzinfo=dt.timezone.utc))
    assert clock.iso() == "2024-05-02T10:00:00Z"
    assert clock.iso(dt.datetime(2024, 5, 2, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))) \
        == "2024-05-02T10:30:00Z"
    assert clock.parse("2024-05-02T10:00:00Z") == clock.now()


def test_the_hubs_day_follows_the_setting_then_hub_timezone(db, clock_at):
    clock_at(dt.datetime(2024, 5, 2, 23, 30, tzinfo=dt.timezone.utc))
    assert clock.hub_timezone(db, {"HUB_TIMEZONE": "UTC"}) == "UTC"
    assert clock.local_today(clock.hub_timezone(db, {"HUB_TIMEZONE": "UTC"})) == dt.date(2024, 5, 2)
    assert clock.hub_timezone(db, {"HUB_TIMEZONE": "Africa/Nairobi"}) == "Africa/Nairobi"
    settings.set(db, "timezone", "Asia/Kolkata")  # chosen at setup: wins over HUB_TIMEZONE
    zone = clock.hub_timezone(db, {"HUB_TIMEZONE": "Africa/Nairobi"})
    assert zone == "Asia/Kolkata" and clock.local_today(zone) == dt.date(2024, 5, 3)
    assert clock.day_start(zone) == ("2024-05-03", "2024-05-02T18:30:00Z")


def test_moving_the_clock_moves_the_whole_hub(db, clock_at):
    clock_at(dt.datetime(2030, 1, 1, 8, 0, tzinfo=dt.timezone.utc))
    learner = learners.create_learner(db, "Amina")
    assert learner["created_at"] == "2030-01-01T08:00:00Z"


def test_an_unknown_zone_falls_back_to_utc():
    assert clock.zone("Not/AZone").key == "UTC" and clock.zone("").key == "UTC"
