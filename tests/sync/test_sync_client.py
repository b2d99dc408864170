"""The sync client's promises: verified TLS, backoff with jitter, refusals held for a person."""
from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from hub.core.db import open_hub_db
from sync import client, outbox, report, state
from sync.errors import ConnectionFailed
from tests.centralproc import CentralProcess, add_hub
from tests.sync.test_sync import one_week_closed, register, seed  # noqa: F401 - an autouse fixture


def test_backoff_doubles_per_failure_with_jitter_and_a_cap():
    for attempts in range(1, 8):
        plain = min(6 * 3600.0, 60.0 * 2 ** (attempts - 1))
        waits = [client.backoff_s(attempts) for _ in range(200)]
        assert all(0.5 * plain <= w <= 1.5 * plain for w in waits), attempts
        assert len(set(waits)) > 150  # jitter: hubs that failed together do not retry together
    assert max(client.backoff_s(40) for _ in range(200)) <= 1.5 * 6 * 3600


def _self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            # Valid ten years either side: OpenSSL checks it on the machine's clock, which
            # `make test-at` does not move.
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=3650))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class _Stored(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b'{"status": "stored"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_an_https_central_with_a_certificate_nobody_vouches_for_is_refused(tmp_path, monkeypatch):
    cert_file, key_file = _self_signed(tmp_path)
    server = HTTPServer(("127.0.0.1", 0), _Stored)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(ConnectionFailed) as refused:
            client.post_report(url, "hub-a", "s" * 32, b"{}")
        assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
        # The same server, once its certificate is trusted, is spoken to: TLS itself works.
        trusted = ssl.create_default_context(cafile=str(cert_file))
        monkeypatch.setattr(client.ssl, "create_default_context", lambda *a, **k: trusted)
        assert client.post_report(url, "hub-a", "s" * 32, b"{}")[0] == "stored"
    finally:
        server.shutdown()
        server.server_close()


def _bad_report(hub_id: str) -> dict:
    return {"schema": "hub-report/1", "hub_id": hub_id, "report_id": "daily-2024-05-10", "revision": 1,
            "period": {"start": "2024-05-10", "end": "2024-05-10"}, "generated_at": "2024-05-11T00:00:00Z",
            "k_threshold": 5, "metrics": [{"name": "learner_names", "value": 1, "suppressed": False, "dims": {}}]}


@pytest.mark.slow
def test_a_report_the_central_refuses_is_held_for_a_person_not_retried_blindly(runner, app, data_dir, tmp_path):
    with CentralProcess(tmp_path / "central") as central:
        register(runner, None, central.url, "hub-a", add_hub(central.data_dir, "hub-a"))
        db = open_hub_db(data_dir)
        report = _bad_report("hub-a")
        outbox.enqueue(db, report, json.dumps(report).encode())
        settings = {"HUB_DATA_DIR": str(data_dir), "HUB_SYNC_INTERVAL": 900}
        first = outbox.push(db, settings)  # as the scheduler does: not forced
        assert [f[:2] for f in first.failed] == [("daily-2024-05-10", 1)] and "(400)" in first.failed[0][2]
        again = outbox.push(db, settings, now=state.utc_now() + dt.timedelta(days=2))
        assert again.failed == [] and again.sent == [] and again.skipped == 1  # held, even when due
    status = json.loads(runner.invoke(["sync", "status", "--json"]).output)
    assert status["pending"] == 1 and status["next_attempt"] is None
    assert "refused the report (400)" in status["last_error"] and "learner_names" in status["last_error"]
    with app.test_request_context("/facilitator/sync"):
        from hub.web.views import sync_words

        words = sync_words.problem(status["last_error"])["words"]
    assert words.startswith("The central office refused a report.")
    db.conn.close()


def test_sync_status_warns_when_the_clock_is_behind_the_centrals_last_answer(runner, data_dir):
    db = open_hub_db(data_dir)
    state.put(db, "last_ack_central_time", "2999-01-01T00:00:00Z")
    db.conn.close()
    shown = runner.invoke(["sync", "status"])
    assert shown.exit_code == 0
    assert "WARNING: the hub's clock" in shown.output and "central's last answer" in shown.output
    assert "set the date and time" in shown.output
    found = json.loads(runner.invoke(["sync", "status", "--json"]).output)
    assert "earlier than the central's last answer" in found["clock_warning"]


def test_two_threads_of_one_process_take_turns_at_pushing(runner, data_dir):
    """The scheduler's thread and a console send share a process: the lease still keeps them apart."""
    register(runner, None, "http://127.0.0.1:9", "hub-a", "x" * 32)
    seed(data_dir)

    def hold():
        other = open_hub_db(data_dir)
        assert outbox.acquire_lease(other)
        other.conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holder.join()
    db = open_hub_db(data_dir)
    settings = {"HUB_DATA_DIR": str(data_dir), "HUB_K_THRESHOLD": 5, "HUB_TIMEZONE": "UTC"}
    assert len(report.build_closed_weeks(db, settings)) == 1
    result = outbox.push(db, settings, force=True)
    assert result.busy and result.sent == [] and result.failed == []
    assert len(outbox.pending(db)) == 1  # still waiting, untouched
    db.conn.close()
