"""A hub as a peer: GET /api/v1/catalog and GET /api/v1/packs/<id>.zip for hubs on the LAN."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from hub.core import clock
from hub.web.db import get_db
# Pack zips are imported in the views that make them: only another hub asks for them, and
# a started hub leaves them out (issue 22).

bp = Blueprint("packs_peer", __name__)


@bp.get("/api/v1/catalog")
def catalog():
    """The packs this hub can give to another hub (urls relative to this address)."""
    from hub.catalog.packs import published

    rows = published.catalog_entries(get_db(), current_app.config["HUB_DATA_DIR"])
    response = jsonify({"packs": rows})
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/api/v1/packs/<pack_id>.zip")
def pack_zip(pack_id):
    """One installed pack as a zip, with Range, ETag and If-Range (a pull resumes)."""
    from hub.catalog.packs import published
    from hub.web.pack_zips import zip_response

    found = published.zip_for(get_db(), current_app.config["HUB_DATA_DIR"], pack_id)
    if found is None:
        return jsonify({"error": f"no pack {pack_id} is installed here"}), 404
    path, sha, pack = found
    return zip_response(path, sha, clock.parse(pack["installed_at"]), f"{pack_id}-{pack['version']}.zip")
