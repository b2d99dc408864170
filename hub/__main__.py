"""`python -m hub`, the `hub` command and run_hub.py: the hub CLI in a process of its own."""
import sys


def run(argv=None) -> int:
    """Run the hub CLI (hub.cli.main) in a lean process: numpy is kept out first."""
    # sqlite-utils imports numpy whenever it is installed, only to recognise numpy values, which
    # the hub never has; it costs about 20 MB of memory on a device with 1 GB. The test extras
    # install it (scipy, for the privacy audit), so the hub's own processes keep it out.
    sys.modules.setdefault("numpy", None)
    _two_malloc_arenas()
    from hub.cli import main

    return main(argv)


def _two_malloc_arenas() -> None:
    # glibc gives each thread that allocates its own malloc arena (up to 8 per core), and
    # waitress' threads each keep freed memory in theirs: measured here, 8 parallel Range reads
    # peaked 8 MB lower with two arenas (issue 17). Set before any thread starts; a libc
    # without mallopt (musl, macOS) keeps its own allocator.
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(run())
