"""The real server: `hub serve` starts, answers, tells learners where to go, stops cleanly."""
import json
import signal
import urllib.request

import pytest

from tests.helpers import HubProcess


@pytest.mark.slow
def test_serve_answers_healthz_and_stops_on_sigterm(tmp_path):
    hub = HubProcess(tmp_path / "data").start()
    try:
        with urllib.request.urlopen(hub.url + "/healthz", timeout=5) as response:
            body = json.loads(response.read())
        assert body["status"] == "ok" and body["version"]
        with urllib.request.urlopen(hub.url + "/", timeout=5) as response:
            assert response.status == 200
    finally:
        code = hub.stop(signal.SIGTERM)
    assert code == 0
    assert "Hub stopped." in hub.output()[0]


@pytest.mark.slow
def test_serve_prints_the_addresses_learners_open(tmp_path):
    hub = HubProcess(tmp_path / "data").start()
    assert hub.stop(signal.SIGINT) == 0
    out, _err = hub.output()
    assert f"http://127.0.0.1:{hub.port}/" in out
    assert "Hub stopped." in out


def test_lan_addresses_are_ipv4_and_not_loopback():
    from hub.ops.device.addresses import lan_addresses, learner_urls

    for address in lan_addresses():
        parts = address.split(".")
        assert len(parts) == 4 and not address.startswith("127.")
    assert learner_urls("127.0.0.1", 8080) == ["http://127.0.0.1:8080/"]
    assert all(url.endswith(":8080/") for url in learner_urls("0.0.0.0", 8080))
