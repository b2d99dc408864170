"""Where packs can come from, as the console last saw them: the centre and hubs nearby.

Kept in memory for the running hub (a look is cheap to repeat): per data dir, each source's
address, name, when it was looked at, and its catalog or why it could not be read. Pulls by
hand run as background jobs here, so a request never waits for a download.
"""
from __future__ import annotations

import threading

from hub.core import clock
from hub.ops.jobs import JobRunner
from sync.pack_http import PullError, fetch_catalog

LOOK_TIMEOUT_S = 5
_LOOKS: dict[str, dict[str, dict]] = {}
_LOCK = threading.Lock()
PULLS = JobRunner()  # its own worker: a pull never waits behind an upload's install


def look(data_dir, url: str, name: str, kind: str) -> dict:
    """Read one source's catalog now and remember it; kind is 'centre' or 'hub'."""
    seen = {"url": url.rstrip("/"), "name": name, "kind": kind, "checked_at": clock.iso(),
            "entries": None, "error": ""}
    try:
        seen["entries"] = fetch_catalog(url, timeout=LOOK_TIMEOUT_S)
    except PullError as error:
        seen["error"] = str(error)
    with _LOCK:
        _LOOKS.setdefault(str(data_dir), {})[seen["url"]] = seen
    return seen


def seen(data_dir, kind: str | None = None) -> list[dict]:
    """The sources looked at (of one kind), by name."""
    with _LOCK:
        found = list(_LOOKS.get(str(data_dir), {}).values())
    return sorted((s for s in found if kind in (None, s["kind"])), key=lambda s: s["name"])


def forget(data_dir, kind: str) -> None:
    """Drop the sources of one kind (before a new look for hubs nearby)."""
    with _LOCK:
        looks = _LOOKS.get(str(data_dir), {})
        for url in [u for u, s in looks.items() if s["kind"] == kind]:
            del looks[url]


def _pull_job(progress, settings: dict, pack_id: str, source: str) -> dict:
    from hub.catalog.packs.errors import PackRefused
    from hub.core.db import open_hub_db
    from hub.ops.jobs import JobFailed
    from sync.pack_pull import pull

    db = open_hub_db(settings["HUB_DATA_DIR"])
    try:
        done = pull(db, settings, pack_id, source,
                    progress=lambda got, size: progress(got / size if size else 1.0, pack_id))
        return {"id": done.pack_id, "version": done.version, "state": done.state}
    except (PullError, PackRefused) as error:  # the download row says why, for the console
        raise JobFailed(str(error)) from None
    finally:
        db.conn.close()


def start_pull(settings: dict, pack_id: str, source: str) -> str:
    """Pull one pack in the background (download, verify, install); the job's id."""
    return PULLS.submit("pull", pack_id, _pull_job, dict(settings), pack_id, source)
