"""Search over 100,000 resources: p95 at 10 connections with varied and with repeated queries.

    .venv/bin/python -m benchmarks.search --work /tmp/search [--resources 100000] [--duration 10]
    .venv/bin/python -m benchmarks.search --work /tmp/search --code /tmp/before --code . --uncached

Builds the large catalog once (benchmarks.generate: real packs installed by `hub packs install`,
five languages and three scripts), then drives the search page (/search?q=) and the search API
(/api/v1/resources?q=) with wrk. "varied" cycles through 200 distinct queries taken from the
data (every word of the generated vocabulary, then numbers from the titles), so a results cache
does not hide the full-text work; "repeated" asks for one word again and again. Each `--code`
tree (an exported older tree for before/after) gets its own server on the same data; the runs
alternate between them, so both meet the same machine. The data dir is kept in --work.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.parse
from pathlib import Path

from benchmarks import generate
from benchmarks.harness import ROOT, cpu_seconds, hub_server
from benchmarks.load import run_load

QUERIES = 200


def prepare(work: Path, resources: int, packs: int) -> tuple[Path, int]:
    """The catalog of `resources` resources in `packs` packs (built once); (data dir, count)."""
    from hub.core.db import open_hub_db

    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    db = open_hub_db(data)
    try:
        count = db.execute("SELECT count(*) FROM resources").fetchone()[0]
    finally:
        db.conn.close()
    if count == 0:
        count = generate.generate_catalog(data, work, packs, resources)["resources"]
    generate.warm_search(data)
    return data, count


def varied_queries(count: int = QUERIES) -> list[str]:
    """`count` distinct queries found in the data: the vocabulary, then title numbers."""
    words = list(dict.fromkeys(w for lang in generate.LANGUAGES for w in generate.WORDS[lang]))
    numbers = [str(n) for n in range(101, 5_000, 53)]  # every title ends in its group number
    return (words + numbers)[:count]


def paths(kind: str, queries: list[str]) -> list[str]:
    """The page or API path of each query."""
    base = "/search?q=" if kind == "page" else "/api/v1/resources?q="
    return [base + urllib.parse.quote(q) for q in queries]


def measure(data: Path, codes: list[Path], duration: float, connections: list[int],
            uncached: bool = False) -> dict:
    """p50/p95/p99 per code, page/API, varied/repeated queries and connection count.

    `uncached` adds a server of the last code with its results cache off
    (HUB_SEARCH_CACHE_BYTES=0): every request then does the full-text work."""
    servers, labels = [], [str(code) for code in codes]
    for code in codes:
        server = hub_server(data)
        server.cwd = code  # `python -m hub` imports the tree it runs in
        servers.append(server)
    if uncached:
        server = hub_server(data, extra_env={"HUB_SEARCH_CACHE_BYTES": "0"})
        server.cwd = codes[-1]
        servers.append(server)
        labels.append(f"{codes[-1]} (results cache off)")
    results: dict = {label: {} for label in labels}
    try:
        for server in servers:
            server.start(timeout=300)
        varied = varied_queries()
        for kind in ("page", "api"):
            for mode, cycle in (("varied", paths(kind, varied)), ("repeated", paths(kind, ["garden"]))):
                for conns in connections:
                    for label, server in zip(labels, servers):  # alternate: same machine, same minute
                        # One warm-up pass through the queries' pages of code, not of results.
                        run_load(server.url, cycle[0], 1, 1)
                        cpu = cpu_seconds(server.proc.pid)
                        run = run_load(server.url, cycle[0], conns, duration, paths=cycle).as_dict()
                        used = cpu_seconds(server.proc.pid) - cpu
                        results[label][f"{kind} {mode} c{conns}"] = {
                            **{k: run[k] for k in ("requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms")},
                            # The server's own CPU per answer: what a busy machine moves least.
                            "cpu_ms_per_request": round(1000 * used / max(1, run["requests"]), 2)}
        return results
    finally:
        for server in servers:
            server.stop()


def main(argv=None) -> None:
    """Command line: --work, --resources, --packs, --duration, --code (repeatable), --connections."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--packs", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--code", type=Path, action="append")
    parser.add_argument("--connections", type=int, action="append")
    parser.add_argument("--uncached", action="store_true",
                        help="also measure the last code with its results cache off")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data, count = prepare(args.work, args.resources, args.packs)
    prepared = round(time.perf_counter() - started, 1)
    codes = [c.resolve() for c in (args.code or [ROOT])]
    print(json.dumps({"resources": count, "prepare_s": prepared,
                      **measure(data, codes, args.duration, args.connections or [10], args.uncached)}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
