"""Schema steps: named, ordered, recorded, and upgradeable from every earlier step."""
import pytest

from hub.core import migrations
from hub.core.db import connect


def _schema(db):
    return sorted(
        (row[0], row[1]) for row in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "AND name != '_sqlite_migrations' ORDER BY name")
    )


def test_steps_are_named_and_ordered():
    names = migrations.names()
    assert names, "no migrations registered"
    assert names == sorted(names), "steps must run in the order their numbers say"
    assert len(set(names)) == len(names)


def test_from_empty_records_every_step(tmp_path):
    db = connect(tmp_path / "hub.db")
    migrations.migrate(db)
    applied = [row[0] for row in db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'hub' ORDER BY rowid")]
    assert applied == migrations.names()
    migrations.migrate(db)  # running again changes nothing
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(applied)


@pytest.mark.parametrize("step", migrations.names())
def test_upgrade_from_every_earlier_step(tmp_path, step):
    fresh = connect(tmp_path / "fresh.db")
    migrations.migrate(fresh)
    partial = connect(tmp_path / "partial.db")
    migrations.migrate(partial, stop_before=step)
    migrations.migrate(partial)
    assert _schema(partial) == _schema(fresh)


def test_connection_pragmas_keep_acknowledged_writes(tmp_path):
    db = connect(tmp_path / "hub.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrating_leaves_the_connection_keeping_acknowledged_writes(tmp_path):
    # Steps commit without an fsync each (synchronous=NORMAL in WAL); the connection is back
    # at FULL afterwards, so the hub's own writes stay durable through a power cut.
    db = connect(tmp_path / "hub.db")
    migrations.migrate(db)
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2


SCRIPTS = [
    "CREATE TABLE a (x TEXT DEFAULT 'a;b'); CREATE INDEX a_x ON a (x);",
    "-- a comment; with a semicolon\nCREATE TABLE b (y);\n/* and ; here */ INSERT INTO b VALUES (';');",
    "CREATE TABLE c (z); CREATE TRIGGER c_t AFTER INSERT ON c BEGIN UPDATE c SET z = 1; "
    "DELETE FROM c WHERE z = ';'; END; SELECT 1",
    "  ;  ; CREATE TABLE \"d;e\" (v)  ",
    "",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_split_into_the_statements_sqlite_utils_would_run(script):
    from sqlite_utils.db import _iter_complete_sql_statements

    from hub.core.db import split_statements

    assert list(split_statements(script)) == list(_iter_complete_sql_statements(script))


def test_every_step_runs_the_same_statements_as_before(tmp_path):
    # The same schema as sqlite-utils' own splitting gives (the steps are unchanged).
    from sqlite_utils import Database

    from hub.core.db import HubDatabase

    ours = connect(tmp_path / "ours.db")
    assert isinstance(ours, HubDatabase)
    migrations.migrate(ours)
    plain = Database(tmp_path / "plain.db")
    migrations.migrate(plain)
    assert _schema(ours) == _schema(plain)
