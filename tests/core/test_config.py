"""Configuration, data dir, secret key: what a person running the hub relies on."""
import os
import subprocess
import sys

import pytest

from hub import create_app
from hub.core import config
from hub.core.config import ConfigError
from tests.helpers import ROOT, hub_env


def test_defaults_match_the_contract():
    settings = config.load(environ={})
    assert settings["HUB_PORT"] == 8080
    assert settings["HUB_HOST"] == "0.0.0.0"
    assert settings["HUB_THREADS"] == 8
    assert settings["HUB_K_THRESHOLD"] == 5
    assert settings["HUB_SYNC_INTERVAL"] == 900
    assert settings["HUB_TIMEZONE"] == "UTC"
    assert settings["HUB_DEFAULT_LOCALE"] == "en"
    assert settings["HUB_UPSTREAM_URL"] == ""


def test_environment_beats_config_file_which_beats_defaults(tmp_path):
    (tmp_path / "hub.conf").write_text("HUB_PORT = 9000  # from the file\nHUB_THREADS=3\n")
    settings = config.load(environ={"HUB_DATA_DIR": str(tmp_path), "HUB_THREADS": "5"})
    assert settings["HUB_PORT"] == 9000
    assert settings["HUB_THREADS"] == 5


def test_a_bad_number_names_the_setting():
    with pytest.raises(ConfigError, match="HUB_PORT"):
        config.load(environ={"HUB_PORT": "eighty"})


def test_secret_key_persists_across_two_app_instances(data_dir, app_config):
    first = create_app(app_config)
    second = create_app(app_config)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 32
    assert oct((data_dir / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_a_session_survives_a_restart(app_config):
    first = create_app(app_config).test_client()
    first.get("/language/fr")
    with first.session_transaction() as session:
        session["marker"] = "kept"
    cookie = first.get_cookie("hub_session").value
    second = create_app(app_config).test_client()
    second.set_cookie("hub_session", cookie)
    with second.session_transaction() as session:
        assert session["marker"] == "kept"


def test_unknown_default_locale_is_refused(app_config):
    with pytest.raises(ConfigError, match="HUB_DEFAULT_LOCALE"):
        create_app({**app_config, "HUB_DEFAULT_LOCALE": "xx"})


def _serve(data_dir, *extra, **env):
    return subprocess.run([sys.executable, "-m", "hub", "serve", "--host", "127.0.0.1", *extra],
                          cwd=ROOT, env=hub_env(data_dir, **env), capture_output=True, text=True,
                          timeout=30)


def test_unwritable_data_dir_stops_with_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _serve(blocker / "data", "--port", "1")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "HUB_DATA_DIR" in result.stderr and "Traceback" not in result.stderr


def test_unknown_locale_stops_with_one_line(tmp_path):
    result = _serve(tmp_path / "data", "--port", "1", HUB_DEFAULT_LOCALE="xx")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("hub: HUB_DEFAULT_LOCALE")
    assert "Traceback" not in result.stderr


def test_port_in_use_stops_with_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _serve(tmp_path / "data", "--port", str(port))
    assert result.returncode == 1
    assert "already in use" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("key, value", [
    ("HUB_PORT", "0"), ("HUB_PORT", "70000"), ("HUB_THREADS", "0"), ("HUB_SYNC_INTERVAL", "0"),
    ("HUB_K_THRESHOLD", "0"), ("HUB_DISK_RESERVE_MB", "-1"), ("HUB_TIMEZONE", "Mars/Olympus"),
])
def test_a_setting_that_cannot_work_is_refused_by_name(key, value):
    with pytest.raises(ConfigError, match=f"^{key}: "):
        config.load(environ={key: value})


@pytest.mark.parametrize("env, option, named", [
    ({"HUB_PORT": "70000"}, (), "HUB_PORT"),
    ({"HUB_TIMEZONE": "Mars/Olympus"}, ("--port", "1"), "HUB_TIMEZONE"),
    ({}, ("--port", "1", "--host", "no-such-host.invalid"), "HUB_HOST"),
])
def test_bad_port_time_zone_or_host_stops_with_one_line(tmp_path, env, option, named):
    result = subprocess.run([sys.executable, "-m", "hub", "serve", *option], cwd=ROOT,
                            env=hub_env(tmp_path / "data", **env), capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith(f"hub: {named}: ") and result.stderr.count("\n") == 1, result.stderr


def test_a_misspelt_key_in_the_config_file_is_refused_by_name(tmp_path):
    (tmp_path / "hub.conf").write_text("HUB_PORT = 9000\nHUB_PROT = 9001\n")
    with pytest.raises(ConfigError, match=r"hub\.conf: HUB_PROT is not a setting of the hub"):
        config.load(environ={"HUB_DATA_DIR": str(tmp_path)})


def test_a_hash_inside_a_value_is_kept_and_errors_stay_one_line(tmp_path):
    from hub.core.config import ConfigError, read_config_file

    conf = tmp_path / "hub.conf"
    conf.write_text("# the hub\nHUB_UPSTREAM_SECRET = abc#123  # after a space: a comment\n"
                    "HUB_HUB_ID = 'kisumu-1'\n; another comment\nHUB_PORT=9000\n")
    assert read_config_file(conf) == {"HUB_UPSTREAM_SECRET": "abc#123", "HUB_HUB_ID": "kisumu-1",
                                      "HUB_PORT": "9000"}
    conf.write_text("HUB_PORT = 9000\nthis line has no equals sign\n")
    with pytest.raises(ConfigError) as raised:
        read_config_file(conf)
    assert str(raised.value) == f"{conf}:2: expected KEY = value"
    conf.write_text("HUB_PORT = 9000\nHUB_PORT = 9001\n")
    with pytest.raises(ConfigError, match=r":2: HUB_PORT is set twice"):
        read_config_file(conf)
