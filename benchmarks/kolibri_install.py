"""`python -m benchmarks.kolibri_install`: peak RSS while the hub installs a 2 GB Kolibri channel.

Writes a Kolibri channel export (content/databases/<id>.sqlite3 and content/storage/, as
`kolibri manage exportchannel` and `exportcontent` write them) whose videos hold --gib GiB of
random bytes in all, each file named by its real MD5, then installs it as a facilitator would
from the command line (`hub packs install EXPORT`), sampling the peak RSS of that process tree.
The budget is the hub's peak, 90 MB (issue 22): the install checks every file's MD5 and copies
it in bounded chunks, never reading a file whole.

    .venv/bin/python -m benchmarks.kolibri_install [--gib 2] [--videos 40] [--work DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ROOT, RssSampler

BUDGET_MB = 90
CHUNK = 1024 * 1024


def _random_file(path: Path, size: int, seed: int) -> str:
    """Write `size` random bytes to `path` a MiB at a time; return their MD5."""
    rng, digest = random.Random(seed), hashlib.md5()
    with open(path, "wb") as out:
        left = size
        while left:
            block = rng.randbytes(min(CHUNK, left))
            digest.update(block)
            out.write(block)
            left -= len(block)
    return digest.hexdigest()


def make_export(folder: Path, total_bytes: int, videos: int) -> Path:
    """A channel export with `videos` videos of total_bytes in all (plus a few small nodes)."""
    sys.path.insert(0, str(ROOT))
    from tests.kolibrifactory import ChannelExport, sample_channel

    channel, _nodes = sample_channel(name="Big videos", version=1)
    topic = channel.topic(None, "Films")
    placeholders = [channel.resource(topic, "video", f"Film {n + 1}",
                                     [("high_res_video", "mp4", f"placeholder {n}".encode())],
                                     duration=600) for n in range(videos)]
    export = channel.write(folder / "KOLIBRI_DATA")
    conn = sqlite3.connect(export / "content" / "databases" / f"{channel.id}.sqlite3")
    size = total_bytes // videos
    for n, node in enumerate(placeholders):
        old = hashlib.md5(f"placeholder {n}".encode()).hexdigest()
        storage = export / "content" / "storage"
        (storage / old[0] / old[1] / f"{old}.mp4").unlink()
        scratch = storage / f"video-{n}.tmp"
        md5 = _random_file(scratch, size, n)
        final = storage / md5[0] / md5[1] / f"{md5}.mp4"
        final.parent.mkdir(parents=True, exist_ok=True)
        scratch.rename(final)
        conn.execute("UPDATE content_localfile SET id = ?, file_size = ? WHERE id = ?", [md5, size, old])
        conn.execute("UPDATE content_file SET local_file_id = ? WHERE local_file_id = ?", [md5, old])
    conn.commit()
    conn.close()
    assert isinstance(channel, ChannelExport)
    return export


def run(work: Path, gib: float, videos: int) -> dict:
    """Make the export, install it with `hub packs install`, return the figures."""
    total = int(gib * 1024 ** 3)
    began = time.perf_counter()
    export = make_export(work / "usb", total, videos)
    made_s = time.perf_counter() - began
    data_dir = work / "data"
    env = dict(os.environ, HUB_DATA_DIR=str(data_dir), HUB_PACKS_SOURCE=str(work / "no-packs"),
               HUB_DISK_RESERVE_MB="100", HUB_UPSTREAM_URL="")
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hub", "packs", "install", str(export)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with RssSampler(proc.pid, interval=0.02) as peak:
        output, _ = proc.communicate()
    install_s = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"install failed: {output.decode(errors='replace')[-2000:]}")
    installed = sum(p.stat().st_size for p in (data_dir / "packs").rglob("*") if p.is_file())
    return {"content_gib": round(total / 1024 ** 3, 2), "videos": videos,
            "export_written_s": round(made_s, 1), "install_s": round(install_s, 1),
            "installed_gib": round(installed / 1024 ** 3, 2),
            "peak_rss_mb": round(peak.peak_kb / 1024, 1), "budget_mb": BUDGET_MB,
            # The kernel's high-water mark of the install process (sampling can miss a spike).
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "output": output.decode(errors="replace").strip().splitlines()[:3]}


def main(argv=None) -> int:
    """Run once in a temporary folder (or --work) and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=2.0, help="content size in GiB (default 2)")
    parser.add_argument("--videos", type=int, default=40, help="how many video files (default 40)")
    parser.add_argument("--work", type=Path, help="a folder for the export and the data dir")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kolibri-install-", dir=args.work))
    try:
        result = run(work, args.gib, args.videos)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0 if max(result["peak_rss_mb"], result["max_rss_mb"]) < BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
