"""CPU per search request, in-process, with nothing kept: what a varied search costs the hub.

    .venv/bin/python -m benchmarks.search_cpu --work /tmp/search --code /tmp/before --code . [--rounds 3]

Serves the 200 varied queries of benchmarks.search through each tree's own app (Flask's test
client, no HTTP, results cache off, each round's addresses new so no page is kept), once as the
search page and once as the search API, and reports the process CPU time per request. The trees
take turns round by round, so both meet the same machine; CPU time moves far less than latency
on a shared machine. Uses the catalog benchmarks.search built in --work.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from benchmarks.harness import ROOT


def one_round(data: str, tag: str) -> dict:
    """In the current tree: CPU and wall ms per page and per API request over the queries."""
    os.environ["HUB_SEARCH_CACHE_BYTES"] = "0"
    sys.path.insert(0, os.getcwd())  # the tree being measured, not this one
    from hub import create_app

    app = create_app({"HUB_DATA_DIR": data, "HUB_MDNS": False, "HUB_PACKS_SOURCE": data + "/no-packs"})
    client = app.test_client()
    queries = json.loads(os.environ["BENCH_QUERIES"])
    found = {}
    for name, base in (("page", "/search?q="), ("api", "/api/v1/resources?q=")):
        client.get(base + "warm")
        cpu, wall = time.process_time(), time.perf_counter()
        for query in queries:
            answer = client.get(f"{base}{urllib.parse.quote(query)}&round={tag}")
            assert answer.status_code == 200, (query, answer.status_code)
        found[name] = {"cpu_ms": round((time.process_time() - cpu) * 1000 / len(queries), 2),
                       "wall_ms": round((time.perf_counter() - wall) * 1000 / len(queries), 2)}
    return found


def main(argv=None) -> None:
    """Command line: --work (a benchmarks.search work dir), --code (repeatable), --rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--code", type=Path, action="append")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one-round", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    data = str((args.work / "data").resolve())
    if args.one_round:
        print(json.dumps(one_round(data, args.one_round)))
        return
    from benchmarks.search import varied_queries

    env = dict(os.environ, BENCH_QUERIES=json.dumps(varied_queries()),
               PYTHONPATH=str(ROOT))  # benchmarks from here; each tree's own `hub` (its cwd)
    results: dict = {}
    for n in range(args.rounds):
        for code in [c.resolve() for c in (args.code or [ROOT])]:
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()),
                                   "--work", str(args.work), "--one-round", f"{n}-{code}"],
                                  cwd=code, env=env, capture_output=True, text=True, check=True)
            results.setdefault(str(code), []).append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
