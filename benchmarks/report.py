"""Results to docs/performance.md (between markers, so the written analysis stays) and a summary."""
from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
from pathlib import Path

from benchmarks.harness import ROOT

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
NAMES = {"home": "Learner home page", "pack": "Pack page (25,000-resource pack)",
         "search": "Search page", "search_api": "Search API (JSON)",
         "resource": "Resource page", "content_1mb_range": "1 MB content file, Range",
         "events": "Event ingest, batches of 20"}


def machine() -> dict:
    """What the figures were measured on."""
    cpu = "unknown"
    mem_kb = 0
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                   if l.startswith("model name"))
        mem_kb = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")))
    except (OSError, StopIteration):
        pass

    def version(argv):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            return (out.stdout + out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "absent"

    return {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "kernel": platform.release(), "wrk": version(["wrk", "--version"]),
            "nginx": version(["nginx", "-v"])}


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("pass" if ok else "**FAIL**")


def _num(value, unit: str) -> str:
    if isinstance(value, int):
        return f"{value:,} {unit}".rstrip()
    return f"{value:.2f} {unit}" if isinstance(value, float) else str(value)


def _ms(v) -> str:
    return f"{v:.1f}"


def load_rows(results: dict) -> list[tuple]:
    """(figure, rps, p50, p95, p99, ratio, budget, verdict) per scenario and connection count."""
    rows = []
    base = results.get("baseline", {})
    nginx = results.get("nginx") if isinstance(results.get("nginx"), dict) else {}
    for c, r in sorted(base.items(), key=lambda kv: int(kv[0])):
        rows.append((f"Baseline: bare Flask + waitress, 60-item page, c={c}", r, "1.00", "", None))
    for c, r in sorted(nginx.items(), key=lambda kv: int(kv[0])):
        rows.append((f"nginx: the same 1 MB file, Range, c={c}", r, "", "", None))
    for c, r in sorted((results.get("waitress_file") or {}).items(), key=lambda kv: int(kv[0])):
        ref = nginx.get(c) or nginx.get(str(c))
        ratio = f"{r['rps'] / ref['rps']:.2f}" if ref and ref["rps"] else ""
        rows.append((f"waitress alone (plain WSGI file_wrapper): the same file, c={c}", r, ratio,
                     "", None))
    for name, per_c in results.get("scenarios", {}).items():
        if isinstance(per_c, str):
            rows.append((NAMES.get(name, name), per_c, "", "", None))
            continue
        for c, r in sorted(per_c.items(), key=lambda kv: int(kv[0])):
            ref = (nginx if name == "content_1mb_range" else base).get(c) or \
                  (nginx if name == "content_1mb_range" else base).get(str(c))
            ratio = f"{r['rps'] / ref['rps']:.2f}" if ref and ref["rps"] else ""
            budget, ok = "", None
            c = int(c)
            if name == "home" and c == 50:
                budget = "≥ 0.50 × baseline req/s; p99 < 150 ms"
                ok = bool(ratio) and float(ratio) >= 0.5 and r["p99_ms"] < 150
            elif name in ("search", "search_api") and c == 1:
                # A search's own latency: at 10 and 50 connections p95 is mostly queueing
                # (Little's law), shown without a verdict (docs/performance.md).
                budget, ok = "p95 < 50 ms", r["p95_ms"] < 50
            elif name == "content_1mb_range" and c == 50:
                budget = "≥ 0.50 × nginx req/s"
                ok = bool(ratio) and float(ratio) >= 0.5
            elif name == "events":
                budget, ok = "≥ 2,000 events/s", r["rps"] * 20 >= 2000
            if ok is not None and (r["rps"] <= 0 or r.get("errors")):
                ok = False  # no answers (or errors) never pass a budget
            label = f"{NAMES.get(name, name)}, c={c}"
            if name == "events":
                label += f" ({r['rps'] * 20:,.0f} events/s)"
            rows.append((label, r, ratio, budget, ok))
    return rows


def render(results: dict) -> str:
    """The generated part of docs/performance.md."""
    m, out = results["machine"], []
    out.append(f"Measured {results['date']} with `{results['command']}` ({results['mode']} run).\n")
    out.append(f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB memory, "
               f"Linux {m['kernel']}, Python {m['python']}, SQLite {m['sqlite']}, "
               f"load generator {results.get('tool')} ({m['wrk']}), {m['nginx']}.\n")
    d = results.get("data", {})
    out.append(f"Data set: {len(d.get('packs', []))} packs, {d.get('resources', 0):,} resources "
               f"in {', '.join(d.get('languages', []))} (Latin, Arabic and Devanagari scripts), "
               f"installed by {d.get('install')}; {d.get('learners', 0):,} learners; "
               f"{d.get('events', 0):,} events over {d.get('days', 0)} days. Each load run lasts "
               f"{results['duration_s']} s with wrk -t1 (or the Python client).\n")
    out.append("### Start-up and memory\n")
    out.append("| figure | hub | baseline | ratio | budget | verdict |\n|---|---|---|---|---|---|")
    for label, value, ref, budget, ok, unit in results.get("single_rows", []):
        ratio = f"{value / ref:.2f}" if isinstance(value, (int, float)) and ref else ""
        shown = _num(value, unit)
        ref_shown = f"{ref:.2f} {unit}" if isinstance(ref, (int, float)) else ""
        out.append(f"| {label} | {shown} | {ref_shown} | {ratio} | {budget} | {_verdict(ok)} |")
    out.append("\n### Throughput and latency (ratio: to the baseline at the same connections; "
               "content file: to nginx)\n")
    out.append("| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | ratio | budget | verdict |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for label, r, ratio, budget, ok in load_rows(results):
        if isinstance(r, str):
            out.append(f"| {label} | {r} | | | | | | | |")
            continue
        out.append(f"| {label} | {r['rps']:,.0f} | {_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | "
                   f"{_ms(r['p99_ms'])} | {r['errors']} | {ratio} | {budget} | {_verdict(ok)} |")
    peaks = results.get("scenario_peak_rss_mb") or {}
    if peaks:
        out.append("\nPeak RSS of the hub's process tree during each scenario (1, 10 and 50 "
                   "connections in turn): " + "; ".join(
                       f"{NAMES.get(n, n)} {mb:.1f} MB" for n, mb in peaks.items()) + ".")
    threads = results.get("threads", {})
    if threads:
        out.append("\n### HUB_THREADS: learner home page at 50 connections\n")
        out.append("| HUB_THREADS | req/s | p50 ms | p99 ms | peak RSS MB |\n|---|---|---|---|---|")
        for n, r in threads.items():
            if isinstance(r, str):
                out.append(f"| {n} | {r} | | | |")
            else:
                out.append(f"| {n} | {r['rps']:,.0f} | {_ms(r['p50_ms'])} | {_ms(r['p99_ms'])} | "
                           f"{r.get('peak_rss_mb', 0):.1f} |")
    fv = results.get("first_visit")
    if isinstance(fv, dict):
        out.append("\n### First visit of the learner home page\n")
        out.append("| file | status | bytes on the wire | gzip |\n|---|---|---|---|")
        for f in fv["files"]:
            out.append(f"| {f['url']} | {f['status']} | {f['bytes']:,} | {'yes' if f['gzip'] else 'no'} |")
        out.append(f"\nTotal with headers: **{fv['bytes']:,} bytes** "
                   f"(uncompressed {fv['uncompressed']:,}; if every file were gzipped "
                   f"{fv['if_all_gzipped']:,}).")
    prof = results.get("profile") or {}
    if prof.get("text"):
        lines = [l for l in prof["text"].splitlines() if l.strip()]
        lines = lines[next((i + 1 for i, l in enumerate(lines) if l.startswith("Profile at")), 0):][:45]
        out.append(f"\n### Profile of the slowest page: {NAMES.get(prof['scenario'])} "
                   f"(`{prof['path']}`, 200 requests, pyinstrument)\n")
        out.append("```\n" + "\n".join(lines) + "\n```")
    return "\n".join(out) + "\n"


TEMPLATE = """# Performance

How fast the hub is, how much memory it takes, and the budgets from issue 7. Run it yourself
with `make bench` (full, about 15 minutes) or `make bench BENCH_ARGS=--quick`; see
benchmarks/README.md.

## Results

{start}
{end}
"""


def write(results: dict, doc: Path = DOC) -> Path:
    """Replace the generated section of docs/performance.md (creating the file if needed)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else TEMPLATE.format(start=START, end=END)
    if START not in text:
        text += f"\n## Results\n\n{START}\n{END}\n"
    block = f"{START}\n{render(results)}{END}"
    text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
    return doc


def write_section(markers: tuple[str, str], text: str, doc: Path = DOC) -> None:
    """Replace the part of docs/performance.md between two markers (added at the end the first time)."""
    start, end = markers
    page = doc.read_text(encoding="utf-8")
    block = f"{start}\n{text}{end}"
    if start in page and end in page:
        page = page[:page.index(start)] + block + page[page.index(end) + len(end):]
    else:
        page = page.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(page, encoding="utf-8")


def summary(results: dict) -> str:
    """A few lines for the terminal: each budget and its verdict."""
    lines = [f"Benchmark ({results['mode']}), {results['date']}:"]
    for label, value, ref, budget, ok, unit in results.get("single_rows", []):
        shown = _num(value, unit)
        lines.append(f"  {label}: {shown}  {budget} {_verdict(ok)}".rstrip())
    for label, r, ratio, budget, ok in load_rows(results):
        if isinstance(r, str):
            lines.append(f"  {label}: {r}")
        elif budget or label.startswith(("Baseline", "nginx", "waitress")) and "c=50" in label:
            lines.append(f"  {label}: {r['rps']:,.0f} req/s, p95 {r['p95_ms']:.1f} ms, "
                         f"p99 {r['p99_ms']:.1f} ms  {'ratio ' + ratio if ratio else ''} "
                         f"{budget} {_verdict(ok)}".rstrip())
    return "\n".join(lines)
