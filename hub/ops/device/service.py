"""The systemd unit that starts the hub on boot, restarts it on failure and limits it."""
from __future__ import annotations

import re
import sys
from pathlib import Path

UNIT_NAME = "community-learning-hub.service"
UNIT_PATH = Path("/etc/systemd/system") / UNIT_NAME

_USER = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
_MEMORY = re.compile(r"^(\d+[KMGT]?|infinity)$")
# systemd expands % and $ and splits on spaces: refuse such paths rather than quote them.
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/+:@-]*$")


def default_exec_start() -> str:
    """`<venv>/bin/hub serve` for the Python running now (the venv the hub is installed in)."""
    script = Path(sys.executable).parent / "hub"
    if script.exists():
        return f"{script} serve"
    return f"{sys.executable} -m hub serve"


def problems(user: str, data_dir: str, working_dir: str, memory_max: str,
             packs_source: str | None = None) -> list[str]:
    """`WHERE: WHY` lines for settings a unit cannot use; empty when all are fine."""
    found = []
    if not _USER.match(user):
        found.append(f"--user: {user!r} is not a valid user name (lowercase letters, digits, - and _)")
    if not _MEMORY.match(memory_max):
        found.append(f"--memory-max: {memory_max!r} should be a size like 400M or 1G")
    paths = [("--data-dir", data_dir), ("working directory", working_dir)]
    if packs_source:
        paths.append(("HUB_PACKS_SOURCE", packs_source))
    for option, path in paths:
        if not _SAFE_PATH.match(path):
            found.append(f"{option}: {path!r} must be an absolute path without spaces, % or $")
    return found


def render_unit(*, user: str, data_dir: str, working_dir: str, exec_start: str,
                memory_max: str = "400M", packs_source: str | None = None) -> str:
    """The text of the systemd unit for the given paths (check them with problems() first)."""
    environment = [f"HUB_DATA_DIR={data_dir}", "PYTHONUNBUFFERED=1"]
    if packs_source:
        environment.insert(1, f"HUB_PACKS_SOURCE={packs_source}")
    lines = [
        "# Written by `hub install-service`. Change it by running that command again.",
        "[Unit]",
        "Description=Community Learning Hub",
        "Documentation=file://" + working_dir + "/docs/deployment.md",
        "After=network.target",
        "",
        "[Service]",
        "Type=simple",
        f"User={user}",
        f"Group={user}",
        f"WorkingDirectory={working_dir}",
        *[f"Environment={item}" for item in environment],
        f"ExecStart={exec_start}",
        "Restart=on-failure",
        "RestartSec=5",
        # waitress finishes in-flight requests on SIGTERM; give it time before SIGKILL.
        "TimeoutStopSec=20",
        f"MemoryMax={memory_max}",
        # Hardening: the hub writes only to its data dir; the rest of the system is read-only.
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        f"ReadWritePaths={data_dir}",
        "PrivateTmp=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectControlGroups=yes",
        "RestrictSUIDSGID=yes",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ]
    return "\n".join(lines)


def next_steps(user: str, data_dir: str, unit_path: Path) -> list[str]:
    """The commands a person runs after the unit is written, in order."""
    name = unit_path.name
    return [
        f"sudo useradd --system --home-dir {data_dir} --shell /usr/sbin/nologin {user}"
        "   # once; skip if the user exists",
        f"sudo mkdir -p {data_dir} && sudo chown -R {user}:{user} {data_dir}",
        "sudo systemctl daemon-reload",
        f"sudo systemctl enable --now {name}",
        f"systemctl status {name}   # then: journalctl -u {name}",
    ]
