"""Without python-libzim the hub still runs, and says in one line what a ZIM needs."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT, HubProcess, http


@pytest.mark.slow
def test_install_without_libzim_says_what_is_missing(tmp_path):
    shadow = tmp_path / "shadow" / "libzim"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("libzim is not installed")\n')
    zim = tmp_path / "wikipedia_en.zim"
    zim.write_bytes(b"ZIM\x04" + b"\x00" * 200)
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=f"{tmp_path / 'shadow'}{os.pathsep}{ROOT}",
               HUB_DATA_DIR=str(data), HUB_PACKS_SOURCE=str(tmp_path / "none"), HUB_MDNS="0")
    done = subprocess.run([sys.executable, "-m", "hub", "packs", "install", str(zim)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "wikipedia_en.zim: ZIM support needs the optional extra: pip install '.[zim]'"]
    # Nothing was written: no pack folder appeared.
    assert not (data / "packs").exists() or not any((data / "packs").iterdir())
    # And the hub itself serves and searches without libzim.
    with HubProcess(data, PYTHONPATH=env["PYTHONPATH"]) as server:
        assert http("GET", f"{server.url}/healthz")[0] == 200
        assert http("GET", f"{server.url}/search?q=zebra")[0] == 200
