"""`python -m benchmarks.zim_ranges`: peak RSS while 8 clients read a 50 MB ZIM item with Range.

Writes a ZIM holding one 50 MiB uncompressed video item (how Kiwix stores media), installs it
(hub.catalog.zim.install), starts a real `hub serve`, then 8 threads at once each read the
whole item in 4 MiB Range requests, then (all at once again) one full GET, checking every
byte. Prints the server's peak RSS (VmHWM) before, after the Range reads and after the full
reads. The budget: 80 MB for both (the hub's peak under load is 90 MB, docs/performance.md). Before issue 17
every request copied the whole item into memory (8 readers: 400 MB and more).
"""
from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from benchmarks.harness import http_get, hub_server

ITEM_MIB, CLIENTS, RANGE_MIB = 50, 8, 4
BUDGET_MB = 80  # issue 22's 90 MB peak with a margin, for Range and full reads alike


def _peak_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def make_zim(folder: Path) -> tuple[Path, bytes]:
    """A ZIM with a home page and one ITEM_MIB MiB video stored uncompressed; (path, video)."""
    from hub.catalog.zim.build import write_zim

    video = random.Random(7).randbytes(ITEM_MIB * 1024 * 1024)
    path = write_zim(folder / "videos.zim", [
        {"path": "index", "title": "Videos", "content": "<p><a href='film.webm'>film</a></p>"},
        {"path": "film.webm", "title": "Film", "content": video, "mimetype": "video/webm"}],
        main_path="index", metadata={"Title": "Videos", "Language": "eng", "Name": "videos",
                                     "Date": "2026-01-01", "Description": "One film",
                                     "Creator": "bench", "Publisher": "bench"},
        index_language=None, compress=False)
    return path, video


def run(work: Path) -> dict:
    """Install, serve, read in parallel; return the figures (raises if a byte is wrong)."""
    from hub.catalog.zim import install as zim_install
    from hub.core.db import open_hub_db

    data_dir = work / "data"
    data_dir.mkdir(parents=True)
    zim_path, video = make_zim(work)
    db = open_hub_db(data_dir)
    pack_id = zim_install.install(db, data_dir, str(zim_path)).pack_id
    db.conn.close()
    zim_path.unlink()  # the install copied it into the data dir
    url_path = f"/content/{pack_id}/film.webm"
    wrong: list[str] = []
    size = len(video)
    digest = hashlib.sha256(video).hexdigest()

    with hub_server(data_dir) as server:
        http_get(server.url + "/")
        before = _peak_kb(server.proc.pid)

        between = threading.Barrier(CLIENTS + 1)

        def client(seed: int):
            order = list(range(0, size, RANGE_MIB * 1024 * 1024))
            random.Random(seed).shuffle(order)
            for start in order:
                end = min(size, start + RANGE_MIB * 1024 * 1024) - 1
                status, _h, body = http_get(server.url + url_path,
                                            {"Range": f"bytes={start}-{end}"}, timeout=60)
                if status != 206 or body != video[start:end + 1]:
                    wrong.append(f"{status} bytes={start}-{end}")
            between.wait()
            between.wait()
            status, _h, body = http_get(server.url + url_path, timeout=120)
            if status != 200 or hashlib.sha256(body).hexdigest() != digest:
                wrong.append(f"{status} full item")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        between.wait()  # every Range read done
        ranges_peak = _peak_kb(server.proc.pid)
        between.wait()
        for thread in threads:
            thread.join(300)
        after = _peak_kb(server.proc.pid)
    if wrong:
        raise AssertionError(f"wrong answers: {wrong[:5]}")
    return {"item_mib": ITEM_MIB, "clients": CLIENTS, "range_mib": RANGE_MIB,
            "peak_rss_mb_before": round(before / 1024, 1),
            "peak_rss_mb_after_ranges": round(ranges_peak / 1024, 1),
            "peak_rss_mb_after": round(after / 1024, 1),
            "budget_mb": BUDGET_MB}


def main() -> int:
    """Run once in a temporary folder and print the figures as JSON."""
    work = Path(tempfile.mkdtemp(prefix="zim-ranges-"))
    try:
        result = run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0 if result["peak_rss_mb_after"] < BUDGET_MB else 1  # the peak of both phases


if __name__ == "__main__":
    sys.exit(main())
