"""Kolibri 0.19.5 beside the hub, in the same run: start-up, memory, a learner page, a JSON API.

    make bench BENCH_ARGS=--kolibri          # the whole suite, then this comparison
    python -m benchmarks.kolibri [--duration 5] [--no-doc]

Kolibri is installed from PyPI into a scratch venv outside the project (by default
~/.cache/hub-bench/kolibri-0.19.5, or HUB_BENCH_KOLIBRI_VENV), provisioned without questions
into a temporary KOLIBRI_HOME, with its usage ping off, and served on loopback. Nothing of it
enters the project. Both servers are measured by the same harness, one after the other, with
the server pinned to core 0 and wrk to core 1 when the machine has two cores. Results replace
the part of docs/performance.md between the `kolibri:results` markers.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ROOT, RssSampler, Server, free_port, hub_server
from benchmarks.load import run_wrk

VERSION = "0.19.5"
CONNECTIONS = (1, 10, 50)
MARKERS = ("<!-- kolibri:results:start -->", "<!-- kolibri:results:end -->")
MB = 1024


def venv_dir() -> Path:
    """Where the scratch Kolibri venv lives (outside the project)."""
    default = Path.home() / ".cache" / "hub-bench" / f"kolibri-{VERSION}"
    return Path(os.environ.get("HUB_BENCH_KOLIBRI_VENV", default))


def ensure_kolibri() -> Path:
    """The `kolibri` command of the scratch venv, installing Kolibri there the first time."""
    venv = venv_dir()
    command = venv / "bin" / "kolibri"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet",
                        "--disable-pip-version-check", f"kolibri=={VERSION}"], check=True)
    return command


def kolibri_env(home: Path) -> dict:
    """Environment for a quiet, offline Kolibri in `home`."""
    return {"KOLIBRI_HOME": str(home), "KOLIBRI_DISABLE_PING": "1", "KOLIBRI_RUN_MODE": "hub-bench",
            "KOLIBRI_NO_BROWSER": "1", "PYTHONWARNINGS": "ignore"}


def provision(command: Path, home: Path, prefix: list[str] = ()) -> None:
    """Migrate and provision a device with one facility, non-interactively."""
    env = dict(os.environ, **kolibri_env(home))
    subprocess.run([*prefix, str(command), "manage", "migrate"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([*prefix, str(command), "manage", "provisiondevice", "--facility", "Bench School",
                    "--preset", "nonformal", "--superusername", "bench",
                    "--superuserpassword", "bench-password-123", "--language_id", "en",
                    "--noinput"], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def _figures(server: Server, pages: dict[str, str], duration: float, cpus: str | None) -> dict:
    idle_kb = server.idle_rss_kb()
    out = {"startup_s": round(server.startup_s, 2), "idle_rss_mb": round(idle_kb / MB, 1)}
    with RssSampler(server.proc.pid) as peak:
        for name, path in pages.items():
            out[name] = {}
            for c in CONNECTIONS:
                r = run_wrk(server.url, path, c, duration, cpus=cpus)
                out[name][c] = {"rps": round(r.rps, 1), "p99_ms": round(r.p99_ms, 1),
                                "errors": r.errors}
    out["peak_rss_mb"] = round(peak.peak_kb / MB, 1)
    return out


def side_by_side(work: Path, duration: float) -> dict:
    """Kolibri and the hub, each started, idled and loaded by the same harness.

    Start-up compares like with like: both are measured at a restart (what a device does at
    every boot), on a data folder that a first start set up and that has nothing left to do.
    The first starts are reported too: Kolibri's is `migrate`, `provisiondevice` (the set-up
    its wizard asks for once) and `start`; the hub's creates its database and answers, then
    installs its bundled packs in a child process after the first 200.
    """
    two_cores = (os.cpu_count() or 1) >= 2
    prefix, cpus = (["taskset", "-c", "0"], "1") if two_cores else ([], None)
    command = ensure_kolibri()
    home = work / "kolibri-home"

    def kolibri() -> Server:
        port = free_port()
        return Server(prefix + [str(command), "start", "--foreground", "--port", str(port)], port,
                      env=kolibri_env(home), ready_path="/api/public/info/")

    began = time.perf_counter()
    provision(command, home, prefix)
    provisioned = time.perf_counter() - began
    with kolibri().start(timeout=180, log_dir=work) as first:
        kol_first = provisioned + first.startup_s
    with kolibri().start(timeout=180, log_dir=work) as server:
        kol = _figures(server, {"learner_page": "/en/learn/", "json_api": "/api/public/info/"},
                       duration, cpus)
    kol["first_start_s"] = round(kol_first, 2)

    def hub() -> Server:
        server = hub_server(work / "hub-data", packs_source=ROOT / "content_packs")
        server.argv = prefix + server.argv
        return server

    with hub().start(log_dir=work) as first:  # waits for the bundled packs' install
        hub_first = first.startup_s
    with hub().start(log_dir=work) as server:
        ours = _figures(server, {"learner_page": "/", "json_api": "/api/v1/packs"}, duration, cpus)
    ours["first_start_s"] = round(hub_first, 2)
    return {"kolibri": kol, "hub": ours, "pinned": two_cores, "kolibri_version": VERSION}


def table(res: dict) -> str:
    """Markdown: each figure for Kolibri and the hub, and their ratio."""
    kol, hub = res["kolibri"], res["hub"]
    rows = ["| figure | Kolibri " + res["kolibri_version"] + " | the hub | hub ÷ Kolibri |",
            "|---|---|---|---|"]
    for key, label, unit in (("startup_s", "start to first 200, restart", "s"),
                             ("first_start_s", "start to first 200, first start", "s"),
                             ("idle_rss_mb", "idle RSS", "MB"), ("peak_rss_mb", "peak RSS under load", "MB")):
        rows.append(f"| {label} | {kol[key]} {unit} | {hub[key]} {unit} | {hub[key] / kol[key]:.2f}× |")
    for page, label in (("learner_page", "learner page"), ("json_api", "small JSON API")):
        for c in CONNECTIONS:
            k, h = kol[page][c], hub[page][c]
            ratio = h["rps"] / k["rps"] if k["rps"] else float("inf")
            rows.append(f"| {label}, {c} conn | {k['rps']:,.0f} req/s, p99 {k['p99_ms']:.0f} ms | "
                        f"{h['rps']:,.0f} req/s, p99 {h['p99_ms']:.0f} ms | {ratio:.1f}× |")
    where = "server on core 0, wrk on core 1" if res["pinned"] else "one core shared with wrk"
    return (f"Measured in one run ({where}); Kolibri with no content, the hub with its bundled "
            "packs; both from bytecode. Start-up: to the first 200 of the hub's /healthz and "
            "Kolibri's /api/public/info/; the restart is the like-for-like figure, the first "
            "start of Kolibri includes `migrate` and `provisiondevice`.\n\n" + "\n".join(rows) + "\n")


def write_doc(text: str) -> None:
    """Replace this comparison's section of docs/performance.md."""
    from benchmarks.report import write_section

    write_section(MARKERS, text)


def main(argv: list[str] | None = None) -> dict:
    """Install (once), provision and measure Kolibri beside the hub; print and record it."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.kolibri", description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=float, default=5.0, help="seconds per load run (5)")
    p.add_argument("--json", help="also write the raw results to this file")
    p.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hub-kolibri-") as tmp:
        res = side_by_side(Path(tmp), a.duration)
    text = table(res)
    print(text)
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2), encoding="utf-8")
    if not a.no_doc:
        write_doc(text)
    return res


if __name__ == "__main__":
    main()
