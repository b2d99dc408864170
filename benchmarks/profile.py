"""Profile one hub path with pyinstrument, in-process, on a benchmark data dir.

`python -m benchmarks.profile DATA_DIR PATH [-n 200]` prints where the time goes; the suite
calls profile_path() on the slowest endpoint and saves the text to benchmarks/results/.
(py-spy works too against the running server: `py-spy record --pid PID`, when ptrace is allowed.)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.harness import ROOT

RESULTS = ROOT / "benchmarks" / "results"


def profile_path(data_dir: Path, path: str, requests: int = 200, method: str = "GET",
                 headers: dict | None = None, body_factory=None) -> str:
    """Serve `path` `requests` times through the real app (Flask test client) under pyinstrument."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "pyinstrument is not installed (pip install -e '.[bench]')"
    from hub import create_app

    app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_MDNS": False,
                      "HUB_PACKS_SOURCE": str(Path(data_dir) / "no-packs")})
    client = app.test_client()
    for _ in range(5):  # warm caches and imports, as a running server would be
        client.open(path, method=method, headers=headers,
                    data=body_factory() if body_factory else None)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        client.open(path, method=method, headers=headers,
                    data=body_factory() if body_factory else None)
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=False)


def save(name: str, text: str) -> Path:
    """Keep a profile under benchmarks/results/ (not committed)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"profile-{name}.txt"
    target.write_text(text)
    return target


def main(argv=None) -> int:
    """Command line: profile one path on a data dir."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    p.add_argument("data_dir")
    p.add_argument("path")
    p.add_argument("-n", type=int, default=200, help="requests to profile")
    a = p.parse_args(argv)
    print(profile_path(Path(a.data_dir), a.path, a.n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
