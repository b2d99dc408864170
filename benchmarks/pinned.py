"""Learner pages against the framework's ceiling: pinned, shared, and a low-end profile.

    python -m benchmarks.pinned [--duration 5] [--json FILE] [--no-doc] [--modes pinned,shared,low_end]

On a real device the clients are phones, not a load generator on the same CPU. So the server
runs on core 0 and wrk on core 1 (taskset), and then both share every core as the rest of the
suite measures; both sets of figures are reported. The ceiling is a bare Flask + waitress
minimal JSON response served in the same run (benchmarks.baseline /healthz): every hub page is
also a ratio to it. The low-end profile runs the hub on one core inside a 256 MB memory cgroup,
the closest stand-in for a Raspberry Pi 3 here, when the machine lets us make one (cgroup v1
or v2 under /sys/fs/cgroup, as root); otherwise it says why not.

The hub serves the bundled packs (content_packs/) from a fresh data dir; a signed-in learner's
cookie comes from the sign-up API. Results replace the part of docs/performance.md between the
`pinned:results` markers.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

from benchmarks.harness import ROOT, RssSampler, Server, free_port, hub_server
from benchmarks.load import have_wrk, run_wrk
from benchmarks.scenarios import _api_json, _need, sign_in

CONNECTIONS = (10, 50)
MEMORY_CAP_MB = 256
MARKERS = ("<!-- pinned:results:start -->", "<!-- pinned:results:end -->")


def pages(base: str) -> dict[str, dict]:
    """The learner pages measured: home, a pack, a resource, search; home and the resource
    signed in."""
    packs = _api_json(base, "/api/v1/packs").get("packs", [])
    if not packs:
        raise RuntimeError("the hub has no packs: content_packs/ did not install")
    pack_path = urlsplit(packs[0]["url"]).path if packs[0].get("url") else f"/packs/{packs[0]['id']}"
    listing = _api_json(base, "/api/v1/resources?limit=1")
    resource = (listing.get("resources") or [{}])[0]
    resource_path = urlsplit(resource.get("url", "")).path
    word = re.findall(r"\w{4,}", resource.get("title") or "water")[0].lower()
    cookie = _as_a_phone_keeps_it(base, sign_in(base))
    found = {"home": {"path": "/"}, "pack": {"path": pack_path},
             "resource": {"path": resource_path},
             "search": {"path": f"/search?q={quote(word)}"},
             "home_signed_in": {"path": "/", "headers": {"Cookie": cookie}},
             "resource_signed_in": {"path": resource_path, "headers": {"Cookie": cookie}}}
    for request in found.values():
        _need(base + request["path"], request.get("headers"))
    return found


def _as_a_phone_keeps_it(base: str, cookie: str) -> str:
    """The session cookie after one page: a phone keeps the newest cookie a page sets (its
    form token), where a fixed cookie would make every request set it again."""
    request = urllib.request.Request(base + "/", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as response:
        newer = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in newer) or cookie


def baseline_server(prefix: list[str]) -> Server:
    """The bare Flask + waitress app (benchmarks.baseline) on a free port."""
    port = free_port()
    return Server(prefix + [sys.executable, "-m", "benchmarks.baseline", str(port), "8"], port)


def _load(base: str, request: dict, connections: int, duration: float, cpus: str | None) -> dict:
    result = run_wrk(base, request["path"], connections, duration, headers=request.get("headers"),
                     cpus=cpus)
    return {"rps": round(result.rps, 1), "p99_ms": round(result.p99_ms, 1),
            "errors": result.errors, "bytes": round(result.bytes_per_request)}


def measure_mode(data: Path, work: Path, duration: float, pinned: bool) -> dict:
    """Every page at 10 and 50 connections, with the server pinned to core 0 or not."""
    prefix, cpus = (["taskset", "-c", "0"], "1") if pinned else ([], None)
    out: dict[str, dict] = {}
    with baseline_server(prefix).start(log_dir=work) as bare:
        for name, path in (("ceiling_minimal", "/healthz"), ("bare_60_item_page", "/")):
            out[name] = {c: _load(bare.url, {"path": path}, c, duration, cpus) for c in CONNECTIONS}
    hub = hub_server(data, packs_source=ROOT / "content_packs")
    hub.argv = prefix + hub.argv
    with hub.start(log_dir=work) as server:
        for name, request in pages(server.url).items():
            out[name] = {c: _load(server.url, request, c, duration, cpus) for c in CONNECTIONS}
    return out


def _cgroup(limit_mb: int) -> Path | None:
    """A fresh memory cgroup capped at limit_mb (v2, then v1), or None where none can be made."""
    name = f"hub-bench-{os.getpid()}"
    for root, limit_file in ((Path("/sys/fs/cgroup"), "memory.max"),
                             (Path("/sys/fs/cgroup/memory"), "memory.limit_in_bytes")):
        group = root / name
        try:
            if not (root / limit_file).exists() and not (root / "cgroup.controllers").exists():
                continue
            group.mkdir()
            (group / limit_file).write_text(str(limit_mb * 1024 * 1024))
            return group
        except OSError:
            try:
                group.rmdir()
            except OSError:
                pass
    return None


def measure_low_end(data: Path, work: Path, duration: float) -> dict:
    """The hub on one core in a 256 MB cgroup: pages at 10 connections, and the peak RSS."""
    group = _cgroup(MEMORY_CAP_MB)
    if group is None:
        return {"available": False, "why": "no memory cgroup can be made here (needs root and "
                                           "a writable /sys/fs/cgroup)"}
    hub = hub_server(data, packs_source=ROOT / "content_packs")
    # The shell joins the cgroup, then becomes the pinned hub: everything it starts is capped.
    hub.argv = ["sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "sh",
                "taskset", "-c", "0"] + hub.argv
    try:
        with hub.start(log_dir=work) as server:
            found = pages(server.url)
            with RssSampler(server.proc.pid) as sampler:
                figures = {name: _load(server.url, request, 10, duration, "1")
                           for name, request in found.items()}
            return {"available": True, "memory_cap_mb": MEMORY_CAP_MB,
                    "peak_rss_mb": round(sampler.peak_kb / 1024, 1), "pages": figures}
    finally:
        time.sleep(0.2)  # the cgroup empties once the hub's processes have been reaped
        try:
            group.rmdir()
        except OSError:
            pass


def table(results: dict) -> str:
    """The Markdown tables for docs/performance.md."""
    lines = []
    for mode in ("pinned", "shared"):
        if mode not in results:
            continue
        figures = results[mode]
        ceiling = {c: figures["ceiling_minimal"][c]["rps"] for c in CONNECTIONS}
        lines += [f"**{mode}** ({'server on core 0, wrk on core 1' if mode == 'pinned' else 'server and wrk share every core'})", "",
                  "| page | " + " | ".join(f"{c} conn req/s (× ceiling) | p99 ms" for c in CONNECTIONS) + " |",
                  "|---|" + "---|---|" * len(CONNECTIONS)]
        for name, by_conn in figures.items():
            cells = []
            for c in CONNECTIONS:
                row = by_conn[c]
                ratio = row["rps"] / ceiling[c] if ceiling[c] else 0
                cells += [f"{row['rps']:,.0f} ({ratio:.2f}×)", f"{row['p99_ms']:.0f}"]
            lines.append(f"| {name.replace('_', ' ')} | " + " | ".join(cells) + " |")
        lines.append("")
    low = results.get("low_end", {"available": False, "why": "not asked for (--modes)"})
    if low.get("available"):
        lines += [f"**low-end profile** (one core, {low['memory_cap_mb']} MB cgroup, 10 connections;"
                  f" peak RSS {low['peak_rss_mb']} MB)", "", "| page | req/s | p99 ms |", "|---|---|---|"]
        lines += [f"| {name.replace('_', ' ')} | {row['rps']:,.0f} | {row['p99_ms']:.0f} |"
                  for name, row in low["pages"].items()]
    else:
        lines.append(f"Low-end profile not measured: {low['why']}.")
    return "\n".join(lines) + "\n"


def write_doc(text: str) -> None:
    """Replace this comparison's section of docs/performance.md."""
    from benchmarks.report import write_section

    write_section(MARKERS, text)


def main(argv: list[str] | None = None) -> dict:
    """Run the pinned, shared and low-end measurements; print and record them."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.pinned", description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=float, default=5.0, help="seconds per load run (5)")
    p.add_argument("--json", help="also write the raw results to this file")
    p.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    p.add_argument("--modes", default="pinned,shared,low_end",
                   help="which of pinned,shared,low_end to run (an A/B of two trees: pinned)")
    a = p.parse_args(argv)
    modes = set(a.modes.split(","))
    if not have_wrk() or (os.cpu_count() or 1) < 2:
        sys.exit("needs wrk (apt-get install wrk) and at least two cores")
    with tempfile.TemporaryDirectory(prefix="hub-pinned-") as tmp:
        work = Path(tmp)
        data = work / "data"
        results = {}
        if "pinned" in modes:
            results["pinned"] = measure_mode(data, work, a.duration, pinned=True)
        if "shared" in modes:
            results["shared"] = measure_mode(data, work, a.duration, pinned=False)
        if "low_end" in modes:
            results["low_end"] = measure_low_end(data, work, a.duration)
    text = table(results)
    print(text)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not a.no_doc:
        write_doc(text)
    return results


if __name__ == "__main__":
    main()
