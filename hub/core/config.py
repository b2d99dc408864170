"""Configuration: defaults, then an optional config file, then the environment."""
from __future__ import annotations

import configparser
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout (or site-packages): hub/core/config.py

# One line per key: (default, type, what it means). Env vars and the config file use these names.
SETTINGS: dict[str, tuple[object, type, str]] = {
    "HUB_DATA_DIR": ("./instance", str, "SQLite database, installed packs, uploads, keys"),
    "HUB_HOST": ("0.0.0.0", str, "address waitress listens on"),
    "HUB_PORT": (8080, int, "port waitress listens on"),
    "HUB_THREADS": (8, int, "waitress worker threads"),
    "HUB_DEFAULT_LOCALE": ("en", str, "UI language when nothing else decides"),
    "HUB_PACKS_SOURCE": ("./content_packs", str, "packs installed on first start"),
    "HUB_UPSTREAM_URL": ("", str, "central receiver; empty = sync off"),
    "HUB_ID": ("", str, "this hub's identity upstream (set by `hub sync register`)"),
    "HUB_SECRET": ("", str, "this hub's shared secret upstream (set by `hub sync register`)"),
    "HUB_SYNC_INTERVAL": (900, int, "seconds between sync attempts while running"),
    "HUB_K_THRESHOLD": (5, int, "smallest count of learners that may leave the hub"),
    "HUB_TIMEZONE": ("UTC", str, "the day boundaries of daily metrics"),
    "HUB_CENTRAL_DATA_DIR": ("./central-data", str, "the central receiver's database"),
    "HUB_CENTRAL_DATABASE_URL": ("", str, "the central's PostgreSQL (postgresql://...); empty = SQLite"),
    "HUB_CENTRAL_LOW_DISK_MB": (500, int, "a hub with less free disk than this is an alert"),
    "HUB_DISK_RESERVE_MB": (200, int, "free disk space an install must leave untouched"),
    "HUB_ALLOW_UNSIGNED_PACKS": (True, bool, "install packs without a trusted signature"),
    "HUB_USB_MOUNTS": ("/media:/mnt", str, "where to look for packs on USB sticks (':'-separated)"),
    "HUB_MDNS": (True, bool, "announce the hub on the local network as <name>.local"),
    "HUB_LOG_LEVEL": ("INFO", str, "how much the hub writes to its log"),
    "HUB_TRUSTED_PROXY": ("", str, "address of an https reverse proxy whose X-Forwarded-Proto is believed"),
}

CONFIG_FILE_NAME = "hub.conf"

# Whole-number settings outside these bounds are refused at start (a port of 70000 or 0 threads
# would otherwise start a hub that nobody can reach): key -> (smallest, largest or None).
RANGES: dict[str, tuple[int, int | None]] = {
    "HUB_PORT": (1, 65535),
    "HUB_THREADS": (1, 256),
    "HUB_SYNC_INTERVAL": (1, None),
    "HUB_K_THRESHOLD": (1, None),
    "HUB_DISK_RESERVE_MB": (0, None),
}


class ConfigError(Exception):
    """A setting is wrong; the message says what to fix, in one line."""


def _coerce(key: str, raw: object, kind: type) -> object:
    if not isinstance(raw, str) or kind is str:
        return raw
    if kind is bool:
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{key}: expected yes or no, got {raw!r}")
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{key}: expected a whole number, got {raw!r}") from None


def read_config_file(path: Path) -> dict[str, str]:
    """Read KEY = value lines from a hub config file (Python's configparser, no sections).

    A comment is a line starting with # or ;, or # after a space at the end of a line: a #
    inside a value (a secret like `abc#123`) is kept. Quotes around a value are removed."""
    parser = configparser.ConfigParser(delimiters=("=",), comment_prefixes=("#", ";"),
                                       inline_comment_prefixes=("#",), interpolation=None,
                                       strict=True, empty_lines_in_values=False)
    parser.optionxform = str  # keys keep their case: HUB_PORT, not hub_port
    try:
        parser.read_string("[hub]\n" + path.read_text(encoding="utf-8"), source=str(path))
    except configparser.DuplicateOptionError as exc:
        raise ConfigError(f"{path}:{exc.lineno - 1}: {exc.option} is set twice") from None
    except configparser.ParsingError as exc:
        number = exc.errors[0][0] - 1 if exc.errors else 0
        raise ConfigError(f"{path}:{number}: expected KEY = value") from None
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({str(exc).splitlines()[0]})") from None
    values = {}
    for key, value in parser.items("hub"):
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load(overrides: dict | None = None, environ: dict | None = None) -> dict:
    """Return the hub settings: defaults < config file < environment < overrides."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    raw: dict[str, object] = {key: default for key, (default, _, _) in SETTINGS.items()}
    data_dir = overrides.get("HUB_DATA_DIR") or environ.get("HUB_DATA_DIR") or raw["HUB_DATA_DIR"]
    config_file = environ.get("HUB_CONFIG") or os.path.join(str(data_dir), CONFIG_FILE_NAME)
    if os.path.isfile(config_file):
        from_file = read_config_file(Path(config_file))
        for key in from_file:
            if key not in SETTINGS:  # a typo would otherwise be ignored without a word
                raise ConfigError(f"{config_file}: {key} is not a setting of the hub; check the spelling")
        raw.update(from_file)
    raw.update({k: v for k, v in environ.items() if k in SETTINGS})
    raw.update(overrides)
    settings = {}
    for key, value in raw.items():
        kind = SETTINGS[key][1] if key in SETTINGS else type(value)
        settings[key] = _coerce(key, value, kind)
    settings["HUB_DATA_DIR"] = str(Path(str(settings["HUB_DATA_DIR"])).resolve())
    settings["HUB_CENTRAL_DATA_DIR"] = str(Path(str(settings["HUB_CENTRAL_DATA_DIR"])).resolve())
    settings["HUB_PACKS_SOURCE"] = str(Path(str(settings["HUB_PACKS_SOURCE"])).resolve())
    _check(settings)
    return settings


def _check(settings: dict) -> None:
    """Refuse values of the right type that still cannot work, naming the setting to fix."""
    for key, (low, high) in RANGES.items():
        value = settings[key]
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise ConfigError(f"{key}: {value} is out of range; use a whole number {bounds}")
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(settings["HUB_TIMEZONE"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"HUB_TIMEZONE: {settings['HUB_TIMEZONE']!r} is not a known time zone; "
                          "use a name such as UTC or Africa/Nairobi") from None


def ensure_data_dir(path: str) -> Path:
    """Create the data dir if needed and prove it is writable, or raise ConfigError."""
    data_dir = Path(path)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"HUB_DATA_DIR: cannot write to {data_dir} ({exc.strerror}); "
            "choose a folder this user can write to"
        ) from None
    return data_dir


def secret_key(data_dir: Path) -> bytes:
    """Return this hub's session secret, made once and kept in the data dir (mode 0600)."""
    path = data_dir / "secret_key"
    if not path.exists():
        # Write aside, then link into place: two processes starting at once agree on one key.
        tmp = data_dir / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_bytes()
