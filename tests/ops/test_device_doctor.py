"""`hub doctor`: every check has a failing and a passing case, under real conditions."""
import http.server
import json
import shutil
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest

from hub.core import config
from hub.core.db import db_path, open_hub_db
from hub.ops.device import doctor, netcheck
from hub.ops.device.addresses import lan_addresses
from tests.helpers import free_port


def conf(data_dir, **extra):
    """Real hub settings for `data_dir` (defaults < environment < these)."""
    return config.load({"HUB_DATA_DIR": str(data_dir), **extra}, environ={})


def migrated(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    return open_hub_db(data_dir)


# --- data folder ---------------------------------------------------------------------------

def test_data_dir_that_is_writable_passes(data_dir):
    check = doctor.check_data_dir(conf(data_dir))
    assert check.ok and check.severity == "ok"
    assert list(data_dir.iterdir()) == []  # the probe left nothing behind


def test_data_dir_that_is_a_file_fails_with_a_fix(tmp_path):
    (tmp_path / "data").write_text("not a folder")
    check = doctor.check_data_dir(conf(tmp_path / "data"))
    assert not check.ok and check.severity == "error"
    assert "it is a file" in check.message and "HUB_DATA_DIR" in check.fix


def test_data_dir_where_nothing_can_be_written_fails():
    # Root may write almost anywhere; /proc/self is a folder nobody can add files to.
    check = doctor.check_data_dir({"HUB_DATA_DIR": "/proc/self"})
    assert not check.ok and "cannot save anything" in check.message
    assert "chown" in check.fix


def test_missing_data_dir_is_fine_when_it_can_be_made_and_fails_when_not(tmp_path):
    assert doctor.check_data_dir(conf(tmp_path / "new" / "data")).severity == "info"
    assert not (tmp_path / "new").exists()
    check = doctor.check_data_dir({"HUB_DATA_DIR": "/proc/no-such-dir/data"})
    assert not check.ok and "cannot be created" in check.message


# --- disk ----------------------------------------------------------------------------------

def test_disk_with_room_above_a_tiny_reserve_passes(data_dir):
    check = doctor.check_disk(conf(data_dir, HUB_DISK_RESERVE_MB=1))
    assert check.ok and "in reserve" in check.message


def test_disk_below_the_reserve_fails(data_dir):
    free_mb = shutil.disk_usage(data_dir).free // (1024 * 1024)
    check = doctor.check_disk(conf(data_dir, HUB_DISK_RESERVE_MB=free_mb * 10 + 1024))
    assert not check.ok and check.severity == "error"
    assert "no new pack can be installed" in check.message and check.fix


def test_disk_close_to_the_reserve_is_a_warning(data_dir):
    free_mb = shutil.disk_usage(data_dir).free // (1024 * 1024)
    check = doctor.check_disk(conf(data_dir, HUB_DISK_RESERVE_MB=max(1, free_mb * 3 // 4)))
    assert not check.ok and check.severity == "warning"


# --- clock ---------------------------------------------------------------------------------

def add_pack(db, installed_at):
    db["packs"].insert({"id": "org.example.clock", "version": "1.0.0", "title": '{"en": "Clock"}',
                        "languages": '["en"]', "storage_dir": "/nowhere",
                        "installed_at": installed_at, "manifest": "{}"})


def test_clock_after_the_newest_pack_passes(data_dir):
    db = migrated(data_dir)
    add_pack(db, (datetime.now(timezone.utc) - timedelta(days=1)).isoformat())
    check = doctor.check_clock(conf(data_dir), db)
    assert check.ok, check.message


def test_clock_earlier_than_the_newest_pack_fails(data_dir):
    db = migrated(data_dir)
    add_pack(db, (datetime.now(timezone.utc) + timedelta(days=400)).isoformat())
    db.conn.close()
    check = doctor.check_clock(conf(data_dir))  # reads the database file itself
    assert not check.ok and "gone back" in check.message
    assert "date" in check.fix


def test_clock_earlier_than_the_last_sync_answer_fails(data_dir):
    db = migrated(data_dir)
    from sync import state

    state.put(db, "last_success", state.iso(datetime.now(timezone.utc) + timedelta(hours=3)))
    assert not doctor.check_clock(conf(data_dir), db).ok


def test_clock_before_this_release_fails(data_dir):
    check = doctor.check_clock(conf(data_dir), now=datetime(1970, 1, 1, tzinfo=timezone.utc))
    assert not check.ok and "1970-01-01" in check.message


# --- database ------------------------------------------------------------------------------

def test_healthy_database_passes(data_dir):
    migrated(data_dir).conn.close()
    assert doctor.check_database(conf(data_dir)).severity == "ok"


def corrupt(path, offset):
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xde\xad\xbe\xef" * 512)


def filled_database(data_dir):
    db = migrated(data_dir)
    db.execute("PRAGMA journal_mode=DELETE")  # everything in the main file
    db["settings"].insert_all(({"key": f"k{i}", "value": "x" * 200} for i in range(400)))
    db.conn.close()
    return db_path(data_dir)


@pytest.mark.parametrize("thorough", [True, False])
def test_database_with_damaged_pages_fails(data_dir, thorough):
    path = filled_database(data_dir)
    pages = path.stat().st_size // 4096
    corrupt(path, (pages // 2) * 4096)  # the header of a page in the middle of the table
    check = doctor.check_database(conf(data_dir), thorough=thorough)
    assert not check.ok and "damaged" in check.message
    assert "hub restore" in check.fix


def test_database_with_a_damaged_header_fails(data_dir):
    path = filled_database(data_dir)
    corrupt(path, 0)
    check = doctor.check_database(conf(data_dir))
    assert not check.ok and "not a database" in check.message


def test_no_database_yet_is_only_a_note(data_dir):
    assert doctor.check_database(conf(data_dir)).severity == "info"


# --- upstream ------------------------------------------------------------------------------

@pytest.fixture
def upstream():
    """A tiny real HTTP server on loopback; .status sets what it answers."""
    class Handler(http.server.BaseHTTPRequestHandler):
        status = 200

        def do_GET(self):
            self.send_response(Handler.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.handler = Handler
    yield server
    server.shutdown()
    server.server_close()


def test_upstream_not_configured_is_fine(data_dir):
    check = netcheck.check_upstream(conf(data_dir))
    assert check.ok and check.severity == "info" and "Sync is off" in check.message


def test_upstream_that_answers_passes(data_dir, upstream):
    url = f"http://127.0.0.1:{upstream.server_address[1]}/"
    assert netcheck.check_upstream(conf(data_dir, HUB_UPSTREAM_URL=url)).severity == "ok"
    upstream.handler.status = 404  # any answer proves the way there works
    assert netcheck.check_upstream(conf(data_dir, HUB_UPSTREAM_URL=url)).ok


def test_upstream_answering_with_a_server_error_needs_attention(data_dir, upstream):
    upstream.handler.status = 503
    url = f"http://127.0.0.1:{upstream.server_address[1]}/"
    check = netcheck.check_upstream(conf(data_dir, HUB_UPSTREAM_URL=url))
    assert not check.ok and "503" in check.message


def test_upstream_nobody_listens_on_fails_without_alarm(data_dir):
    url = f"http://127.0.0.1:{free_port()}/"
    check = netcheck.check_upstream(conf(data_dir, HUB_UPSTREAM_URL=url), timeout=2)
    assert not check.ok and check.severity == "warning"
    assert "cannot be reached" in check.message and "Nothing is lost" in check.fix


def test_upstream_that_is_not_a_web_address_fails(data_dir):
    check = netcheck.check_upstream(conf(data_dir, HUB_UPSTREAM_URL="ftp://central.example"))
    assert not check.ok and check.severity == "error"


# --- addresses -----------------------------------------------------------------------------

def test_listening_on_loopback_only_fails(data_dir):
    check = netcheck.check_addresses(conf(data_dir, HUB_HOST="127.0.0.1"))
    assert not check.ok and "only listens on the device itself" in check.message
    assert "HUB_HOST=0.0.0.0" in check.fix


def test_listening_on_an_address_the_device_does_not_have_fails(data_dir):
    check = netcheck.check_addresses(conf(data_dir, HUB_HOST="203.0.113.77"))
    assert not check.ok and check.severity == "error"


def test_listening_on_every_network_lists_the_learner_addresses(data_dir):
    addresses = lan_addresses()
    if not addresses:
        pytest.skip("this machine has no network address besides loopback")
    check = netcheck.check_addresses(conf(data_dir, HUB_HOST="0.0.0.0", HUB_PORT=8080))
    assert check.ok and f"http://{addresses[0]}:8080/" in check.message
    assert netcheck.check_addresses(conf(data_dir, HUB_HOST=addresses[0])).ok


# --- software ------------------------------------------------------------------------------

def test_this_python_and_sqlite_pass():
    check = doctor.check_software()
    assert check.ok and sqlite3.sqlite_version in check.message
    assert doctor.fts5_available()


@pytest.mark.parametrize("kwargs, words", [
    ({"python": (3, 9, 2)}, "Python 3.9.2 is too old"),
    ({"sqlite_version": "3.31.1"}, "SQLite 3.31.1 is too old"),
    ({"fts5": False}, "no full-text search"),
])
def test_old_python_old_sqlite_or_no_fts5_fail(kwargs, words):
    check = doctor.check_software(**kwargs)
    assert not check.ok and words in check.message and check.fix


# --- all of them, and the command ----------------------------------------------------------

def test_run_checks_covers_every_area_in_order(data_dir):
    names = [c.name for c in doctor.run_checks(conf(data_dir))]
    assert names == ["data_dir", "disk", "database", "clock", "addresses", "upstream", "software"]


def test_hub_doctor_exits_zero_when_all_is_well(runner, monkeypatch):
    addresses = lan_addresses()
    if not addresses:
        pytest.skip("this machine has no network address, so the address check rightly fails")
    monkeypatch.setenv("HUB_HOST", addresses[0])
    monkeypatch.setenv("HUB_DISK_RESERVE_MB", "1")
    result = runner.invoke(["doctor"])
    assert result.exit_code == 0, result.output
    assert "Everything looks fine." in result.output


def test_hub_doctor_exits_one_and_explains_what_to_fix(runner, monkeypatch):
    monkeypatch.setenv("HUB_DISK_RESERVE_MB", str(10 ** 9))
    monkeypatch.setenv("HUB_UPSTREAM_URL", f"http://127.0.0.1:{free_port()}/")
    result = runner.invoke(["doctor"])
    assert result.exit_code == 1
    assert "PROBLEM   Free space" in result.output and "Fix: Remove packs" in result.output
    assert "need attention" in result.output


def test_hub_doctor_json(runner, monkeypatch):
    monkeypatch.setenv("HUB_DISK_RESERVE_MB", str(10 ** 9))
    result = runner.invoke(["doctor", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    disk = next(c for c in report["checks"] if c["name"] == "disk")
    assert set(disk) == {"name", "title", "ok", "severity", "message", "fix"}
    assert disk["ok"] is False and disk["fix"]
