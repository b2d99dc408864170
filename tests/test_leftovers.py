"""The session check sees a child process or a listening socket a test leaves behind."""
from __future__ import annotations

import socket
import subprocess
import sys

from tests import leftovers


def test_a_child_left_running_is_reported_then_not_once_stopped():
    before = leftovers.snapshot()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        found = leftovers.left_behind(before, grace_s=0)
        assert any(f"process {child.pid}:" in line for line in found)
    finally:
        child.kill()
        child.wait()
    assert leftovers.left_behind(before) == []


def test_a_listening_socket_left_open_is_reported():
    before = leftovers.snapshot()
    server = socket.socket()
    try:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert any(f":{port} (pid" in line for line in leftovers.left_behind(before, grace_s=0))
    finally:
        server.close()
    assert leftovers.left_behind(before) == []
