"""Pack downloads on this hub: their rows (pack_downloads), staging files and daily bytes.

The staging file of a download is HUB_DATA_DIR/downloads/<sha256>.part, named by the bytes
it must end up as, so a pull resumes it whichever source (centre or peer) offers that same
sha256, in this process or after a restart. Once its whole sha256 checks it becomes
<sha256>.zip. Owns the tables pack_downloads and pack_bytes_daily.
"""
from __future__ import annotations

import json
from pathlib import Path

from hub.core import clock

FOLDER = "downloads"
_COLUMNS = ("pack_id, version, title, source, url, sha256, size, received, state, error, started_at, "
            "updated_at")
COLUMNS = tuple(_COLUMNS.split(", "))


def folder(data_dir) -> Path:
    """HUB_DATA_DIR/downloads, created when needed."""
    path = Path(data_dir) / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def part_path(data_dir, sha256: str) -> Path:
    """The staging file of a download that must end up with this sha256."""
    return folder(data_dir) / f"{sha256}.part"


def done_path(data_dir, sha256: str) -> Path:
    """A downloaded, verified zip waiting to be installed."""
    return folder(data_dir) / f"{sha256}.zip"


def _decode(row) -> dict:
    found = dict(zip(COLUMNS, row))
    found["title"] = json.loads(found["title"] or "{}")
    return found


def get(db, pack_id: str) -> dict | None:
    """One pack's download row, or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM pack_downloads WHERE pack_id = ?",
                     [pack_id]).fetchone()
    return _decode(row) if row else None


def all_rows(db) -> list[dict]:
    """Every download row, newest first."""
    cursor = db.execute(f"SELECT {_COLUMNS} FROM pack_downloads ORDER BY updated_at DESC, pack_id")
    return [_decode(row) for row in cursor]


def start(db, entry: dict, source: str, received: int) -> None:
    """Record that `entry` (a catalog row with an absolute url) is being downloaded."""
    now = clock.iso()
    db.execute(
        "INSERT INTO pack_downloads (pack_id, version, title, source, url, sha256, size, received, "
        "state, error, started_at, updated_at) VALUES (?,?,?,?,?,?,?,?,'downloading','',?,?) "
        "ON CONFLICT(pack_id) DO UPDATE SET version = excluded.version, title = excluded.title, "
        "source = excluded.source, url = excluded.url, sha256 = excluded.sha256, size = excluded.size, "
        "received = excluded.received, state = 'downloading', error = '', updated_at = excluded.updated_at, "
        "started_at = CASE WHEN pack_downloads.sha256 = excluded.sha256 THEN pack_downloads.started_at "
        "ELSE excluded.started_at END",
        [entry["id"], entry["version"], json.dumps(entry.get("title") or {}, ensure_ascii=False), source,
         entry["url"], entry["sha256"], int(entry["size"]), received, now, now])


def progress(db, pack_id: str, received: int) -> None:
    """How many bytes are on disk now."""
    db.execute("UPDATE pack_downloads SET received = ?, updated_at = ? WHERE pack_id = ?",
               [received, clock.iso(), pack_id])


def finish(db, pack_id: str, state: str, error: str = "", received: int | None = None) -> None:
    """Set the final state of an attempt: downloaded, installed or failed (with why)."""
    db.execute("UPDATE pack_downloads SET state = ?, error = ?, received = coalesce(?, received), "
               "updated_at = ? WHERE pack_id = ?", [state, error[:500], received, clock.iso(), pack_id])


def add_bytes(db, day: str, count: int) -> None:
    """Count bytes fetched on a day (the daily budget of metered links)."""
    if count > 0:
        db.execute("INSERT INTO pack_bytes_daily (day, bytes) VALUES (?, ?) "
                   "ON CONFLICT(day) DO UPDATE SET bytes = bytes + excluded.bytes", [day, count])


def bytes_on(db, day: str) -> int:
    """Bytes fetched on a day."""
    row = db.execute("SELECT bytes FROM pack_bytes_daily WHERE day = ?", [day]).fetchone()
    return int(row[0]) if row else 0
