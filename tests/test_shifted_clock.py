"""`make test-at WHEN=...` moves the clock of every process a test run starts, to one moment."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SHIM = Path(__file__).parent / "shifted_clock"
CHILD = ("import datetime as dt, subprocess, sys, time; from hub.core import clock;"
         "print(clock.now().isoformat(), dt.date.today(), time.strftime('%Y', time.gmtime(time.time())),"
         " isinstance(clock.now(), dt.datetime));"
         "print(subprocess.run([sys.executable, '-c', GRANDCHILD], capture_output=True, text=True,"
         " check=True).stdout.strip())")
GRANDCHILD = "import datetime as d; print(d.datetime.now(d.timezone.utc).date())"


def test_a_run_at_another_moment_shifts_the_hub_clock_and_every_process_it_starts():
    env = {key: value for key, value in os.environ.items() if not key.startswith("HUB_TEST_")}
    env.update(HUB_TEST_WHEN="2031-01-05 23:59:30", PYTHONPATH=f"{SHIM}{os.pathsep}{SHIM.parents[1]}")
    program = f"GRANDCHILD = {GRANDCHILD!r}\n{CHILD}"
    out = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True,
                         timeout=60).stdout.split("\n")
    moment, today, year, is_datetime = out[0].split()
    assert moment.startswith("2031-01-0") and today.startswith("2031-01-0") and year == "2031"
    assert is_datetime == "True"  # values of the real type still count as datetimes
    assert out[1].startswith("2031-01-0")  # a process started by the run: the same moment
