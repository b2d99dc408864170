"""GET /export.csv and /export.json: the CLI's rows and filters, limited to the user's scope."""
from __future__ import annotations

import datetime as dt
import json

from flask import Response, g, jsonify, request

from sync.central import exports
from sync.central.web import bp, filters, login_required, store


def _rows():
    """The rows this user may see, filtered like `hub-central export`; None when a filter is not valid."""
    since = request.args.get("since") or None
    if since:
        try:
            since = dt.date.fromisoformat(since).isoformat()
        except ValueError:
            return None
    chosen = filters()
    return store().rows(request.args.get("metric") or None, chosen["hub"], since=since, scope=g.user.scope,
                        region=chosen["region"], partner=chosen["partner"])


@bp.get("/export.csv")
@login_required
def export_csv():
    """The rows as CSV (the contract's columns)."""
    rows = _rows()
    if rows is None:
        return Response("since: a date YYYY-MM-DD is needed\n", 400, mimetype="text/plain")
    return Response(exports.csv_lines(rows), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="central-export.csv"'})


@bp.get("/export.json")
@login_required
def export_json():
    """The rows as a JSON array."""
    rows = _rows()
    if rows is None:
        return jsonify({"error": "invalid filter", "details": [
            {"field": "since", "message": "a date YYYY-MM-DD is needed"}]}), 400
    return Response(json.dumps(rows), mimetype="application/json")
