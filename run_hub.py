#!/usr/bin/env python3
"""Start the hub with waitress: what `make run` does after installing (same as `hub serve`)."""
import sys

from hub.__main__ import run

if __name__ == "__main__":
    sys.exit(run(["serve", *sys.argv[1:]]))
