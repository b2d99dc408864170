"""Compiled templates kept in the data dir, so that a restart does not compile them again.

Compiling the templates of the first page (Jinja parses each one and compiles the Python it
generates) was most of a restarted hub's first learner page (issue 22: about 0.1 s of CPU
here, several times that on a Raspberry Pi). Jinja keeps the compiled code of each template
in a file named after the template, checked against a hash of the template's source and
Jinja's and Python's versions, so an edited or upgraded template is compiled again, never
served stale. The folder is in the data dir (the code folder of a service is read-only);
backups copy only the database, so nothing from another hub can land here.
"""
from __future__ import annotations

from pathlib import Path

CACHE_DIR = Path("cache") / "templates"  # under HUB_DATA_DIR


def init_app(app) -> None:
    """Keep the app's compiled templates under HUB_DATA_DIR/cache/templates."""
    folder = Path(app.config["HUB_DATA_DIR"]) / CACHE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a data dir we cannot write to: templates are compiled per start, as before
    app.jinja_env.bytecode_cache = _cache_class()(str(folder))


def _cache_class():
    from jinja2 import FileSystemBytecodeCache

    class KeptTemplates(FileSystemBytecodeCache):
        """Jinja's cache in files; a file it cannot read or write only means compiling again."""

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            # A full disk (or a read-only one) must not turn a page into an error: the
            # template is compiled and served all the same, only not kept.
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return KeptTemplates
