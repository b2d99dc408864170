"""Servers under test in subprocesses: start-up time, the process tree's memory, clean stops."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_bytecode(tree: Path = ROOT) -> None:
    """Byte-compile the hub's source in `tree`, as installing it with pip does.

    Kolibri's wheel install wrote its .pyc files; a checkout run with PYTHONDONTWRITEBYTECODE
    (or a service that cannot write its code folder) would otherwise compile every module of
    the hub again on every start, and its start-up would not compare like for like.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", "hub", "sync"], cwd=tree,
                   check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, headers: dict | None = None, timeout: float = 10.0):
    """One GET; returns (status, headers, body bytes) and never raises on HTTP errors."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc); OSError once it has ended."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _status_field(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pids(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc/<pid>/task/*/children)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(_children(current))
    return pids


def tree_rss_kb(pid: int) -> int:
    """Resident memory (VmRSS, KiB) of a process and all its descendants."""
    return sum(_status_field(p, "VmRSS") for p in tree_pids(pid))


def tree_threads(pid: int) -> int:
    """Threads of a process and all its descendants."""
    return sum(_status_field(p, "Threads") for p in tree_pids(pid))


class RssSampler:
    """Samples a process tree's RSS every `interval` seconds in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))


class Server:
    """A server command in a subprocess on a free loopback port, timed to its first 200."""

    def __init__(self, argv: list[str], port: int, env: dict | None = None,
                 ready_path: str = "/healthz", cwd: Path = ROOT):
        self.argv, self.port, self.cwd = argv, port, cwd
        self.env = dict(os.environ, **(env or {}))
        self.ready_path = ready_path
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.startup_s: float | None = None
        self.background_s: float | None = None
        self.log_path: Path | None = None

    def start(self, timeout: float = 60.0, log_dir: Path | None = None,
              wait_background: bool = True) -> "Server":
        """Start and poll the ready path; startup_s is the time from spawn to the first 200.

        background_s: how long its start-up work went on after that, in child processes.
        """
        log_dir = Path(log_dir or "/tmp")
        self.log_path = log_dir / f"server-{self.port}.log"
        log = open(self.log_path, "wb")
        began = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT)
        log.close()
        deadline = began + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; "
                                   f"log: {self.log_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:
                    if response.status == 200:
                        self.startup_s = time.perf_counter() - began
                        # A first start installs the bundled packs after its first 200
                        # (hub.ops.bundled): measure what follows on the finished hub.
                        self.background_s = self.wait_children() if wait_background else 0.0
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.005)  # polling a port: nothing to await across processes
        self.stop()
        raise TimeoutError(f"{self.url}{self.ready_path} did not answer within {timeout}s")

    def log_text(self) -> str:
        """What the server printed so far."""
        try:
            return self.log_path.read_text(errors="replace") if self.log_path else ""
        except OSError:
            return ""

    def rss_kb(self) -> int:
        """Current RSS of the server's process tree (KiB)."""
        return tree_rss_kb(self.proc.pid) if self.proc else 0

    def threads(self) -> int:
        """Current thread count of the server's process tree."""
        return tree_threads(self.proc.pid) if self.proc else 0

    def idle_rss_kb(self, settle: float = 1.0, background: float = 300.0) -> int:
        """RSS after a short settle, with the server idle.

        Idle means no work left from the start: a first start installs the bundled packs in
        a child process after the server answers (hub.ops.bundled), so wait for the server's
        children to end first.
        """
        self.wait_children(background)
        time.sleep(settle)
        return self.rss_kb()

    def wait_children(self, timeout: float = 300.0) -> float:
        """Wait until the server runs no child process; return the seconds waited."""
        began = time.perf_counter()
        while self.proc and _children(self.proc.pid) and time.perf_counter() - began < timeout:
            time.sleep(0.1)  # polling /proc: nothing to await across processes
        return time.perf_counter() - began

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM, then SIGKILL if it does not end in time."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        # `with server.start(...) as s:` must not start a second process on the same port.
        return self if self.proc is not None and self.proc.poll() is None else self.start()

    def __exit__(self, *exc):
        self.stop()


def hub_server(data_dir: Path, threads: int | None = None, packs_source: Path | None = None,
               extra_env: dict | None = None) -> Server:
    """The real hub: `python -m hub serve` with waitress on loopback and its own data dir."""
    ensure_bytecode()
    port = free_port()
    argv = [sys.executable, "-m", "hub", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--data-dir", str(data_dir)]
    if threads:
        argv += ["--threads", str(threads)]
    env = {"HUB_DATA_DIR": str(data_dir), "HUB_MDNS": "0", "PYTHONUNBUFFERED": "1",
           "HUB_PACKS_SOURCE": str(packs_source or Path(data_dir) / "no-packs"),
           "HUB_UPSTREAM_URL": ""}
    env.update(extra_env or {})
    return Server(argv, port, env)
