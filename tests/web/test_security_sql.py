"""SQL only with parameters: no statement in hub/ or sync/ is built from a value at run time.

Every SQL call (execute, executemany, executescript, query) is read with `ast`. A string
built with an f-string, `%` or `+` may only put in pieces from REVIEWED: fixed table and
column lists, placeholder lists ("?, ?, ?") and clauses the code writes itself. Every value
goes in as a parameter. A new dynamic piece fails this test until someone reviews it here.
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

SQL_CALLS = {"execute", "executemany", "executescript", "query"}

# Each piece was read where it is made: none carries a value from a request, a file or a user.
REVIEWED = {
    # fixed column lists, module constants
    "_COLUMNS", "_RESOURCE_COLUMNS", "_LIST_COLUMNS", "_KEYS", "_WITH_TITLES", "SCHEMA",
    "', '.join(_COLUMNS)", "', '.join(COLUMNS)", "', '.join(('r.' + c.strip() for c in _RESOURCE_COLUMNS.split(',')))",
    # fixed table names (module constants, or a loop over a literal tuple of them)
    "TABLE", "TEXT_TABLE", "table",
    # placeholders only: one "?" per value, the values are parameters
    "', '.join(('?' for _ in ids))", "', '.join(('?' for _ in _COLUMNS))", "marks", "pairs",
    "','.join('?' * len(ids))", "' OR '.join(('(pack_id = ? AND group_id = ?)' for _ in chunk))",
    "' OR '.join(('(pack_id = ? AND id = ?)' for _ in chunk))",
    # a list of literal conditions, each with "?" for its value (learners.list_learners)
    "' AND '.join(where)",
    # clauses the code writes from literals, with "?" for their values
    "clause", "filters", "where", "extra", "meta", "text", "PENDING", "op",
    "range_where('e')", "event_time_sql()", "EVENT_DAY_SQL",
    # savepoint names from a loop counter (an int)
    "number",
    # PRAGMA name from a literal choice between two pragmas (doctor)
    "pragma",
    # a loop over a literal tuple of whole statements (doctor)
    "query",
    # lessons and class at a glance: fixed SELECTs (module constants), "?" per actor, and the
    # event-time expression hub.activity writes from literals
    "_LESSON", "_ASSIGNED", "_marks(actors)", "','.join('?' * len(actors))",
    "','.join('?' * len(people))", "progress.event_time_sql()", "progress.event_time_sql('e')",
    # Kolibri channel databases (hub.catalog.kolibri.channel): a column expression or ORDER BY
    # chosen between two literals by which columns the schema version has
    "optional_size", "optional_priority", "node_order",
    # the central (sync/central): the database layer only turns the caller's "?" into "%s" for
    # psycopg; grouping columns come from literal lists (figures.HUB_GROUPS, DIM_GROUPS, "s.region"
    # or "s.partner"); module constants of whole statements; migration steps split from literals
    "self.sql(text)", "key", "*_hidden_cells(metric, first, last, scope, filters or {})", "BACKFILL",
    "statement", "UPSERT", "INSERT_ROW",
    # central alerts (sync.central.alerts): module constants written from literals, the cutoff
    # and disk threshold go in as "?" parameters
    "HEARD", "SILENT", "REFUSED", "LOW_DISK", "ALERT_SOURCE",
    # the central's pipelined receiver (sync.central.report_store): module constants of whole
    # statements, turned into psycopg's "%s" form by db.sql; every value a parameter
    "TOUCH_HUB", "db.sql(TOUCH_HUB)", "db.sql(REPLACE_ROWS)", "db.sql(UPSERT)",
    "STORED_REVISION", "db.sql(STORED_REVISION)",
    # its group writer (sync.central.report_group): the same kind of whole-statement constants
    "db.sql(REPLACE_GROUP_ROWS)", "db.sql(report_store.TOUCH_HUB)", "db.sql(report_store.UPSERT)",
    "db.sql(report_store.STORED_REVISION)",
    # week sums kept as changes and folded (sync.central.week_sums): whole statements written
    # from literal column lists; CURRENT is a fixed subquery of the sums and the changes
    "week_sums.CURRENT", "FOLD_POSTGRESQL", "FOLD_SQLITE", "RECORD",
    # page_versions migration: triggers written from a literal list of tables, events and
    # owner expressions (hub/core/migrations/m0800_page_versions.py)
    "'\\n'.join(statements)",
}


def _parts(node, tracked: set[str]) -> list[str]:
    """The run-time pieces a SQL string is made of (empty for literals)."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.JoinedStr):
        return [p for v in node.values if isinstance(v, ast.FormattedValue) for p in _parts(v.value, tracked)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _parts(node.left, tracked) + _parts(node.right, tracked)
    if isinstance(node, ast.IfExp):  # a choice between two pieces: both are checked
        return _parts(node.body, tracked) + _parts(node.orelse, tracked)
    if isinstance(node, ast.Name) and node.id in tracked:
        return []  # a local SQL string: its assignments are checked
    return [ast.unparse(node)]


def _piece_names(node) -> set[str]:
    """Names used as whole pieces of a SQL string (local variables holding SQL)."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.JoinedStr):
        return {n for v in node.values if isinstance(v, ast.FormattedValue) for n in _piece_names(v.value)}
    if isinstance(node, ast.BinOp):
        return _piece_names(node.left) | _piece_names(node.right)
    if isinstance(node, ast.IfExp):
        return _piece_names(node.body) | _piece_names(node.orelse)
    return set()


def _scopes(tree):
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def unreviewed(path: Path) -> list[str]:
    """`file:line: piece` for every dynamic SQL piece not in REVIEWED."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for scope in _scopes(tree):
        body = list(ast.walk(scope)) if scope is not tree else list(ast.iter_child_nodes(tree))
        calls = [n for n in body if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr in SQL_CALLS and n.args]
        tracked = {name for c in calls for name in _piece_names(c.args[0])}
        assigned = set()
        sources = [(c.lineno, c.args[0]) for c in calls]
        for node in body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id in tracked:
                        sources.append((node.lineno, node.value))
                        assigned.add(target.id)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) \
                    and node.target.id in tracked and node.value is not None:
                sources.append((node.lineno, node.value))
                assigned.add(node.target.id)
        local = assigned if scope is not tree else set()
        for line, source in sources:
            for piece in _parts(source, local):
                if piece not in REVIEWED:
                    found.append(f"{path.relative_to(ROOT)}:{line}: {piece}")
    return found


def test_sql_is_built_only_from_reviewed_pieces_and_parameters():
    files = sorted(p for folder in ("hub", "sync") for p in (ROOT / folder).rglob("*.py"))
    problems = [line for path in files for line in unreviewed(path)]
    assert not problems, "SQL built from unreviewed pieces (use ? parameters):\n" + "\n".join(problems)


def test_the_check_catches_a_value_put_into_sql(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def find(db, name):\n"
                   "    db.execute(f\"SELECT * FROM learners WHERE name = '{name}'\")\n"
                   "    sql = 'SELECT * FROM packs WHERE id = ' + pack_id\n"
                   "    db.execute(sql)\n"
                   "    db.execute('DELETE FROM x WHERE id = %s' % ident)\n")
    import tests.web.test_security_sql as me

    original = me.ROOT
    me.ROOT = tmp_path
    try:
        found = unreviewed(bad)
    finally:
        me.ROOT = original
    assert sorted(line.split(": ", 1)[1] for line in found) == ["ident", "name", "pack_id"]
