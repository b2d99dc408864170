"""`python -m benchmarks.zim [--quick]`: article requests per second from a generated ZIM.

Generates a ZIM of 100,000 articles (quick: 5,000) with libzim's Creator, installs it with
hub.catalog.zim.install (what `hub packs install FILE.zim` runs), starts a real `hub serve`, and drives it with wrk (or the Python client)
on loopback: one article again and again, random articles with libzim's default 16 MiB
cluster cache and with the hub's own sizing (docs/zim.md), and a full-text search.
Every run is bounded in time (benchmarks.load caps it); the work folder is removed after.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import http_get, hub_server
from benchmarks.load import LoadResult, have_wrk, run_load, wrk_script

SEARCH = "/api/v1/resources?q=river+garden&limit=20"
WORDS = ("river school water market teacher garden rain village story number letter song "
         "animal health family friend window bread road light forest sun moon star tree").split()


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[zim bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def articles(count: int, seed: int = 0):
    """`count` HTML articles of about 1.5 KB, each linking to three others (relative links)."""
    rng = random.Random(seed)
    for n in range(count):
        links = " ".join(f"<a href='A{rng.randrange(count)}'>next</a>" for _ in range(3))
        text = " ".join(rng.choice(WORDS) for _ in range(220))
        yield {"path": f"A{n}", "title": f"Article {n} {rng.choice(WORDS)}",
               "content": f"<html><head><title>Article {n}</title></head><body><h1>Article {n}"
                          f"</h1><p>{text}</p><p>{links}</p></body></html>"}


def generate(path: Path, count: int) -> float:
    """Write the ZIM; return seconds taken."""
    from hub.catalog.zim import build

    began = time.perf_counter()
    build.write_zim(path, articles(count), main_path="A0", index_language="eng",
                    metadata={"Title": "Benchmark", "Language": "eng", "Name": "bench_en",
                              "Date": "2024-01-01", "Description": "generated"})
    return time.perf_counter() - began


def random_articles(url: str, count: int, connections: int, duration: float) -> LoadResult | None:
    """wrk over random article paths (wrk only: the Python client asks for one path)."""
    if not have_wrk():
        return None
    script = wrk_script("GET", "/content/zim.bench-en/A0", {}, None, None) + f"""
math.randomseed(os.time())
function request()
  return wrk.format("GET", "/content/zim.bench-en/A" .. math.random(0, {count - 1}))
end
"""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        seconds = max(1, int(min(duration, 120)))
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout",
                              "10s", "-s", handle.name, url], capture_output=True, text=True,
                             timeout=seconds + 60)
    finally:
        Path(handle.name).unlink(missing_ok=True)
    line = next(l for l in out.stdout.splitlines() if l.startswith("WRKJSON "))
    data = json.loads(line[8:])
    took = data["duration_us"] / 1e6
    return LoadResult("wrk", connections, data["requests"], data["errors"], took,
                      data["requests"] / took, data["p50"] / 1000, data["p95"] / 1000,
                      data["p99"] / 1000, data["bytes"] / max(data["requests"], 1))


def install(data: Path, zim: Path) -> None:
    """Add the ZIM as a pack, as `hub packs install` does (checksum check included)."""
    from hub.core.db import open_hub_db
    from hub.catalog.zim.install import install as add_zim

    db = open_hub_db(data)
    try:
        add_zim(db, data, zim)
    finally:
        db.conn.close()


def measure(data: Path, work: Path, count: int, connections: int, duration: float,
            cache_mb: int | None) -> dict:
    """Start the hub (cache_mb None = its own sizing) and run the three loads."""
    env = {"HUB_ZIM_CACHE_MB": str(cache_mb)} if cache_mb else {}
    server = hub_server(data, extra_env=env).start(log_dir=work)
    try:
        one = run_load(server.url, "/content/zim.bench-en/A1", connections, duration)
        spread = random_articles(server.url, count, connections, duration)
        found = None
        if http_get(server.url + SEARCH)[0] == 200:
            found = run_load(server.url, SEARCH, min(connections, 10), duration).as_dict()
        return {"one_article": one.as_dict(), "random_articles": spread and spread.as_dict(),
                "search": found, "rss_kb": server.rss_kb()}
    finally:
        server.stop()


def main(argv=None) -> int:
    """Generate, install, serve, measure; print a JSON summary."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.zim", description=__doc__)
    p.add_argument("--quick", action="store_true", help="5,000 articles, 2 s runs")
    p.add_argument("--articles", type=int)
    p.add_argument("--duration", type=float)
    p.add_argument("--connections", type=int, default=50)
    a = p.parse_args(argv)
    count = a.articles or (5_000 if a.quick else 100_000)
    duration = a.duration or (2 if a.quick else 10)
    work = Path(tempfile.mkdtemp(prefix="zim-bench-"))
    try:
        zim = work / "bench.zim"
        log(f"writing {count} articles")
        made = generate(zim, count)
        data = work / "data"
        data.mkdir()
        began = time.perf_counter()
        install(data, zim)
        installed = time.perf_counter() - began
        results = {"articles": count, "zim_bytes": zim.stat().st_size, "generate_s": made,
                   "install_s": installed, "connections": a.connections, "duration_s": duration}
        log("measuring with libzim's default 16 MiB cluster cache")
        results["default_cache"] = measure(data, work, count, a.connections, duration, 16)
        log("measuring with the hub's cluster cache sizing")
        results["sized_cache"] = measure(data, work, count, a.connections, duration, None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2))
    for label in ("default_cache", "sized_cache"):
        r = results[label]
        spread = r["random_articles"]
        search = r["search"]
        log(f"{label}: one article {r['one_article']['rps']:.0f} req/s, random articles "
            f"{spread['rps'] if spread else float('nan'):.0f} req/s, search "
            f"{search['rps'] if search else float('nan'):.0f} req/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
