"""Learner profiles, PINs and groups (tables learners, groups, group_members).

No Flask here: every function takes a sqlite_utils.Database. Refusals raise LearnerError (a
ValueError) with an English `field: why` message that views turn into the UI language.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import sqlite3
import unicodedata

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from hub.core import clock
from hub.learning import hub_clock, progress

# The bundled avatar icons (hub/static/avatars/<name>.svg).
AVATARS = ("cat", "owl", "fish", "turtle", "bird", "sun", "tree", "star", "dog", "rabbit", "lion",
           "elephant", "frog", "bee", "butterfly", "moon", "flower", "mango", "ball", "boat",
           "drum", "house", "kite", "heart")
NAME_MAX = 40
GROUP_NAME_MAX = 60
PIN_LENGTH = 4
PIN_RE = re.compile(rf"[0-9]{{{PIN_LENGTH}}}")
# Ten thousand PINs: five wrong tries lock the profile, each further lockout twice as long.
PIN_MAX_FAILURES = 5
PIN_LOCK_SECONDS = 300
PIN_LOCK_MAX_SECONDS = 24 * 3600

_COLUMNS = "id, actor, name, avatar, language, pin_hash IS NOT NULL AS has_pin, " \
           "checkin_declined, created_at, last_seen_at, reads"
MAX_READS = 4  # languages a learner orders; more says nothing a fallback would use
_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


class LearnerError(ValueError):
    """A refused change (bad name, taken name, bad PIN); the message is `field: why`."""


class PinLocked(Exception):
    """Too many wrong PINs: the profile is locked for `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"pin: locked for {retry_after} s after too many wrong tries")
        self.retry_after = retry_after


def clean_name(name, max_length: int = NAME_MAX) -> str:
    """Return a display name with spaces tidied, or raise LearnerError."""
    if not isinstance(name, str):
        raise LearnerError("name: must be text")
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise LearnerError("name: must not be empty")
    if len(name) > max_length:
        raise LearnerError(f"name: must be at most {max_length} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise LearnerError("name: must not contain control characters")
    return name


def _check_pin(pin) -> str:
    if not isinstance(pin, str) or not PIN_RE.fullmatch(pin):
        raise LearnerError(f"pin: must be exactly {PIN_LENGTH} digits")
    return pin


def _row(cursor) -> dict | None:
    row = cursor.fetchone()
    if row is None:
        return None
    names = [d[0] for d in cursor.description]
    return _decode(dict(zip(names, row)))


def _decode(learner: dict) -> dict:
    if "pin_hash" in learner:  # one learner (get_learner), whom a browser may sign in as
        # A fingerprint of the PIN's hash (never the hash) lets a sign-in end when the PIN changes.
        learner["session_key"] = hashlib.sha256((learner.pop("pin_hash") or "").encode()).hexdigest()[:16]
    learner["has_pin"] = bool(learner["has_pin"])
    learner["checkin_declined"] = bool(learner["checkin_declined"])
    learner["reads"] = [tag for tag in (learner.get("reads") or "").split(",") if tag]
    return learner


def _name_taken(db: Database, name: str, except_id: int | None = None) -> bool:
    row = db.execute("SELECT id FROM learners WHERE name = ? COLLATE NOCASE AND id IS NOT ?",
                     [name, except_id]).fetchone()
    return row is not None


def create_learner(db: Database, name, *, avatar=None, language=None, pin=None) -> dict:
    """Add a learner profile and return it (as get_learner does)."""
    name = clean_name(name)
    if avatar is None:
        avatar = AVATARS[secrets.randbelow(len(AVATARS))]
    if avatar not in AVATARS:
        raise LearnerError(f"avatar: must be one of {', '.join(AVATARS)}")
    if language is not None and (not isinstance(language, str)
                                 or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", language)):
        raise LearnerError("language: must be a language tag such as 'sw' or 'pt-BR'")
    pin_hash = generate_password_hash(_check_pin(pin)) if pin is not None else None
    if _name_taken(db, name):
        raise LearnerError("name: that name is taken already")
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO learners (actor, name, avatar, language, pin_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ["L" + secrets.token_hex(12), name, avatar, language, pin_hash, clock.iso()])
    return get_learner(db, cursor.lastrowid)


def get_learner(db: Database, learner_id) -> dict | None:
    """Return one learner (id, actor, name, avatar, language, has_pin, session_key, ...) or None."""
    return _row(db.execute(f"SELECT {_COLUMNS}, pin_hash FROM learners WHERE id = ?", [learner_id]))


def rename_learner(db: Database, learner_id: int, name) -> None:
    """Change a learner's display name."""
    name = clean_name(name)
    if _name_taken(db, name, learner_id):
        raise LearnerError("name: that name is taken already")
    db.execute("UPDATE learners SET name = ? WHERE id = ?", [name, learner_id])


def update_learner(db: Database, learner_id: int, *, avatar=None, language=None) -> None:
    """Change a learner's avatar and/or preferred language (the learner's own choice)."""
    if avatar is not None:
        if avatar not in AVATARS:
            raise LearnerError(f"avatar: must be one of {', '.join(AVATARS)}")
        db.execute("UPDATE learners SET avatar = ? WHERE id = ?", [avatar, learner_id])
    if language is not None:
        db.execute("UPDATE learners SET language = ? WHERE id = ?", [language or None, learner_id])


def set_reads(db: Database, learner_id: int, tags) -> list[str]:
    """Store the languages a learner reads, in order ("kn", then "en"); return what was kept.

    Blanks and repeats are dropped; a tag that is not a language tag, or more than
    MAX_READS of them, is refused (LearnerError) and nothing changes.
    """
    kept: list[str] = []
    for tag in tags:
        tag = (tag or "").strip()
        if not tag:
            continue
        if not isinstance(tag, str) or not _TAG.fullmatch(tag):
            raise LearnerError("reads: must be language tags such as 'kn' or 'pt-BR'")
        if tag.lower() not in (k.lower() for k in kept):
            kept.append(tag)
    if len(kept) > MAX_READS:
        raise LearnerError(f"reads: at most {MAX_READS} languages")
    db.execute("UPDATE learners SET reads = ? WHERE id = ?", [",".join(kept) or None, learner_id])
    return kept


def delete_learner(db: Database, learner_id: int) -> None:
    """Remove a profile with its memberships and progress; events keep only the opaque actor."""
    learner = get_learner(db, learner_id)
    if learner is None:
        return
    with db.atomic():
        progress.forget(db, learner["actor"])
        hub_clock.forget(db, learner["actor"])
        db.execute("DELETE FROM group_members WHERE learner_id = ?", [learner_id])
        db.execute("DELETE FROM learners WHERE id = ?", [learner_id])


def set_pin(db: Database, learner_id: int, pin_or_none) -> None:
    """Set a new 4-digit PIN (stored hashed), or remove it with None; clears any lockout.

    Every browser signed in to the profile is signed out (its session_key no longer matches):
    a PIN is changed because someone else knew it."""
    pin_hash = generate_password_hash(_check_pin(pin_or_none)) if pin_or_none is not None else None
    db.execute("UPDATE learners SET pin_hash = ?, pin_failures = 0, pin_locked_until = NULL "
               "WHERE id = ?", [pin_hash, learner_id])




def check_pin(db: Database, learner_id: int, pin, *, now: dt.datetime | None = None) -> bool:
    """True when `pin` opens the profile (always true without a PIN); raises PinLocked.

    Failures are counted in the database, per profile, so a lockout survives restarts and
    holds across devices: after PIN_MAX_FAILURES wrong tries the profile is locked, and each
    further wrong try while counting locks it twice as long as the one before.
    """
    now = now or clock.now()
    # Counting a try and deciding on a lockout is ONE statement: parallel guessers are
    # serialized by SQLite's write lock, so no more wrong PINs are ever checked than the limit.
    # A try is counted before its PIN is checked; a right PIN then clears the count.
    claimed = db.execute(
        "UPDATE learners SET pin_failures = pin_failures + 1, pin_locked_until = "
        "  CASE WHEN pin_failures + 1 >= :max THEN strftime('%Y-%m-%dT%H:%M:%SZ', :now, "
        "    '+' || min(:base << min(pin_failures + 1 - :max, 16), :cap) || ' seconds') "
        "  ELSE NULL END "
        "WHERE id = :id AND pin_hash IS NOT NULL "
        "  AND (pin_locked_until IS NULL OR pin_locked_until <= :now) "
        "RETURNING pin_hash, pin_locked_until",
        {"max": PIN_MAX_FAILURES, "now": clock.iso(now), "base": PIN_LOCK_SECONDS,
         "cap": PIN_LOCK_MAX_SECONDS, "id": learner_id}).fetchone()
    if claimed is None:  # no such profile, no PIN, or locked: nothing was counted
        row = db.execute("SELECT pin_hash, pin_locked_until FROM learners WHERE id = ?",
                         [learner_id]).fetchone()
        if row is None:
            return False
        if row[0] is None:
            return True
        raise PinLocked(max(1, int((clock.parse(row[1]) - now).total_seconds()) + 1))
    pin_hash, locked = claimed
    if isinstance(pin, str) and PIN_RE.fullmatch(pin) and check_password_hash(pin_hash, pin):
        db.execute("UPDATE learners SET pin_failures = 0, pin_locked_until = NULL WHERE id = ?",
                   [learner_id])
        return True
    if locked:
        raise PinLocked(int((clock.parse(locked) - now).total_seconds()))
    return False


def touch(db: Database, learner_id: int) -> None:
    """Note that the learner was seen now (sign-in)."""
    db.execute("UPDATE learners SET last_seen_at = ? WHERE id = ?", [clock.iso(), learner_id])


def find_by_name(db: Database, name) -> dict | None:
    """The learner whose name is exactly `name` (case aside), or None: no partial matches, so a
    hub that lists no names does not give them away to someone typing a letter."""
    name = " ".join(str(name or "").split())
    if not name:
        return None
    row = db.execute("SELECT id FROM learners WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    return get_learner(db, row[0]) if row else None


def list_learners(db: Database, *, group_id=None, q=None, no_group=False) -> list[dict]:
    """Learners by name, optionally only one group's (or those in no group), optionally
    matching a name search."""
    sql = f"SELECT {_COLUMNS} FROM learners"
    where, params = [], []
    if no_group:
        where.append("id NOT IN (SELECT learner_id FROM group_members)")
    if group_id is not None:
        where.append("id IN (SELECT learner_id FROM group_members WHERE group_id = ?)")
        params.append(group_id)
    if q:
        where.append("name LIKE ? ESCAPE '\\' COLLATE NOCASE")
        params.append("%" + re.sub(r"([%_\\])", r"\\\1", q.strip()) + "%")
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = db.execute(sql + " ORDER BY name COLLATE NOCASE, id", params)
    names = [d[0] for d in cursor.description]
    learners = []
    for row in cursor.fetchall():
        learners.append(_decode(dict(zip(names, row))))
    return learners


def has_ungrouped(db: Database) -> bool:
    """True when at least one learner is in no group (the sign-in list's "everyone else")."""
    return db.execute("SELECT 1 FROM learners WHERE id NOT IN "
                      "(SELECT learner_id FROM group_members) LIMIT 1").fetchone() is not None


def create_group(db: Database, name) -> dict:
    """Add a group (class, club) and return it as {id, name}."""
    name = clean_name(name, GROUP_NAME_MAX)
    try:
        cursor = db.execute("INSERT INTO groups (name) VALUES (?)", [name])
    except sqlite3.IntegrityError:
        raise LearnerError("name: a group with that name exists already") from None
    return {"id": cursor.lastrowid, "name": name}


def rename_group(db: Database, group_id: int, name) -> None:
    """Change a group's name."""
    name = clean_name(name, GROUP_NAME_MAX)
    try:
        db.execute("UPDATE groups SET name = ? WHERE id = ?", [name, group_id])
    except sqlite3.IntegrityError:
        raise LearnerError("name: a group with that name exists already") from None


def delete_group(db: Database, group_id: int) -> None:
    """Remove a group; its learners stay."""
    with db.atomic():
        db.execute("DELETE FROM group_members WHERE group_id = ?", [group_id])
        db.execute("DELETE FROM groups WHERE id = ?", [group_id])


def list_groups(db: Database) -> list[dict]:
    """Groups by name, each with its member count."""
    rows = db.execute(
        "SELECT g.id, g.name, count(m.learner_id) FROM groups g "
        "LEFT JOIN group_members m ON m.group_id = g.id "
        "GROUP BY g.id ORDER BY g.name COLLATE NOCASE").fetchall()
    return [{"id": i, "name": n, "members": c} for i, n, c in rows]


def get_group(db: Database, group_id: int) -> dict | None:
    """One group with its member count, or None."""
    row = db.execute(
        "SELECT g.id, g.name, count(m.learner_id) FROM groups g "
        "LEFT JOIN group_members m ON m.group_id = g.id WHERE g.id = ? GROUP BY g.id",
        [group_id]).fetchone()
    return {"id": row[0], "name": row[1], "members": row[2]} if row else None


def groups_of(db: Database, learner_id: int) -> list[dict]:
    """The groups a learner belongs to, by name (one query, with member counts)."""
    rows = db.execute(
        "SELECT g.id, g.name, (SELECT count(*) FROM group_members c WHERE c.group_id = g.id) "
        "FROM groups g JOIN group_members m ON m.group_id = g.id AND m.learner_id = ? "
        "ORDER BY g.name COLLATE NOCASE", [learner_id]).fetchall()
    return [{"id": i, "name": n, "members": c} for i, n, c in rows]


def add_to_group(db: Database, group_id: int, learner_id: int) -> None:
    """Make a learner a member of a group (no-op when already)."""
    db.execute("INSERT OR IGNORE INTO group_members (group_id, learner_id) VALUES (?, ?)",
               [group_id, learner_id])


def remove_from_group(db: Database, group_id: int, learner_id: int) -> None:
    """Take a learner out of a group."""
    db.execute("DELETE FROM group_members WHERE group_id = ? AND learner_id = ?",
               [group_id, learner_id])


def decline_checkins(db: Database, learner_id: int, declined: bool = True) -> None:
    """Stop (or resume) offering well-being check-ins to this learner."""
    db.execute("UPDATE learners SET checkin_declined = ? WHERE id = ?", [int(declined), learner_id])


def mark_checkin_offered(db: Database, learner_id: int, day: str) -> None:
    """Remember that the check-in of `day` (YYYY-MM-DD, hub time) was offered."""
    db.execute("UPDATE learners SET checkin_offered_on = ? WHERE id = ?", [day, learner_id])


def mark_seen(db, actor: str, when: str) -> None:
    """Note when a learner was last active (inside the caller's transaction; db or connection)."""
    db.execute("UPDATE learners SET last_seen_at = ? WHERE actor = ?", [when, actor])
