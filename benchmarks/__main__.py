"""`python -m benchmarks [--quick]`: generate data, start the hub and the yardsticks, measure, report."""
from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks import generate, report, scenarios
from benchmarks.harness import ROOT, RssSampler, Server, free_port, hub_server
from benchmarks.load import have_wrk, run_load
from benchmarks.nginx import nginx_server

MB = 1024  # KiB per MiB: RSS is read in KiB


def parse_args(argv):
    """Command-line options; --quick shrinks every size and duration."""
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="short runs on a small data set")
    p.add_argument("--duration", type=float, help="seconds per load run (10; quick 2)")
    p.add_argument("--resources", type=int, help="resources in the catalog (100000; quick 5000)")
    p.add_argument("--packs", type=int, help="packs in the catalog (20; quick 6)")
    p.add_argument("--learners", type=int, help="learners (1000; quick 100)")
    p.add_argument("--events", type=int, help="events over the year (10000000; quick 200000)")
    p.add_argument("--pack-mb", type=int, help="size of the install-speed pack (500; quick 50)")
    p.add_argument("--threads", default="4,8,16", help="HUB_THREADS values to compare")
    p.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--work", help="work folder (default: a temporary one, removed after)")
    p.add_argument("--json", help="also write the raw results to this file")
    p.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    p.add_argument("--kolibri", action="store_true",
                   help="also measure Kolibri 0.19.5 side by side (benchmarks.kolibri)")
    p.add_argument("--pinned", action="store_true",
                   help="also measure learner pages pinned, shared and low-end (benchmarks.pinned)")
    p.add_argument("--only", choices=["kolibri", "pinned"],
                   help="run only that comparison, not the whole suite")
    a = p.parse_args(argv)
    quick = a.quick
    for name, full, small in [("duration", 10, 2), ("resources", 100_000, 5_000), ("packs", 20, 6),
                              ("learners", 1000, 100), ("events", 10_000_000, 200_000),
                              ("pack_mb", 500, 50)]:
        if getattr(a, name) is None:
            setattr(a, name, small if quick else full)
    return a


def log(message: str) -> None:
    """Progress on stderr, so a long run shows where it is."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def startup_bundled(work: Path) -> dict:
    """First start (installs the bundled packs) and a restart, on a fresh data dir."""
    data = work / "bundled"
    first = hub_server(data, packs_source=ROOT / "content_packs").start(log_dir=work)
    first.stop()
    again = hub_server(data, packs_source=ROOT / "content_packs").start(log_dir=work)
    idle = again.idle_rss_kb()
    again.stop()
    return {"first_s": first.startup_s, "restart_s": again.startup_s, "idle_rss_kb": idle}


def build_data(a, work: Path) -> tuple[Path, dict]:
    """The large data set: catalog, learners, a year of events."""
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    generate.hub_cli(data, "facilitators", "add", "bench", "--password-stdin",
                     stdin="bench-password-123\n")
    log(f"catalog: {a.packs} packs, {a.resources:,} resources")
    info = generate.generate_catalog(data, work, a.packs, a.resources)
    log(f"catalog installed by {info['install']} in {info['seconds']:.1f} s; learners")
    actors = generate.generate_learners(data, a.learners)
    log(f"events: {a.events:,}")
    ev = generate.generate_events(data, a.events, actors, generate.sample_resources(data))
    log(f"events written in {ev['seconds']:.1f} s; today's backup")
    info["backup_s"] = generate.steady_state(data)
    info.update(languages=generate.LANGUAGES, learners=len(actors), **ev)
    return data, info


def profile_slowest(data: Path, found: dict, measured: dict) -> dict:
    """Profile the page with the lowest req/s at 10 connections (pyinstrument, in-process)."""
    from benchmarks import profile

    pages = {n: r for n, r in measured.items() if isinstance(r, dict) and
             n not in ("content_1mb_range", "events") and 10 in r}
    if not pages:
        return {"status": "nothing to profile"}
    name = min(pages, key=lambda n: pages[n][10]["rps"])
    log(f"profiling {name} ({found[name]['path']})")
    text = profile.profile_path(data, found[name]["path"], 200)
    return {"scenario": name, "path": found[name]["path"], "file": str(profile.save(name, text)),
            "text": text}


def run(a) -> dict:
    """Every measurement, in one run, so that ratios compare like with like."""
    tool = a.tool if a.tool != "auto" else ("wrk" if have_wrk() else "python")
    res = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "command": "make bench" + (" BENCH_ARGS=" + shlex.quote(" ".join(sys.argv[1:]))
                                      if sys.argv[1:] else ""),
           "mode": "quick" if a.quick else "full", "machine": report.machine(),
           "tool": tool, "duration_s": a.duration}
    work = Path(a.work or tempfile.mkdtemp(prefix="hub-bench-"))
    for stale in ("bundled", "data", "packs", "nginx"):  # a kept --work from an earlier run
        shutil.rmtree(work / stale, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # nginx workers run as another user and must reach the media file
    conns = scenarios.CONNECTIONS
    try:
        log("start-up with the bundled packs")
        bundled = startup_bundled(work)
        data, res["data"] = build_data(a, work)

        log("baseline: bare Flask + waitress")
        port = free_port()
        base_srv = Server([sys.executable, "-m", "benchmarks.baseline", str(port), "8"], port)
        with base_srv:
            base_idle = base_srv.idle_rss_kb()
            with RssSampler(base_srv.proc.pid) as base_peak:
                res["baseline"] = scenarios.measure(base_srv.url, {"path": "/"}, conns,
                                                    a.duration, tool)

        log("nginx: the 1 MB file")
        try:
            docroot = work / "packs" / generate.MEDIA_PACK
            with nginx_server(work / "nginx", docroot) as ngx:
                res["nginx"] = scenarios.measure(
                    ngx.url, {"path": "/" + generate.MEDIA_FILE, "headers": {"Range": "bytes=0-"}},
                    conns, a.duration, tool)
        except (FileNotFoundError, RuntimeError, TimeoutError) as exc:
            res["nginx"] = f"not available: {exc}"

        log("waitress alone: the 1 MB file")
        port = free_port()
        media = work / "packs" / generate.MEDIA_PACK / generate.MEDIA_FILE
        with Server([sys.executable, "-m", "benchmarks.plainfile", str(port), "8", str(media)],
                    port) as plain:
            res["waitress_file"] = scenarios.measure(
                plain.url, {"path": "/" + generate.MEDIA_FILE, "headers": {"Range": "bytes=0-"}},
                conns, a.duration, tool)

        log("hub on the large data set")
        hub = hub_server(data).start(log_dir=work)
        try:
            idle = hub.idle_rss_kb()
            idle_threads = hub.threads()
            found = scenarios.discover(hub.url)
            res["scenarios"], res["scenario_peak_rss_mb"] = {}, {}
            with RssSampler(hub.proc.pid) as hub_peak:
                for name, request in found.items():
                    log(f"scenario {name}")
                    if isinstance(request, str):
                        res["scenarios"][name] = request
                        continue
                    with RssSampler(hub.proc.pid) as peak:  # which scenario sets the peak
                        res["scenarios"][name] = scenarios.measure(hub.url, request, conns,
                                                                   a.duration, tool)
                    res["scenario_peak_rss_mb"][name] = peak.peak_kb / MB
            res["first_visit"] = scenarios.first_visit(hub.url, "/")
        finally:
            hub.stop()

        res["profile"] = profile_slowest(data, found, res["scenarios"])

        res["threads"] = {}
        for n in [int(t) for t in a.threads.split(",") if t]:
            log(f"HUB_THREADS={n}")
            srv = hub_server(data, threads=n).start(log_dir=work)
            try:
                with RssSampler(srv.proc.pid) as peak:
                    r = run_load(srv.url, "/", 50, a.duration, tool=tool).as_dict()
                res["threads"][n] = dict(r, peak_rss_mb=peak.peak_kb / MB)
            finally:
                srv.stop()

        log(f"pack install speed: {a.pack_mb} MB")
        res["install"] = scenarios.pack_install_speed(work, a.pack_mb)
        log("rollup")
        first = date.today() - timedelta(days=res["data"]["days"] - 1)
        days = [(first + timedelta(days=d)).isoformat() for d in range(res["data"]["days"])]
        res["rollup"] = scenarios.rollup_times(data, days)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)

    inst, roll = res["install"], res["rollup"]
    per_day = res["data"]["events"] // max(res["data"]["days"], 1)
    res["single_rows"] = [
        ("Start to first 200, bundled packs, first start", bundled["first_s"],
         base_srv.startup_s, "", None, "s"),
        ("Start to first 200, bundled packs, restart", bundled["restart_s"], base_srv.startup_s,
         "< 0.5 s", bundled["restart_s"] < 0.5, "s"),
        (f"Start to first 200, {res['data']['resources']:,} resources", hub.startup_s,
         base_srv.startup_s, "< 2 s", hub.startup_s < 2, "s"),
        ("Idle RSS, bundled packs", bundled["idle_rss_kb"] / MB, base_idle / MB, "< 50 MB",
         bundled["idle_rss_kb"] / MB < 50, "MB"),
        ("Idle RSS, large data set", idle / MB, base_idle / MB, "< 50 MB", idle / MB < 50, "MB"),
        ("Peak RSS under load (up to 50 connections)", hub_peak.peak_kb / MB,
         base_peak.peak_kb / MB, "< 90 MB", hub_peak.peak_kb / MB < 90, "MB"),
        ("Threads, idle", idle_threads, None, "", None, ""),
        (f"Pack install, {inst['size_mb']:.0f} MB .zip",
         inst.get("mb_per_s", inst["status"]), None, "", None, "MB/s"),
        (f"Rollup of one day (about {per_day:,} events)", roll.get("day_s", roll["status"]), None,
         "< 2 s for 100,000 events", (roll["day_s"] < 2) if "day_s" in roll else None, "s"),
        (f"Rollup of every day, as the running hub does it ({res['data']['events']:,} events)",
         roll.get("year_s", roll["status"]), None, "minutes, not hours",
         (roll["year_s"] < 3600) if "year_s" in roll else None, "s"),
    ]
    fv = res.get("first_visit")
    if isinstance(fv, dict):
        res["single_rows"].append(("First visit of the home page", fv["bytes"] / 1000, None,
                                   "< 60 KB", fv["bytes"] < 60_000, "KB"))
    return res


def main(argv=None) -> int:
    """Run the suite, write docs/performance.md, print the summary."""
    a = parse_args(sys.argv[1:] if argv is None else argv)
    if not a.only:
        res = run(a)
        if a.json:
            Path(a.json).write_text(json.dumps(res, indent=2, default=str))
        if not a.no_doc:
            log(f"wrote {report.write(res)}")
        print(report.summary(res))
    extra = ["--duration", str(min(a.duration, 5))] + (["--no-doc"] if a.no_doc else [])
    if a.pinned or a.only == "pinned":
        from benchmarks import pinned
        log("learner pages: pinned, shared, low-end")
        pinned.main(extra)
    if a.kolibri or a.only == "kolibri":
        from benchmarks import kolibri
        log(f"Kolibri {kolibri.VERSION} side by side")
        kolibri.main(extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
