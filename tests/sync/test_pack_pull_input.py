"""`hub packs updates/pull` given addresses that cannot work: one clear line, exit 1, nothing changed."""
from __future__ import annotations

import time

import pytest

from sync.pack_http import Pacer
from tests.centralproc import CentralProcess
from tests.helpers import free_port


@pytest.mark.parametrize("source, why", [
    ("ftp://example.org", "not an http:// or https:// address"),
    (f"http://127.0.0.1:{free_port()}", "cannot reach"),
])
def test_a_source_that_cannot_work_is_one_line_and_exit_1(runner, data_dir, source, why):
    for args in (["packs", "updates", "--from", source], ["packs", "pull", "org.example.numbers", "--from", source]):
        result = runner.invoke(args)
        assert result.exit_code == 1 and why in result.output, result.output
    assert not (data_dir / "downloads").exists() or not any((data_dir / "downloads").iterdir())


def test_without_a_registered_centre_or_from_the_pull_says_what_to_do(runner):
    result = runner.invoke(["packs", "updates"])
    assert result.exit_code == 1 and "no centre is registered (hub sync register)" in result.output


def test_a_server_that_is_not_a_catalog_is_named(runner, tmp_path):
    """A server that answers, but not with a pack catalog (another web service on the LAN)."""
    with CentralProcess(tmp_path / "central") as central:
        result = runner.invoke(["packs", "pull", "x.y.z", "--from", central.url + "/healthz"])
    assert result.exit_code == 1 and "/healthz/api/v1/catalog answered 404" in result.output


def test_the_background_speed_limit_holds():
    pacer, started = Pacer(512 * 1024), time.monotonic()
    for _ in range(8):
        pacer.took(64 * 1024)  # 512 KiB at 512 KiB/s: about one second
    assert 0.9 <= time.monotonic() - started < 2.0
