"""The central as a pack catalog: trusted publisher keys, published pack zips, the catalog.

Kept apart from the report store (sync.central.store): its own SQLite file, packs.db, beside
the published zips in HUB_CENTRAL_DATA_DIR/packs/<id>/<version>.zip, so that the index and
the files it names live on one disk whatever database the reports use. A publish checks the
whole pack (the hub's own validator) and its signature against the keys the centre trusts,
copies the zip in under a temporary name, fsyncs it, renames it into place and only then
records it: a killed publish leaves nothing listed. A version once published never changes
its bytes: publishing it again with other bytes is refused.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from hub.catalog.packs import sign
from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.source import open_source
from hub.catalog.packs.validate import SIGNATURE_FILE, validate
from hub.catalog.versions import version_key
from hub.core import clock
from hub.core.digest import file_sha256

DB_NAME = "packs.db"
FOLDER = "packs"
CHUNK = 1024 * 1024
SCHEMA = """
CREATE TABLE IF NOT EXISTS publisher_keys (
    fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, public_key TEXT NOT NULL,
    added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS published_packs (
    id TEXT NOT NULL, version TEXT NOT NULL, title TEXT NOT NULL, languages TEXT NOT NULL,
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, signed_by TEXT NOT NULL,
    published_at TEXT NOT NULL, PRIMARY KEY (id, version));
"""


@dataclass(frozen=True)
class Published:
    """What publish() did: the pack, its version, its bytes' hash, and whether it was new."""

    pack_id: str
    version: str
    sha256: str
    size: int
    signed_by: str
    new: bool


class PackCatalog:
    """The centre's published packs (thread-safe: one connection per thread)."""

    def __init__(self, data_dir):
        self.dir = Path(data_dir)
        self.files = self.dir / FOLDER
        self.files.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.dir / DB_NAME, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
        return conn

    # keys ---------------------------------------------------------------------------------
    def trust(self, pem: bytes, name: str) -> dict:
        """Trust a publisher's Ed25519 public key; ValueError on a bad key or a taken name."""
        key = sign.load_public_pem(pem)
        name = (name or "").strip()
        if not name:
            raise ValueError("a key needs a name (--name)")
        fp = sign.fingerprint(key)
        row = self._conn().execute("SELECT name FROM publisher_keys WHERE fingerprint = ? OR name = ?",
                                   [fp, name]).fetchone()
        if row:
            raise ValueError(f"already trusted as {row[0]}" if row[0] != name else f"the name {name} is taken")
        self._conn().execute("INSERT INTO publisher_keys VALUES (?, ?, ?, ?)",
                             [fp, name, pem.decode("ascii", "replace"), clock.iso()])
        return {"name": name, "fingerprint": fp}

    def trusted(self) -> dict[str, str]:
        """fingerprint -> name of every trusted publisher key."""
        return dict(self._conn().execute("SELECT fingerprint, name FROM publisher_keys"))

    # publishing ---------------------------------------------------------------------------
    def _signer(self, path: Path) -> tuple[dict, str]:
        """The manifest and the trusted signer's name of a valid pack zip; PackRefused otherwise."""
        if not path.is_file():
            raise PackRefused([Problem(str(path), "is not a pack .zip file")])
        problems = validate(path)
        if problems:
            raise PackRefused(problems)
        source = open_source(path)
        try:
            raw = source.read("pack.json", 1 << 26)
            blob = source.read(SIGNATURE_FILE, 4096)
        finally:
            source.close()
        if blob is None:
            raise PackRefused([Problem(SIGNATURE_FILE, "is missing: the centre publishes signed packs only")])
        try:
            verdict = sign.verify(self.trusted(), raw, blob)
        except sign.BadSignature as bad:
            raise PackRefused([Problem(SIGNATURE_FILE, str(bad))]) from None
        if not verdict.trusted:
            raise PackRefused([Problem(SIGNATURE_FILE, f"is by key {sign.short(verdict.fingerprint)}, which "
                                       "the centre does not trust (hub-central keys trust PUB.pem --name NAME)")])
        return json.loads(raw), verdict.name

    def publish(self, path) -> Published:
        """Publish a signed pack zip; refused when untrusted, invalid, or a changed re-publish."""
        path = Path(path)
        if path.is_dir():
            raise PackRefused([Problem(str(path), "is a folder; publish the .zip (hub packs build)")])
        manifest, signer = self._signer(path)
        size, digest = file_sha256(path)
        pack_id, version = manifest["id"], manifest["version"]
        row = self._conn().execute("SELECT sha256 FROM published_packs WHERE id = ? AND version = ?",
                                   [pack_id, version]).fetchone()
        if row and row[0] == digest:
            return Published(pack_id, version, digest, size, signer, False)
        if row:
            raise PackRefused([Problem(str(path), f"{pack_id} {version} is published already with other "
                                       "bytes; a changed pack needs a higher version")])
        target = self.zip_path(pack_id, version)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{uuid.uuid4().hex}.partial")
        try:
            with open(path, "rb") as src, open(partial, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
                dst.flush()
                os.fsync(dst.fileno())
            if file_sha256(partial) != (size, digest):
                raise PackRefused([Problem(str(path), "changed while it was being copied; publish it again")])
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        self._conn().execute(
            "INSERT INTO published_packs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [pack_id, version, json.dumps(manifest.get("title") or {}, ensure_ascii=False),
             json.dumps(manifest.get("languages") or []), size, digest, signer, clock.iso()])
        return Published(pack_id, version, digest, size, signer, True)

    def zip_path(self, pack_id: str, version: str) -> Path:
        """Where one published version's zip lives."""
        return self.files / pack_id / f"{version}.zip"

    # reading ------------------------------------------------------------------------------
    def all_versions(self) -> list[dict]:
        """Every published version, by id then version (newest last)."""
        cursor = self._conn().execute("SELECT id, version, title, languages, size, sha256, signed_by, "
                                      "published_at FROM published_packs")
        rows = [{"id": i, "version": v, "title": json.loads(t), "languages": json.loads(lang),
                 "size": s, "sha256": h, "signed_by": b, "published_at": p}
                for i, v, t, lang, s, h, b, p in cursor]
        return sorted(rows, key=lambda r: (r["id"], version_key(r["version"])))

    def latest(self) -> list[dict]:
        """The newest published version of each pack, by id."""
        newest: dict[str, dict] = {}
        for row in self.all_versions():
            newest[row["id"]] = row  # sorted: the last one of an id is its newest
        return list(newest.values())

    def latest_of(self, pack_id: str) -> dict | None:
        """The newest published version of one pack, or None."""
        return next((row for row in self.latest() if row["id"] == pack_id), None)

    def catalog(self) -> dict:
        """The /api/v1/catalog document (urls relative to the catalog's own address)."""
        return {"packs": [{"id": r["id"], "version": r["version"], "title": r["title"],
                           "languages": r["languages"], "size": r["size"], "sha256": r["sha256"],
                           "url": f"packs/{r['id']}.zip"} for r in self.latest()]}
