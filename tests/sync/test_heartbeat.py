"""A heartbeat goes with every push: signed like a report, no learner data; an older central's
404 changes nothing."""
from __future__ import annotations

import http.server
import json
import threading

from hub.core.db import open_hub_db
from sync import client, heartbeat, outbox, report, upstream
from tests.centralproc import CentralProcess, add_hub
from tests.eventfactory import EventFactory, at, closed_week_day


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A central that stores reports and heartbeats as they come (a real HTTP server)."""

    seen: list = []

    def do_POST(self):  # noqa: N802 - the http.server name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.path, self.headers["X-Hub-Id"], self.headers["X-Hub-Signature"], body))
        answer = b'{"status": "stored"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args):
        pass


def _hub(tmp_path, url):
    conf = {"HUB_DATA_DIR": str(tmp_path), "HUB_K_THRESHOLD": 5, "HUB_TIMEZONE": "UTC", "HUB_SYNC_INTERVAL": 1}
    upstream.register(conf, url, "hub-beat", "b" * 32)
    db = open_hub_db(tmp_path)
    ev = EventFactory(db)
    ev.resource("p.num", "count", kind="exercise")
    ev.learner("L1", "Amina Yusuf")
    ev.many([f"L{i}" for i in range(6)], "started", "p.num/count", at=at(closed_week_day()))
    return db, conf


def test_every_push_sends_a_signed_heartbeat_without_learner_data(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        db, conf = _hub(tmp_path, f"http://127.0.0.1:{server.server_port}")
        report.build_closed_weeks(db, conf)
        result = outbox.push(db, conf, force=True)
        db.conn.close()
    finally:
        server.shutdown()
        server.server_close()
    assert result.sent and result.heartbeat == "sent"
    path, hub_id, signature, body = _Recorder.seen[-1]
    assert path == "/api/v1/heartbeat" and hub_id == "hub-beat"
    assert signature == client.sign("b" * 32, body)
    beat = json.loads(body)
    assert set(beat) == {"schema", "hub_id", "sent_at", "version", "packs", "disk_free_mb", "last_event_day"}
    assert beat["schema"] == "hub-heartbeat/1" and beat["packs"] == [{"id": "p.num", "version": "1.0.0"}]
    assert beat["last_event_day"] == closed_week_day() and beat["disk_free_mb"] > 0
    assert b"Amina" not in body and b"L1" not in body


def test_an_older_central_answers_404_and_the_push_still_succeeds(tmp_path):
    central = CentralProcess(tmp_path / "central")
    secret = add_hub(central.data_dir, "hub-beat")
    with central:
        (tmp_path / "hub").mkdir()
        db, conf = _hub(tmp_path / "hub", central.url)
        upstream.register(conf, central.url, "hub-beat", secret)
        report.build_closed_weeks(db, conf)
        result = outbox.push(db, conf, force=True)
        assert result.ok and [answer for _r, _v, answer in result.sent] == ["stored"]
        assert result.heartbeat in ("not supported", "sent")  # "sent" once the central knows it
        assert heartbeat.send(db, conf) == result.heartbeat
        db.conn.close()
