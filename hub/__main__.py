"""`python -m hub`, the `hub` command and run_hub.py: the hub CLI in a process of its own."""
import sys


def run(argv=None) -> int:
    """Run the hub CLI (hub.cli.main) in a lean process: numpy is kept out first."""
    # sqlite-utils imports numpy whenever it is installed, only to recognise numpy values, which
    # the hub never has; it costs about 20 MB of memory on a device with 1 GB. The test extras
    # install it (scipy, for the privacy audit), so the hub's own processes keep it out.
    sys.modules.setdefault("numpy", None)
    _two_malloc_arenas()
    _local_zone_from_its_file()
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


def _local_zone_from_its_file() -> None:
    # Babel works out the system's time zone when it is first imported (flask-babel imports
    # it), by name: /etc/localtime -> "Africa/Nairobi" -> pytz.timezone(name), and pytz
    # checks a name against its list of zones, which it makes the first time by opening each
    # of its 598 zone files (40 ms to half a second here, more on an SD card; issue 22).
    # Read from the file itself, the zone is the same (Babel's own way when TZ names a file);
    # TZ is set only while Babel looks, so nothing else in the process sees it.
    import os

    if "TZ" in os.environ or "babel.localtime" in sys.modules or not os.path.isfile("/etc/localtime"):
        return
    os.environ["TZ"] = ":/etc/localtime"
    try:
        import babel.localtime  # noqa: F401 - LOCALTZ is set at import
    except ImportError:
        pass
    finally:
        del os.environ["TZ"]


if __name__ == "__main__":
    sys.exit(run())
