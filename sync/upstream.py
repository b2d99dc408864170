"""Where reports go: the upstream URL, this hub's id and its secret.

`hub sync register` keeps them in HUB_DATA_DIR/sync-upstream.json (mode 0600); the
environment (HUB_UPSTREAM_URL, HUB_ID, HUB_SECRET) or the config file overrides the file.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

FILE_NAME = "sync-upstream.json"
HUB_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _path(settings: dict) -> Path:
    return Path(settings["HUB_DATA_DIR"]) / FILE_NAME


def problems(url: str, hub_id: str, secret: str) -> list[str]:
    """`WHERE: WHY` lines for a registration that cannot work (empty when fine)."""
    found = []
    if not re.match(r"^https?://[^\s/]+", url or ""):
        found.append("--url: must start with http:// or https:// and name a host")
    if not HUB_ID_RE.match(hub_id or ""):
        found.append("--hub-id: letters, digits, '.', '_' or '-', at most 64, as the central gave it")
    if len(secret or "") < 16 or any(c.isspace() for c in secret or ""):
        found.append("secret: paste the whole secret printed by `hub-central hubs add` (no spaces)")
    return found


def register(settings: dict, url: str, hub_id: str, secret: str) -> Path:
    """Store the upstream settings in the data dir, readable by this user only."""
    path = _path(settings)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"url": url.rstrip("/"), "hub_id": hub_id, "secret": secret}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def config(settings: dict) -> dict:
    """{"url", "hub_id", "secret"}: the environment first, then the registered file."""
    stored = {}
    path = _path(settings)
    if path.is_file():
        stored = json.loads(path.read_text(encoding="utf-8"))
    return {
        "url": (settings.get("HUB_UPSTREAM_URL") or stored.get("url") or "").rstrip("/"),
        "hub_id": settings.get("HUB_ID") or stored.get("hub_id") or "",
        "secret": settings.get("HUB_SECRET") or stored.get("secret") or "",
    }
