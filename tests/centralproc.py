"""`hub-central serve` in a subprocess on a free loopback port, for the sync and central tests."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, free_port, wait_for_http


def central_cli(data_dir: Path, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run a `hub-central` command against a data dir."""
    env = dict(os.environ, HUB_CENTRAL_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "sync.central.cli", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=60)


def add_hub(data_dir: Path, hub_id: str) -> str:
    """Register a hub at the central; return the secret (the last line printed)."""
    done = central_cli(data_dir, "hubs", "add", hub_id)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


class CentralProcess:
    """A real central receiver; start() waits for /healthz, stop() ends it."""

    def __init__(self, data_dir: Path, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self) -> "CentralProcess":
        if self.proc is not None and self.proc.poll() is None:
            return self  # already serving: a second process would leave the first one running
        env = dict(os.environ, HUB_CENTRAL_DATA_DIR=str(self.data_dir), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "sync.central.cli", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port)], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for_http(self.url + "/healthz", 20, self.proc)
        except BaseException:
            self.stop()  # never leave a half-started server behind
            raise
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()  # it did not stop in time: end it anyway, then say so
                self.proc.wait()
                raise
        for stream in (self.proc.stdout, self.proc.stderr) if self.proc else ():
            stream.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
