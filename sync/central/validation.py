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
import math

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
    return (fastjsonschema.compile(schema, handlers={}, use_formats=True), fastjsonschema.JsonSchemaException,
            schema["properties"]["metrics"]["maxItems"])


# Rows of the same shape get the same answer from the schema; a program's hubs send a few
# hundred shapes. Once a whole report with a shape has passed, rows of that shape are not checked
# again (the schema's checks of a row were most of the receiver's CPU per report): only the rest
# of the report is. A shape holds everything the schema looks at in a row.
METRIC_KEYS = {"name", "value", "suppressed", "dims"}
SHAPES_KEPT = 4096
_passed_shapes: set = set()


def _shape(row) -> tuple | None:
    """What decides the schema's answer for one metric row; None for a row that is not plain."""
    if type(row) is not dict or row.keys() != METRIC_KEYS:
        return None
    value, dims, name, suppressed = row["value"], row["dims"], row["name"], row["suppressed"]
    if value is None:
        kind = None
    elif type(value) in (int, float) and 0 <= value < math.inf:  # a number >= 0 (not bool, NaN or inf)
        kind = "number"
    else:
        return None
    if type(dims) is not dict or type(name) is not str or type(suppressed) is not bool:
        return None
    shape = (name, suppressed, kind, tuple((key, type(v), v) for key, v in dims.items()))
    try:
        hash(shape)
    except TypeError:  # a list or object as a dims value
        return None
    return shape


def problems(data) -> list[dict]:
    """Problems of a report as [{"field", "message"}]; empty when it is a valid hub-report/1."""
    compiled = _compiled()
    if compiled is None:
        return report.validate(data)
    check, refused, most = compiled
    rows = data.get("metrics") if type(data) is dict else None
    shapes = [_shape(row) for row in rows] if type(rows) is list and len(rows) <= most else [None]
    known = None not in shapes and _passed_shapes.issuperset(shapes)
    try:
        check({**data, "metrics": []} if known else data)
    except refused:
        return report.validate(data)  # the reference validator names every problem
    except (TypeError, ValueError, RecursionError):
        return report.validate(data)
    if not known and None not in shapes:
        if len(_passed_shapes) + len(shapes) > SHAPES_KEPT:
            _passed_shapes.clear()
        _passed_shapes.update(shapes)
    return report_rules.problems(data)
