"""The receiver's check of a hub-report/1: the same answer as sync.report.validate, about 50x faster.

jsonschema (the reference validator) takes tens of milliseconds for a report of a few hundred
rows: most of the receiver's time, and the ingest budget is 200 reports a second. The same
schema file, compiled to Python by fastjsonschema, checks a valid report in about a
millisecond. A report it refuses goes through sync.report.validate for the full list of
problems, so hubs get the same answers as before. The checks the schema cannot express are
those of sync.report.validate after its schema step, kept in step here (tests compare them).
"""
from __future__ import annotations

import functools
import json

from sync import report, report_rules


@functools.lru_cache(maxsize=1)
def _compiled():
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - a dependency; the reference validator still works
        return None
    schema = json.loads(report.SCHEMA_PATH.read_text(encoding="utf-8"))
    schema.pop("$id", None)  # a bare $id would be fetched as a remote reference
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema, handlers={}, use_formats=True), fastjsonschema.JsonSchemaException


def problems(data) -> list[dict]:
    """Problems of a report as [{"field", "message"}]; empty when it is a valid hub-report/1."""
    compiled = _compiled()
    if compiled is None:
        return report.validate(data)
    check, refused = compiled
    try:
        check(data)
    except refused:
        return report.validate(data)  # the reference validator names every problem
    except (TypeError, ValueError, RecursionError):
        return report.validate(data)
    return report_rules.problems(data)
