"""A throwaway PostgreSQL server for the tests (and the benchmarks): initdb + pg_ctl in a temp dir.

Runs as the `postgres` user when the tests run as root (PostgreSQL refuses root), listens on a
free loopback port with its socket in its own folder, and is stopped (fast mode) at the end.
`find_binaries()` says None when no server is installed: the tests then skip with that reason.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.helpers import free_port

NO_SERVER = ("no PostgreSQL server binaries (initdb, pg_ctl) on PATH, in /usr/local/bin or "
             "/usr/lib/postgresql/*/bin; `.ci/run` installs Debian's postgresql")


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    candidates = ([Path(found).resolve().parent] if found else []) + [Path("/usr/local/bin")] + [
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


class PostgresServer:
    """start() -> a running server; url(dbname); create_database(); stop()."""

    def __init__(self, bin_dir: Path, durable: bool = False):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="central-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        self.user = "postgres"
        self._count = 0
        self.durable = durable  # benchmarks keep fsync on, as a real server does

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=check)

    def start(self) -> "PostgresServer":
        if self._as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "-E", "UTF8", "--no-sync")
        # fsync off: a test server that dies loses nothing anyone needs, and it is much faster.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        done = self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                         "-w", "-t", "60", "start", check=False)
        if done.returncode != 0:
            log = (self.root / "log").read_text(errors="replace") if (self.root / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr}\n{log[-2000:]}")
        return self

    def url(self, dbname: str = "postgres") -> str:
        """A connection URL for one database on this server."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        self._count += 1
        name = f"central_test_{self._count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
