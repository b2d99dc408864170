"""Test helpers: real servers in subprocesses, free ports, waiting without sleeping blindly."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 20.0, proc: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers 200 (or the process dies, or time runs out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.05)  # polling a port: there is no event to await across processes
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def hub_env(data_dir: Path, **extra) -> dict:
    """Environment for a hub subprocess on its own data dir (no bundled packs by default)."""
    env = dict(os.environ)
    env.update({"HUB_DATA_DIR": str(data_dir), "HUB_PACKS_SOURCE": str(data_dir / "no-packs"),
                "HUB_MDNS": "0", "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


class HubProcess:
    """`hub serve` in a subprocess on a free loopback port.

    Its stdout and stderr go to files beside the data folder, never to pipes: a pipe nobody
    reads fills up under heavy logging and the server would block on its next print.
    """

    def __init__(self, data_dir: Path, **env):
        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = hub_env(self.data_dir, **env)
        self.proc: subprocess.Popen | None = None
        self.stdout_path = self.data_dir.parent / f"hub-{self.port}.stdout"
        self.stderr_path = self.data_dir.parent / f"hub-{self.port}.stderr"

    def start(self, timeout: float = 20.0) -> "HubProcess":
        """Start the server and wait for /healthz."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "hub", "serve", "--host", "127.0.0.1", "--port",
                 str(self.port)], cwd=ROOT, env=self.env, stdout=out, stderr=err)
        try:
            wait_for_http(self.url + "/healthz", timeout, self.proc)
        except RuntimeError as exc:
            self._end()
            raise RuntimeError(f"{exc}\n{self.output()[1]}") from None
        except BaseException:
            self._end()  # never leave a half-started server behind
            raise
        return self

    def _end(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def output(self) -> tuple[str, str]:
        """What the server printed so far: (stdout, stderr)."""
        return (self.stdout_path.read_text("utf-8", "replace"),
                self.stderr_path.read_text("utf-8", "replace"))

    def stop(self, sig=signal.SIGTERM, timeout: float = 15.0) -> int:
        """Send `sig` and wait for the process to end; return its exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._end()  # it did not stop in time: end it anyway, then say so
            raise

    def kill(self) -> None:
        """SIGKILL: a power cut, as far as the process can tell."""
        self.stop(signal.SIGKILL)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def http(method: str, url: str, body=None, headers: dict | None = None, timeout: float = 10.0):
    """A real HTTP request; returns (status, headers, body bytes). JSON bodies for dicts."""
    data = body
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def csrf_from(client) -> str:
    """This Flask test client's CSRF token (created in its session if needed)."""
    import secrets

    with client.session_transaction() as session:
        if "_csrf" not in session:
            session["_csrf"] = secrets.token_urlsafe(32)
        return session["_csrf"]


def fuzz_budget(examples: int) -> int:
    """Hypothesis examples for a property test: as given in `make test` (seeded), ten times as
    many in `make fuzz` (HUB_FUZZ=1, unseeded)."""
    import os

    return examples * 10 if os.environ.get("HUB_FUZZ") == "1" else examples
