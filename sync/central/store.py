"""The central's storage, behind one interface: hubs, users, heartbeats, reports and metric rows.

Two engines behind the same methods (sync.central.database): SQLite in HUB_CENTRAL_DATA_DIR by
default, PostgreSQL when HUB_CENTRAL_DATABASE_URL says so; one set of migrations for both.
Hub secrets are kept encrypted (Fernet, AES-128-CBC + HMAC) with a key file in the data dir:
HMAC verification needs the secret itself, so a one-way hash cannot be used. With PostgreSQL
the key file stays on the central's own disk, so a copy of the database alone reveals no secret.
Reports and their rows live in sync.central.report_store; dashboard sums in sync.central.figures.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from sync.central import database, migrations, report_group, report_store, week_sums
from sync.central.group_commit import GroupCommit
from sync.central.database import DB_NAME  # noqa: F401 - where the SQLite file lives
from sync.central.scope import Scope, hub_filter

log = logging.getLogger(__name__)

KEY_NAME = "hub-secrets.key"
HUB_FIELDS = ("name", "region", "partner")
SECRETS_KEPT = 20_000   # hub secrets kept decrypted in memory (about 100 bytes each)
GROUP_WRITERS = 2       # PostgreSQL: groups of reports written at once (sync.central.group_commit)
SECRET_SECONDS = 60.0   # how long a kept secret is trusted: another process may change a hub's key
# Week-sum changes recorded before they are folded into the sums (sync.central.week_sums): about
# 200 weekly reports. Fewer, and folds come often; more, and every page reads more changes.
FOLD_AFTER = 6_000


def period_kind(start: str, end: str) -> str:
    """"week" for a Monday-to-Sunday report (second wave), "day" for a first-wave daily one."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return "week" if first.weekday() == 0 and (last - first).days == 6 else "day"


def _private_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


@dataclass
class User:
    """A dashboard user: an admin (no scope) or scoped to one region or one partner."""

    username: str
    password_hash: str
    region: str = ""
    partner: str = ""

    @property
    def scope(self) -> Scope:
        """Which hubs this user may see."""
        return Scope(region=self.region, partner=self.partner)

    @property
    def is_admin(self) -> bool:
        """An unscoped user sees every hub and manages hubs and users."""
        return self.scope.everything


class Store:
    """One central database (thread-safe: one connection per thread)."""

    def __init__(self, data_dir: str | Path, database_url: str | None = None, now: str | None = None):
        from sync import state

        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        key = self.dir / KEY_NAME
        if not key.exists():
            try:
                _private_file(key, Fernet.generate_key())
            except FileExistsError:
                pass  # another process made it first
        self._box = Fernet(key.read_bytes().strip())
        # Every report needs its hub's secret: kept here, a report costs no round trip and no decryption.
        self._secrets: dict[str, tuple[float, str]] = {}
        self._secrets_lock = threading.Lock()
        # A fleet's hubs each report once a week, so the secret kept from the last report is long
        # gone: every hub's sealed secret is read in one query, at most once a minute, instead of
        # one query per report (each opened only when its hub reports).
        self._boxes: tuple[float, dict[str, bytes]] = (-SECRET_SECONDS, {})
        self._boxes_lock = threading.Lock()
        self.db = database.connect(self.dir, database_url)
        self.path = getattr(self.db, "path", None)
        migrations.migrate(self.db, now or state.iso(state.utc_now()))
        # Reports arriving together share one transaction and one durable commit.
        self._reports = GroupCommit(lambda items: report_group.save_group(self.db, items),
                                    writers=GROUP_WRITERS if self.db.dialect == "postgresql" else 1)
        self._unfolded = 0  # week-sum changes this process recorded since its last fold (about)
        self._folding = threading.Lock()

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.db.dialect

    def close(self) -> None:
        """Close every connection."""
        self.db.close()

    # hubs ---------------------------------------------------------------------------------
    def add_hub(self, hub_id: str, secret: str, now: str, name: str = "", region: str = "",
                partner: str = "") -> bool:
        """Register a hub with its secret (encrypted); False when the id is taken."""
        rows = self.db.execute(
            "INSERT INTO hubs (hub_id, secret_box, created_at, name, region, partner) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (hub_id) DO NOTHING RETURNING hub_id",
            [hub_id, self._box.encrypt(secret.encode()), now, name, region, partner])
        self.forget_secret(hub_id)
        return bool(rows)

    def update_hub(self, hub_id: str, name: str, region: str, partner: str) -> bool:
        """Change a hub's name, region and partner (its week sums move with it); False when there is no such hub."""
        with self.db.tx():
            old = self.db.execute("SELECT region, partner FROM hubs WHERE hub_id = ?", [hub_id])
            if not old:
                return False
            self.db.execute("UPDATE hubs SET name = ?, region = ?, partner = ? WHERE hub_id = ?",
                            [name, region, partner, hub_id])
            week_sums.move_hub(self.db, hub_id, tuple(old[0]), (region, partner))
        return True

    def hub_secret(self, hub_id: str, fresh: bool = False) -> str | None:
        """The secret of a registered hub, or None (from memory for a minute, unless `fresh`)."""
        kept = None if fresh else self._secrets.get(hub_id)
        if kept is not None and time.monotonic() - kept[0] < SECRET_SECONDS:
            return kept[1]
        box = None if fresh else self._sealed_secrets().get(hub_id)
        if box is None:  # asked afresh, or a hub added since the last read of them all
            rows = self.db.execute("SELECT secret_box FROM hubs WHERE hub_id = ?", [hub_id])
            box = bytes(rows[0][0]) if rows else None
        secret = self._box.decrypt(box).decode() if box is not None else None
        with self._secrets_lock:
            if secret is None:
                self._secrets.pop(hub_id, None)
                return None
            if len(self._secrets) >= SECRETS_KEPT and hub_id not in self._secrets:
                self._secrets.pop(next(iter(self._secrets)))  # the oldest kept
            self._secrets[hub_id] = (time.monotonic(), secret)
        return secret

    def _sealed_secrets(self) -> dict[str, bytes]:
        """Every hub's sealed secret, read again when a minute old (none past SECRETS_KEPT hubs)."""
        with self._boxes_lock:
            read_at, boxes = self._boxes
            if time.monotonic() - read_at >= SECRET_SECONDS:
                rows = self.db.execute("SELECT hub_id, secret_box FROM hubs LIMIT ?", [SECRETS_KEPT + 1])
                boxes = {hub_id: bytes(box) for hub_id, box in rows} if len(rows) <= SECRETS_KEPT else {}
                self._boxes = (time.monotonic(), boxes)
            return boxes

    def forget_secret(self, hub_id: str) -> None:
        """Drop a kept secret: call it wherever a hub's key is written."""
        with self._secrets_lock:
            self._secrets.pop(hub_id, None)
        with self._boxes_lock:
            self._boxes[1].pop(hub_id, None)  # this hub's read afresh; the other hubs' stay kept

    def hubs(self, scope: Scope | None = None, *, counts: bool = True, limit: int | None = None,
             **filters) -> list[dict]:
        """Hubs in scope with their place, partner, last report and refusal, and last heartbeat (the first `limit`)."""
        where, params = hub_filter(scope, **filters)
        if limit is not None:
            params = [*params, limit]
        count = ("(SELECT count(*) FROM reports r WHERE r.hub_id = h.hub_id), "
                 "(SELECT max(r.period_end) FROM reports r WHERE r.hub_id = h.hub_id)") if counts else "NULL, NULL"
        rows = self.db.execute(
            f"SELECT h.hub_id, h.name, h.region, h.partner, h.created_at, h.last_report_at, "
            f"h.last_refused_at, h.last_refused_reason, {count}, b.received_at, b.version, b.packs, "
            f"b.disk_free_mb, b.last_event_day FROM hubs h LEFT JOIN heartbeats b ON b.hub_id = h.hub_id "
            f"WHERE {where} ORDER BY h.hub_id{' LIMIT ?' if limit is not None else ''}", params)
        return [{"hub_id": r[0], "name": r[1], "region": r[2], "partner": r[3], "created_at": r[4],
                 "last_report_at": r[5], "last_refused_at": r[6], "last_refused_reason": r[7],
                 "reports": r[8], "newest_period": r[9],
                 "heartbeat": None if r[10] is None else {
                     "received_at": r[10], "version": r[11], "packs": json.loads(r[12]),
                     "disk_free_mb": r[13], "last_event_day": r[14]}} for r in rows]

    def hub_names(self, scope: Scope | None = None, limit: int | None = None, **filters) -> tuple[int, dict]:
        """(how many hubs are in scope, {hub_id: name or id} of the first `limit` of them): cheap for pickers."""
        where, params = hub_filter(scope, **filters)
        (count,), = self.db.execute(f"SELECT count(*) FROM hubs h WHERE {where}", params)
        if limit is not None and count > limit:
            return count, {}
        rows = self.db.execute(f"SELECT h.hub_id, h.name FROM hubs h WHERE {where} ORDER BY h.hub_id", params)
        return count, {hub_id: name or hub_id for hub_id, name in rows}

    def hub(self, hub_id: str, scope: Scope | None = None) -> dict | None:
        """One hub in scope, or None."""
        found = self.hubs(scope, hub=hub_id)
        return found[0] if found else None

    def places(self) -> dict:
        """The regions and partners hubs are registered with (for pickers)."""
        rows = self.db.execute("SELECT DISTINCT region, partner FROM hubs")
        return {"regions": sorted({r for r, _ in rows if r}), "partners": sorted({p for _, p in rows if p})}

    def note_refusal(self, hub_id: str, at: str, reason: str) -> None:
        """Remember that a signed report from this hub was refused (for the alerts)."""
        self.db.execute("UPDATE hubs SET last_refused_at = ?, last_refused_reason = ? WHERE hub_id = ?",
                        [at, reason[:500], hub_id])

    # heartbeats ---------------------------------------------------------------------------
    def save_heartbeat(self, hub_id: str, beat: dict, received_at: str) -> None:
        """Keep a hub's newest heartbeat (an older one arriving late changes nothing)."""
        self.db.execute(
            "INSERT INTO heartbeats (hub_id, received_at, sent_at, version, packs, disk_free_mb, last_event_day) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hub_id) DO UPDATE SET received_at = excluded.received_at, "
            "sent_at = excluded.sent_at, version = excluded.version, packs = excluded.packs, "
            "disk_free_mb = excluded.disk_free_mb, last_event_day = excluded.last_event_day "
            "WHERE heartbeats.sent_at <= excluded.sent_at",
            [hub_id, received_at, beat["sent_at"], beat["version"], json.dumps(beat["packs"]),
             beat.get("disk_free_mb"), beat.get("last_event_day")])

    # users --------------------------------------------------------------------------------
    def set_user(self, username: str, password_hash: str, now: str, region: str = "", partner: str = "") -> None:
        """Create a dashboard user, or change their password hash and scope."""
        self.db.execute(
            "INSERT INTO users (username, password_hash, created_at, region, partner) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, "
            "region = excluded.region, partner = excluded.partner",
            [username, password_hash, now, region, partner])

    def set_scope(self, username: str, region: str, partner: str) -> bool:
        """Change which hubs a user sees; False when there is no such user."""
        return bool(self.db.execute("UPDATE users SET region = ?, partner = ? WHERE username = ? RETURNING username",
                                    [region, partner, username]))

    def remove_user(self, username: str) -> bool:
        """Remove a user; False when there was none."""
        return bool(self.db.execute("DELETE FROM users WHERE username = ? RETURNING username", [username]))

    def user(self, username: str) -> User | None:
        """A user by name, or None."""
        rows = self.db.execute("SELECT username, password_hash, region, partner FROM users WHERE username = ?",
                               [username])
        return User(*rows[0]) if rows else None

    def users(self) -> list[User]:
        """Every dashboard user, by name."""
        return [User(*r) for r in self.db.execute(
            "SELECT username, password_hash, region, partner FROM users ORDER BY username")]

    def password_hash(self, username: str) -> str | None:
        """A user's password hash, or None."""
        found = self.user(username)
        return found.password_hash if found else None

    # reports ------------------------------------------------------------------------------
    def save_report(self, hub_id: str, report: dict, received_at: str) -> str:
        """Store a valid report: 'stored', 'duplicate' (same revision) or 'superseded' (older).

        Answers only once the report is committed (with the reports that arrived with it).
        """
        answer = self._reports.submit((hub_id, report, received_at))
        if answer == "stored":
            self._unfolded += len(report["metrics"])  # a lost count under a race only delays a fold
            if self._unfolded >= FOLD_AFTER:
                try:
                    self.fold_week_sums()
                except Exception:  # noqa: BLE001 - the report is committed; its changes wait for the next fold
                    log.exception("folding the week sums failed; the changes stay recorded")
        return answer

    def fold_week_sums(self) -> None:
        """Add the recorded week-sum changes into the sums (one fold at a time; skipped while one runs)."""
        if not self._folding.acquire(blocking=False):
            return
        try:
            self._unfolded = 0
            week_sums.fold(self.db)
        finally:
            self._folding.release()

    def rows(self, metric: str | None = None, hub_id: str | None = None, *, since: str | None = None,
             scope: Scope | None = None, region: str | None = None, partner: str | None = None) -> list[dict]:
        """Stored metric rows in the export shape, filtered (and limited to the scope)."""
        return report_store.rows(self.db, metric=metric, hub_id=hub_id, since=since, scope=scope,
                                 region=region, partner=partner)
