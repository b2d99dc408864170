"""Facilitator accounts: create, sign in (limited by hub.accounts.login_limits), roles."""
from __future__ import annotations

import functools
import hashlib
import hmac
import re

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from hub.accounts import login_limits
from hub.core import clock

ROLES = ("admin", "facilitator")
USERNAME_MIN, USERNAME_MAX = 2, 64
USERNAME_RE = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._@-]{{{USERNAME_MIN - 1},{USERNAME_MAX - 1}}}$")
MIN_PASSWORD = 8


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so a wrong name costs as long as a wrong
    password. Made on first use, not at import: one scrypt hash took 0.6 s of every start-up
    and 32 MB of scrypt memory (docs/performance.md)."""
    return generate_password_hash("not a real password, only for timing")


class FacilitatorError(ValueError):
    """A refused account change; str() is a `field: why` line in English."""

    def __init__(self, field: str, why: str):
        super().__init__(f"{field}: {why}")
        self.field = field
        self.why = why


def _public(row) -> dict | None:
    if row is None:
        return None
    keys = ("id", "username", "role", "created_at", "last_login_at", "password_hash")
    record = dict(zip(keys, row))
    # A fingerprint of the hash lets a session end when the password changes.
    record["session_key"] = hashlib.sha256(record.pop("password_hash").encode()).hexdigest()[:16]
    return record


_COLUMNS = "id, username, role, created_at, last_login_at, password_hash"


def count(db: Database) -> int:
    """Return the number of facilitator accounts."""
    return db.execute("SELECT count(*) FROM facilitators").fetchone()[0]


def exists(db: Database) -> bool:
    """True once any facilitator account exists (first-run setup is then over)."""
    return db.execute("SELECT 1 FROM facilitators LIMIT 1").fetchone() is not None


def check_new_account(username: str, password: str) -> list[FacilitatorError]:
    """Return the problems with a proposed username and password (empty when fine)."""
    problems = []
    if not USERNAME_RE.match(username or ""):
        problems.append(FacilitatorError(
            "username", f"use {USERNAME_MIN} to {USERNAME_MAX} letters, digits, dots, dashes or @, "
            "starting with a letter or digit"))
    if len(password or "") < MIN_PASSWORD:
        problems.append(FacilitatorError("password", f"use at least {MIN_PASSWORD} characters"))
    return problems


def create(db: Database, username: str, password: str, role: str | None = None) -> dict:
    """Create an account; the first one is an admin, later ones default to facilitator."""
    username = (username or "").strip()
    problems = check_new_account(username, password)
    if problems:
        raise problems[0]
    if role is not None and role not in ROLES:
        raise FacilitatorError("role", "must be admin or facilitator")
    password_hash = generate_password_hash(password)
    # Reads, then writes what it read: BEGIN IMMEDIATE waits its turn for the write lock (a
    # deferred transaction fails at once with "database is locked" when the server's background
    # rollup commits in between, e.g. `hub facilitators add` beside a running hub).
    own = not db.conn.in_transaction
    if own:
        db.execute("BEGIN IMMEDIATE")
    try:
        with db.atomic():
            if db.execute("SELECT 1 FROM facilitators WHERE username = ?", [username]).fetchone():
                raise FacilitatorError("username", "an account with this name exists already")
            if role is None:
                role = "facilitator" if exists(db) else "admin"
            cursor = db.execute(
                "INSERT INTO facilitators (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                [username, password_hash, role, clock.iso()])
    except BaseException:
        if own:
            db.execute("ROLLBACK")
        raise
    if own:
        db.execute("COMMIT")
    return get(db, cursor.lastrowid)


def get(db: Database, facilitator_id) -> dict | None:
    """Return one account (without its hash), or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM facilitators WHERE id = ?", [facilitator_id]).fetchone()
    return _public(row)


def list_all(db: Database) -> list[dict]:
    """Return every account, by name."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM facilitators ORDER BY username COLLATE NOCASE")
    return [_public(row) for row in rows]


def set_password(db: Database, facilitator_id: int, password: str) -> None:
    """Change an account's password (ends its other sessions)."""
    if len(password or "") < MIN_PASSWORD:
        raise FacilitatorError("password", f"use at least {MIN_PASSWORD} characters")
    db.execute("UPDATE facilitators SET password_hash = ? WHERE id = ?",
               [generate_password_hash(password), facilitator_id])


def get_by_username(db: Database, username: str) -> dict | None:
    """Return one account by its username (exact), or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM facilitators WHERE username = ?",
                     [(username or "").strip()]).fetchone()
    return _public(row)


def change_own_password(db: Database, facilitator_id: int, current: str, new: str) -> dict:
    """Change a facilitator's own password after checking the current one; return the account.

    Every session of the account ends (the caller signs the current browser in again)."""
    row = db.execute("SELECT password_hash FROM facilitators WHERE id = ?", [facilitator_id]).fetchone()
    if row is None or not check_password_hash(row[0], current or ""):
        raise FacilitatorError("current_password", "is not the account's password")
    set_password(db, facilitator_id, new)
    return get(db, facilitator_id)


def set_role(db: Database, facilitator_id: int, role: str) -> None:
    """Change an account's role; the last admin cannot stop being one."""
    if role not in ROLES:
        raise FacilitatorError("role", "must be admin or facilitator")
    with db.atomic():
        admins = db.execute("SELECT id FROM facilitators WHERE role = 'admin'").fetchall()
        if role != "admin" and [(facilitator_id,)] == [tuple(a) for a in admins]:
            raise FacilitatorError("role", "the hub needs at least one admin")
        db.execute("UPDATE facilitators SET role = ? WHERE id = ?", [role, facilitator_id])


def delete(db: Database, facilitator_id: int) -> None:
    """Remove an account; the last admin cannot be removed."""
    with db.atomic():
        account = get(db, facilitator_id)
        if account is None:
            return
        admins = db.execute("SELECT count(*) FROM facilitators WHERE role = 'admin'").fetchone()[0]
        if account["role"] == "admin" and admins <= 1:
            raise FacilitatorError("account", "the hub needs at least one admin")
        db.execute("DELETE FROM facilitators WHERE id = ?", [facilitator_id])


def authenticate(db: Database, username: str, password: str, client: str = "") -> dict | None:
    """Return the account when the password is right, None when not.

    Raises TooManyAttempts once a username or a client has failed too often; a success
    clears that username's failures.
    """
    username = (username or "").strip()
    login_limits.take_try(username, client)
    row = db.execute("SELECT id, password_hash FROM facilitators WHERE username = ?",
                     [username]).fetchone()
    stored = row[1] if row else _dummy_hash()
    if check_password_hash(stored, password or "") and row is not None:
        login_limits.succeeded(username, client)
        db.execute("UPDATE facilitators SET last_login_at = ? WHERE id = ?", [clock.iso(), row[0]])
        return get(db, row[0])
    return None  # the try was counted by take_try


def session_matches(account: dict | None, session_key: str | None) -> bool:
    """True when a session was made with the account's current password."""
    return bool(account and session_key and hmac.compare_digest(account["session_key"], session_key))


def create_first(db: Database, username: str, password: str) -> dict | None:
    """Create the first (admin) account, or return None when an account exists already.

    Checked and written in one IMMEDIATE transaction, so two setup forms sent at once
    cannot both win.
    """
    problems = check_new_account((username or "").strip(), password)
    if problems:
        raise problems[0]
    db.execute("BEGIN IMMEDIATE")
    try:
        if exists(db):
            db.execute("ROLLBACK")
            return None
        cursor = db.execute(
            "INSERT INTO facilitators (username, password_hash, role, created_at) "
            "VALUES (?, ?, 'admin', ?)",
            [username.strip(), generate_password_hash(password), clock.iso()])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return get(db, cursor.lastrowid)
