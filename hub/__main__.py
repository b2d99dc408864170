"""`python -m hub` runs the hub CLI."""
import sys

from hub.cli import main

sys.exit(main())
