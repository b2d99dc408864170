"""Central pack catalog over HTTP: GET /api/v1/catalog and GET /api/v1/packs/<id>.zip."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from hub.core import clock
from hub.web.pack_zips import zip_response

bp = Blueprint("central_packs", __name__)


def catalog():
    """The app's pack catalog (sync.central.packs.PackCatalog)."""
    return current_app.extensions["central_packs"]


@bp.get("/api/v1/catalog")
def catalog_json():
    """The newest published version of every pack; urls relative to this address."""
    response = jsonify(catalog().catalog())
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/api/v1/packs/<pack_id>.zip")
def pack_zip(pack_id):
    """The newest published zip of one pack, with Range, ETag and If-Range."""
    row = catalog().latest_of(pack_id)
    path = catalog().zip_path(pack_id, row["version"]) if row else None
    if row is None or not path.is_file():
        return jsonify({"error": f"no published pack {pack_id}"}), 404
    return zip_response(path, row["sha256"], clock.parse(row["published_at"]), f"{pack_id}-{row['version']}.zip")
