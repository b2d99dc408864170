"""Sneakernet: waiting reports as a signed bundle file for a USB stick, read by `hub-central import`.

Each report inside is signed exactly as a push would sign it, so the central treats an import
exactly like a push (verify, validate, store idempotently). Exported reports stay in the
outbox until the central answers a push (then as duplicates): nothing is lost if the stick is.
"""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from sqlite_utils import Database

from sync import client, outbox, state, upstream

FORMAT = "hub-bundle/1"
SUFFIX = ".hubbundle"
MAX_BUNDLE_BYTES = 64 * 1024 * 1024


class BundleError(Exception):
    """A bundle file cannot be read; the message says why."""


def write(db: Database, settings: dict, folder: str | Path) -> tuple[Path, int]:
    """Write the waiting reports into FOLDER; return (file, number of reports)."""
    up = upstream.config(settings)
    if not (up["hub_id"] and up["secret"]):
        raise BundleError("HUB_ID: this hub is not registered; run `hub sync register` first")
    rows = outbox.pending(db)
    now = state.utc_now()
    reports = [{"report_id": r["report_id"], "revision": r["revision"],
                "body": base64.b64encode(bytes(r["body"])).decode("ascii"),
                "signature": client.sign(up["secret"], bytes(r["body"]))} for r in rows]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"hub-{up['hub_id']}-{now.strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump({"format": FORMAT, "hub_id": up["hub_id"], "created_at": state.iso(now),
                   "reports": reports}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    with db.atomic():
        for r in rows:
            outbox.mark_exported(db, r["report_id"], r["revision"], state.iso(now))
    return path, len(reports)


def read(path: str | Path) -> tuple[str, list[tuple[bytes, str]]]:
    """Read a bundle: (hub_id, [(body bytes, signature)]) or raise BundleError."""
    path = Path(path)
    if path.stat().st_size > MAX_BUNDLE_BYTES:
        raise BundleError(f"{path}: larger than {MAX_BUNDLE_BYTES // (1024 * 1024)} MB, not a hub bundle")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise BundleError(f"{path}: not a {FORMAT} file")
        items = [(base64.b64decode(r["body"], validate=True), str(r["signature"])) for r in data["reports"]]
        return str(data["hub_id"]), items
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path}: not a readable hub bundle ({exc})") from None
