"""Start-up to first 200, like for like: the hub (one or more trees) and Kolibri, alternating.

    python -m benchmarks.startup                         # this tree, 5 rounds
    python -m benchmarks.startup --trees OLD . --kolibri # an A/B of two trees, and Kolibri

What is timed, for every server in the same way: from spawning the server process (pinned to
core 0 when the machine has two cores; the poller runs on the other) to the first 200 of its
ready address (the hub's /healthz, Kolibri's /api/public/info/), then the first 200 of its
learner page asked for right after (the hub's /, Kolibri's /en/learn/); and the CPU seconds
the server process itself spent up to that page (user + system, from /proc: less sensitive
to a busy neighbour than the wall clock). The bare Flask + waitress page of benchmarks.baseline
is started the same way in every round: the floor of any Flask app on this machine. Two
kinds of start:

- *first*: an empty data folder. The hub creates its database, runs every migration and
  answers, then installs its bundled packs in a child process (not timed: the first 200 does
  not wait for it). Kolibri's first start is `kolibri manage migrate`, `provisiondevice`
  (the set-up a person does once, in its wizard) and `kolibri start`; the three are timed
  together (its start has nothing to show before it is provisioned).
- *restart*: the same folder, started again after the first start finished and was stopped:
  what a device does at every boot. This is the like-for-like figure.

Both run from compiled bytecode, as an installed package does: Kolibri's wheel install wrote
its .pyc files, and the hub's trees are byte-compiled first (a checkout whose __pycache__
cannot be written, e.g. under PYTHONDONTWRITEBYTECODE or a read-only service, would compile
every module on every start). Medians of the rounds are printed, and written to --json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.harness import ROOT, _children, ensure_bytecode, free_port

HUB_PATHS = ("/healthz", "/")
KOLIBRI_PATHS = ("/api/public/info/", "/en/learn/")


def _get_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            response.read()
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (not its children)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_start(argv: list[str], env: dict, cwd: Path, port: int, paths: tuple[str, str],
               began: float | None = None, timeout: float = 180.0) -> dict:
    """Spawn `argv`, time the first 200 of each path in turn, wait for its children, stop it."""
    began = time.perf_counter() if began is None else began
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    out = {}
    try:
        for path in paths:
            while not _get_200(f"http://127.0.0.1:{port}{path}"):
                if proc.poll() is not None:
                    raise RuntimeError(f"{argv[0]} exited with {proc.returncode}")
                if time.perf_counter() - began > timeout:
                    raise TimeoutError(f"{path} did not answer within {timeout}s")
                time.sleep(0.005)  # polling a port: nothing to await across processes
            out[path] = time.perf_counter() - began
        out["cpu_s"] = _cpu_s(proc.pid)
        deadline = time.perf_counter() + 300
        while _children(proc.pid) and time.perf_counter() < deadline:
            time.sleep(0.1)  # the hub's first start installs its packs in a child: let it finish
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return out


def _pin() -> list[str]:
    return ["taskset", "-c", "0"] if (os.cpu_count() or 1) >= 2 and shutil.which("taskset") else []


def _pin_self() -> None:
    if (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {1})  # the poller stays off the server's core


def hub_round(tree: Path, data: Path) -> dict:
    """A first start of the hub in `tree` on an empty `data`, then a restart."""
    shutil.rmtree(data, ignore_errors=True)
    env = dict(os.environ, HUB_DATA_DIR=str(data), HUB_MDNS="0", HUB_UPSTREAM_URL="",
               HUB_PACKS_SOURCE=str(tree / "content_packs"))
    res = {}
    for kind in ("first", "restart"):
        port = free_port()
        argv = _pin() + [sys.executable, "-m", "hub", "serve", "--host", "127.0.0.1",
                         "--port", str(port), "--data-dir", str(data)]
        res[kind] = time_start(argv, env, tree, port, HUB_PATHS)
    return res


def baseline_round() -> dict:
    """The bare Flask + waitress page (benchmarks.baseline): the framework's own start-up."""
    port = free_port()
    argv = _pin() + [sys.executable, "-m", "benchmarks.baseline", str(port), "8"]
    return {"start": time_start(argv, dict(os.environ), ROOT, port, ("/healthz", "/"))}


def kolibri_round(home: Path) -> dict:
    """Kolibri's first start (migrate, provision, start) on an empty home, then a restart."""
    from benchmarks.kolibri import ensure_kolibri, kolibri_env, provision

    command = ensure_kolibri()
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, **kolibri_env(home))
    res = {}
    for kind in ("first", "restart"):
        port = free_port()
        began = time.perf_counter()
        if kind == "first":
            provision(command, home, prefix=_pin())
        argv = _pin() + [str(command), "start", "--foreground", "--port", str(port)]
        res[kind] = time_start(argv, env, home, port, KOLIBRI_PATHS, began=began)
    return res


def medians(rounds: list[dict]) -> dict:
    """{kind: {figure: median}} over the rounds of one server."""
    out = {}
    for kind in rounds[0]:
        out[kind] = {k: round(statistics.median(r[kind][k] for r in rounds), 3)
                     for k in rounds[0][kind]}
    return out


def table(res: dict) -> str:
    """Markdown: the medians of each server, start kind and figure."""
    rows = ["| server | start | ready 200 (s) | learner page 200 (s) | CPU to it (s) |",
            "|---|---|---|---|---|"]
    for name, med in res["medians"].items():
        for kind, fig in med.items():
            ready, page = [v for k, v in fig.items() if k.startswith("/")]
            rows.append(f"| {name} | {kind} | {ready:.2f} | {page:.2f} | {fig['cpu_s']:.2f} |")
    return (f"Medians of {res['rounds']} rounds, servers alternating "
            f"({'server on core 0, poller on core 1' if res['pinned'] else 'shared cores'}).\n\n"
            + "\n".join(rows) + "\n")


def main(argv: list[str] | None = None) -> dict:
    """Measure every tree (and Kolibri) for --rounds alternating rounds; print the medians."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.startup",
                                description=__doc__.split("\n")[0])
    p.add_argument("--trees", nargs="+", default=[str(ROOT)], help="hub source trees (.)")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--kolibri", action="store_true",
                   help="also Kolibri 0.19.5 (benchmarks.kolibri)")
    p.add_argument("--json", help="write every round and the medians to this file")
    p.add_argument("--no-compile", action="store_true",
                   help="run the trees as they are (without their bytecode, when none was written)")
    a = p.parse_args(argv)
    trees = [Path(t).resolve() for t in a.trees]
    for tree in trees if not a.no_compile else ():
        ensure_bytecode(tree)
    _pin_self()
    names = [f"hub {t.name or t}" if len(trees) > 1 else "hub" for t in trees]
    names = [f"{n} ({i})" if names.count(n) > 1 else n for i, n in enumerate(names)]
    rounds = {n: [] for n in names + ["bare Flask + waitress"] + (["Kolibri"] if a.kolibri else [])}
    with tempfile.TemporaryDirectory(prefix="hub-startup-") as tmp:
        for i in range(a.rounds):
            for name, tree in zip(names, trees):
                rounds[name].append(hub_round(tree, Path(tmp) / "data"))
            rounds["bare Flask + waitress"].append(baseline_round())
            if a.kolibri:
                rounds["Kolibri"].append(kolibri_round(Path(tmp) / "kolibri-home"))
            print(f"round {i + 1}: " + json.dumps({n: r[-1] for n, r in rounds.items()}),
                  file=sys.stderr, flush=True)
    res = {"rounds": a.rounds, "pinned": bool(_pin()), "trees": [str(t) for t in trees],
           "all": rounds, "medians": {n: medians(r) for n, r in rounds.items()}}
    print(table(res))
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2), encoding="utf-8")
    return res


if __name__ == "__main__":
    main()
