"""Logs: one JSON object per line, rotated, in HUB_DATA_DIR/logs, without learner personal data."""
import json
import logging

import pytest

from hub.core.config import ConfigError
from hub.ops.device import logs

NAME = "Amina Wanjiru"


@pytest.fixture
def log_file(data_dir):
    """Hub logging configured on a fresh data dir; restored afterwards."""
    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    path = logs.configure({"HUB_DATA_DIR": str(data_dir), "HUB_LOG_LEVEL": "DEBUG"})
    yield path
    for handler in logs._installed:
        root.removeHandler(handler)
        handler.close()
    logs._installed.clear()
    root.setLevel(before[0])


def lines(path):
    for handler in logs._installed:
        handler.flush()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_line_is_a_json_object_with_the_fields(log_file, data_dir):
    assert log_file == data_dir / "logs" / "hub.log"
    logging.getLogger("hub.packs").info("installed %s version %s", "org.example.numbers", "1.2.0",
                                        extra={"pack_id": "org.example.numbers", "files": 12})
    [entry] = lines(log_file)
    assert entry["level"] == "INFO" and entry["logger"] == "hub.packs"
    assert entry["msg"] == "installed org.example.numbers version 1.2.0"
    assert entry["pack_id"] == "org.example.numbers" and entry["files"] == 12
    assert entry["ts"].endswith("+00:00")


def test_learner_names_and_pins_never_reach_the_file(log_file):
    log = logging.getLogger("hub.learners")
    log.info("learner created name=%s pin=%s", NAME.split()[0], "4821")
    log.info('POST /api/v1/learners {"name": "%s", "pin": "4821"}', NAME)
    log.info("GET /learn/search?q=Amina+Wanjiru&lang=en took 3 ms")
    log.warning("sign-in failed", extra={"learner_name": NAME, "pin": "4821", "learner_id": 7,
                                         "request": {"path": "/x?learner=Amina", "name": NAME}})
    try:
        raise ValueError(f"bad name={NAME.split()[0]}")
    except ValueError:
        log.exception("while saving")
    text = log_file.read_text(encoding="utf-8")
    for secret in ("Amina", "Wanjiru", "4821"):
        assert secret not in text
    entries = lines(log_file)
    assert len(entries) == 5
    assert entries[2]["msg"] == "GET /learn/search took 3 ms"
    assert entries[3]["learner_id"] == 7 and entries[3]["request"]["path"] == "/x"
    assert "ValueError" in entries[4]["exc"]


def test_request_log_keeps_paths_and_drops_query_strings(log_file, app):
    app.wsgi_app = logs.RequestLog(app.wsgi_app)
    client = app.test_client()
    assert client.get("/healthz?learner=Amina").status_code == 200
    client.get("/no-such-page?name=Amina")
    entries = [e for e in lines(log_file) if e["logger"] == "hub.request"]
    assert [(e["msg"], e["status"]) for e in entries] == [
        ("GET /healthz 200", 200), ("GET /no-such-page 404", 404)]
    assert all(e["level"] == "DEBUG" and e["duration_ms"] >= 0 for e in entries)
    assert "Amina" not in log_file.read_text(encoding="utf-8")


def test_logs_rotate_at_the_size_limit(log_file, monkeypatch):
    handler = next(h for h in logs._installed if hasattr(h, "maxBytes"))
    monkeypatch.setattr(handler, "maxBytes", 2000)
    for number in range(100):
        logging.getLogger("hub.test").info("line %d %s", number, "x" * 50)
    names = sorted(p.name for p in log_file.parent.iterdir())
    assert names == ["hub.log", "hub.log.1", "hub.log.2", "hub.log.3", "hub.log.4", "hub.log.5"]
    assert all(p.stat().st_size <= 2200 for p in log_file.parent.iterdir())


def test_configure_twice_does_not_double_lines(log_file, data_dir):
    logs.configure({"HUB_DATA_DIR": str(data_dir), "HUB_LOG_LEVEL": "INFO"})
    logging.getLogger("hub.test").info("once")
    logging.getLogger("hub.test").debug("below the level")
    assert [e["msg"] for e in lines(log_file)] == ["once"]


def test_unwritable_log_folder_falls_back_to_stderr(tmp_path, capsys):
    (tmp_path / "data").write_text("a file, not a folder")
    try:
        assert logs.configure({"HUB_DATA_DIR": str(tmp_path / "data"), "HUB_LOG_LEVEL": "INFO"}) is None
        assert "cannot write logs" in capsys.readouterr().err
    finally:
        for handler in logs._installed:
            logging.getLogger().removeHandler(handler)
        logs._installed.clear()


def test_a_wrong_log_level_is_a_clear_error(data_dir):
    with pytest.raises(ConfigError, match="HUB_LOG_LEVEL"):
        logs.configure({"HUB_DATA_DIR": str(data_dir), "HUB_LOG_LEVEL": "LOUD"})
