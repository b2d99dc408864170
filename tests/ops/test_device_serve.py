"""`hub serve` on the device: a QR code in a terminal, JSON logs in the data dir, none in pipes."""
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT, HubProcess, free_port, hub_env, http


def read_until(fd, marker: str, timeout: float = 20.0) -> str:
    """Read a pty until `marker` shows up (waiting on select, not sleeping)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while marker.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"{marker!r} not printed; got: {seen.decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode(errors="replace")


@pytest.mark.slow
def test_serve_in_a_terminal_shows_a_qr_code_and_logs_as_json(tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=hub_env(data_dir, HUB_LOG_LEVEL="DEBUG"),
        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    try:
        out = read_until(master, "Facilitators:")
        assert f"http://127.0.0.1:{port}/" in out
        assert f"Scan to open http://127.0.0.1:{port}/" in out
        assert "▀" in out and "█" in out
        status, _headers, _body = http("GET", f"http://127.0.0.1:{port}/healthz?learner=Amina")
        assert status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(15)
        os.close(master)
    assert code == 0
    text = (data_dir / "logs" / "hub.log").read_text(encoding="utf-8")
    entries = [json.loads(line) for line in text.splitlines()]
    messages = [e["msg"] for e in entries]
    assert "hub started" in messages and "hub stopped" in messages
    assert "GET /healthz 200" in messages
    assert "Amina" not in text


@pytest.mark.slow
def test_serve_without_a_terminal_prints_no_qr_code(tmp_path):
    hub = HubProcess(tmp_path / "data").start()
    hub.stop(signal.SIGTERM)
    out, _err = hub.output()
    assert f"http://127.0.0.1:{hub.port}/" in out and "Scan to open" not in out
    assert (tmp_path / "data" / "logs" / "hub.log").exists()
