"""Helpers of the content-flow tests: signed pack zips, `hub` commands in new processes."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from hub.catalog.packs import sign
from hub.catalog.packs.build import build
from tests.centralproc import central_cli
from tests.helpers import ROOT, hub_env
from tests.packfactory import default_files, default_manifest, make_pack

PHOTO = "images/photo.jpg"


def signed_zip(tmp_path: Path, key: Path, version: str = "1.0.0", pack_id: str = "org.example.numbers",
               photo_bytes: int = 400_000) -> Path:
    """A signed pack zip with a large, incompressible file (so a cut at 40% is mid-file)."""
    folder = tmp_path / f"{pack_id}-{version}"
    files = default_files()
    files[PHOTO] = random.Random(f"{pack_id}{version}").randbytes(photo_bytes)
    manifest = default_manifest(pack_id, version)
    manifest["resources"].append({"id": "photo", "kind": "image", "language": "en",
                                  "title": "A photo of mangoes", "file": PHOTO})
    make_pack(folder, files=files, manifest=manifest)
    sign.sign_folder(folder, key)
    return build(folder, tmp_path / f"{pack_id}-{version}.zip").path


def publisher(tmp_path: Path, name: str = "partner") -> tuple[Path, Path]:
    """A publisher's key pair on disk: (private, public)."""
    private, public, _ = sign.write_key_pair(tmp_path / name)
    return private, public


def centre_with(central_dir: Path, public: Path, *zips: Path) -> None:
    """Trust a publisher at the centre and publish zips there."""
    done = central_cli(central_dir, "keys", "trust", str(public), "--name", "Partner")
    assert done.returncode == 0, done.stderr
    for path in zips:
        done = central_cli(central_dir, "packs", "publish", str(path))
        assert done.returncode == 0, done.stderr


def hub_cli(data_dir: Path, *args, **env) -> subprocess.CompletedProcess:
    """Run `hub ...` in a new process on a data dir (a restart, as far as the pull can tell)."""
    return subprocess.run([sys.executable, "-m", "hub", *args], cwd=ROOT, env=hub_env(data_dir, **env),
                          capture_output=True, text=True, timeout=120)


def staging_files(data_dir: Path) -> list[str]:
    """What waits in HUB_DATA_DIR/downloads (partial and verified zips)."""
    folder = data_dir / "downloads"
    return sorted(os.listdir(folder)) if folder.is_dir() else []
