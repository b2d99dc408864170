"""Structured, rotated logs in HUB_DATA_DIR/logs, with learner personal data kept out."""
from __future__ import annotations

import json
import logging
import logging.handlers
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from hub.core.config import ConfigError

LOG_FILE = "hub.log"
MAX_BYTES = 1024 * 1024  # 1 MB x 5 files: a few weeks of a classroom, little SD card wear
BACKUP_COUNT = 5
REDACTED = "[redacted]"

# Keys whose values are personal or secret wherever they appear: extra fields, key=value
# text, JSON in a message. Learners are told apart by their opaque actor key, never a name.
SENSITIVE_KEYS = ("name", "learner_name", "display_name", "username", "pin", "password",
                  "secret", "token", "csrf_token", "q", "query", "answer", "note", "text")
_KEYS = "|".join(SENSITIVE_KEYS)
_PAIR = re.compile(rf"""(?ix)
    (?P<key>["']?\b(?:{_KEYS})\b["']?\s*[:=]\s*)   # name=, "name": , 'pin':
    (?P<value>"[^"]*"|'[^']*'|[^\s,;&}}\]]+)          # quoted or bare value
""")
# A URL or path with a query string: keep the path, drop what follows '?' (search words, names).
_QUERY = re.compile(r"(?P<path>(?:https?://[^\s?#]*|/[^\s?#]*))\?[^\s#\"']*")

# Attributes every LogRecord has; anything else came in through `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def scrub(text: str) -> str:
    """Remove query strings and the values of personal keys from a piece of text."""
    text = _QUERY.sub(lambda m: m.group("path"), text)
    return _PAIR.sub(lambda m: m.group("key") + REDACTED, text)


def _scrub_value(key: str, value):
    if key.lower() in SENSITIVE_KEYS:
        return REDACTED
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_value(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_value("", v) for v in value]
    return value


class PersonalDataFilter(logging.Filter):
    """Rewrites each record so no learner name, PIN or search words reach the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message, scrub it and every extra field; always keep the record."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template, not the arguments
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        for key in set(vars(record)) - _STANDARD:
            setattr(record, key, _scrub_value(key, getattr(record, key)))
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, then any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialize one record (non-JSON values become their text)."""
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in sorted(set(vars(record)) - _STANDARD):
            entry.setdefault(key, getattr(record, key))
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


_installed: list[logging.Handler] = []


class OncePerInterval(logging.Filter):
    """Lets one record through per `seconds`, drops the rest.

    Waitress warns "Task queue depth is N" for every request that waits for a busy thread:
    at 50 connections that was a line per request, which cost every request a JSON line and
    a write, and rotated a classroom's weeks of log history away in minutes.
    """

    def __init__(self, seconds: float = 60.0):
        super().__init__()
        self.seconds, self._next = seconds, 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now < self._next:
            return False
        self._next = now + self.seconds
        return True


def configure(settings: dict) -> Path | None:
    """Send the hub's logs (and waitress') to HUB_DATA_DIR/logs/hub.log; return that path.

    Safe to call again: the handlers added last time are replaced. When the folder cannot
    be written, logs go to stderr only and the hub keeps running.
    """
    level_name = str(settings.get("HUB_LOG_LEVEL", "INFO")).upper()
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        raise ConfigError(f"HUB_LOG_LEVEL: {level_name!r} is not one of DEBUG, INFO, WARNING, ERROR")
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    privacy = PersonalDataFilter()

    # Problems also go to stderr, which systemd keeps in the journal.
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(privacy)
    _installed.append(console)

    path = Path(settings["HUB_DATA_DIR"]) / "logs" / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES,
                                                       backupCount=BACKUP_COUNT, encoding="utf-8")
    except OSError as exc:
        path = None
        problem = exc.strerror
    else:
        handler.setFormatter(JsonLinesFormatter())
        handler.addFilter(privacy)
        _installed.append(handler)
        problem = None
    for handler in _installed:
        root.addHandler(handler)
    root.setLevel(level)
    queue = logging.getLogger("waitress.queue")
    for old in [f for f in queue.filters if isinstance(f, OncePerInterval)]:
        queue.removeFilter(old)
    queue.addFilter(OncePerInterval())
    if problem:
        logging.getLogger("hub.device").warning("cannot write logs in %s (%s); logging to stderr only",
                                                settings["HUB_DATA_DIR"], problem)
    return path


class RequestLog:
    """WSGI middleware: one log line per request with method, path (no query), status, time.

    Ordinary requests are DEBUG (off by default: fewer SD card writes); server errors WARNING.
    """

    def __init__(self, app, logger: logging.Logger | None = None):
        self.app = app
        self.log = logger or logging.getLogger("hub.request")

    def __call__(self, environ, start_response):
        """Pass the request on and log how it ended."""
        started = time.perf_counter()
        seen: dict = {}

        def recording_start(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start)
        finally:
            status = seen.get("status", 500)
            level = logging.WARNING if status >= 500 else logging.DEBUG
            if self.log.isEnabledFor(level):
                # PATH_INFO never holds the query string; it is not logged at all.
                self.log.log(level, "%s %s %s", environ.get("REQUEST_METHOD"),
                             environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), status,
                             extra={"status": status,
                                    "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
