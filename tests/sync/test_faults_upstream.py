"""A flaky link between hub and central (tests/faultproxy.py): every report arrives exactly once."""
from __future__ import annotations

import pytest

from hub.core import config
from hub.core.db import open_hub_db
from sync import client, outbox, report, upstream
from sync.errors import ConnectionFailed, Timeout
from tests.centralproc import CentralProcess, add_hub
from tests.faultproxy import FaultProxy
from tests.ops.test_faults_kill import central_counts, hub_reports, integrity, seed_days

FAULTS = ["drop", "reset", "cut_request", "truncate_response", "delay:0.3", "truncate_response",
          "reset", "drop"]


@pytest.fixture
def central(tmp_path):
    with CentralProcess(tmp_path / "central") as proc:
        yield proc


def hub_settings(data_dir, url, secret):
    conf = config.load({"HUB_DATA_DIR": str(data_dir), "HUB_SYNC_INTERVAL": 1})
    upstream.register(conf, url, "hub-f", secret)
    return conf


@pytest.mark.slow
def test_every_report_arrives_exactly_once_through_drops_resets_and_cut_answers(data_dir, central):
    secret = add_hub(central.data_dir, "hub-f")
    seed_days(data_dir, 4)
    with FaultProxy(central.url, plan=list(FAULTS)) as proxy:
        conf = hub_settings(data_dir, proxy.url, secret)
        db = open_hub_db(data_dir)
        try:
            assert report.build_closed_weeks(db, conf)
            rounds = 0
            while outbox.pending(db):
                rounds += 1
                assert rounds <= 3 * len(FAULTS), outbox.status(db, conf)
                outbox.push(db, conf, force=True)  # what `hub sync push` does after a failure
        finally:
            db.conn.close()
        assert set(FAULTS) <= set(proxy.applied)
    sent, stored = hub_reports(data_dir), central_counts(central.data_dir)
    assert set(sent) == set(stored)
    assert {rid: (rev, count) for rid, (rev, count, _a) in sent.items()} == stored
    # An answer cut short after the central stored the report: the resend is a duplicate.
    assert "duplicate" in {answer for _r, _c, answer in sent.values()}
    assert integrity(data_dir / "hub.db") == "ok" and integrity(central.data_dir / "central.db") == "ok"


@pytest.mark.slow
def test_a_central_that_never_answers_is_a_timeout_and_nothing_is_lost(data_dir, central):
    secret = add_hub(central.data_dir, "hub-f")
    seed_days(data_dir, 1)
    with FaultProxy(central.url, default="blackhole") as proxy:
        conf = hub_settings(data_dir, proxy.url, secret)
        db = open_hub_db(data_dir)
        try:
            report.build_closed_weeks(db, conf)
            body = outbox.next_body(db)
            with pytest.raises(Timeout):
                client.post_report(proxy.url, "hub-f", secret, body, read_timeout=0.5)
            proxy.default = "drop"
            result = outbox.push(db, conf, force=True)
            assert result.failed and outbox.pending(db)
            assert "cannot reach" in outbox.status(db, conf)["last_error"]
            with pytest.raises(ConnectionFailed):
                client.post_report(proxy.url, "hub-f", secret, body)
            proxy.default = "ok"
            assert outbox.push(db, conf, force=True).ok and not outbox.pending(db)
        finally:
            db.conn.close()
    assert len(central_counts(central.data_dir)) == len(hub_reports(data_dir))
