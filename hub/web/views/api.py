"""The catalog's JSON API: /api/v1/packs and /api/v1/resources (search, list, one resource)."""
from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, abort, g, jsonify, request, url_for
from flask_babel import get_locale

from hub.catalog import store as catalog
from hub.core import i18n
from hub.web.db import get_db

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Kinds whose file a browser opens itself. Exercise files hold the answers: never served.
FILE_KINDS = {"article", "video", "audio", "document", "image", "html5"}
MAX_LIMIT = 200


def file_url(resource: dict) -> str | None:
    """The content-addressed address of a resource's file (None for exercises and ZIM)."""
    if resource["kind"] not in FILE_KINDS or not resource.get("file"):
        return None
    version = f"?v={resource['sha256'][:16]}" if resource.get("sha256") else ""
    return f"/content/{quote(resource['pack_id'])}/{quote(resource['file'])}{version}"


def launch_url(resource: dict) -> str | None:
    """For an html5 app, the address of its index.html as the sandboxed iframe loads it; for
    H5P content, its player page."""
    if resource["kind"] == "h5p":
        return f"/h5p/play/{quote(resource['pack_id'])}/{quote(resource['id'])}"
    if resource["kind"] != "html5":
        return None
    version = f"?v={resource['sha256'][:16]}" if resource.get("sha256") else ""
    return f"/content/{quote(resource['pack_id'])}/{quote(resource['file'])}/index.html{version}"


# Ids a route puts into an address unchanged (werkzeug quotes nothing else of these).
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~-]+")


def resource_address(resource: dict) -> str:
    """A resource's learner page, as url_for("learn.resource") makes it.

    A search answers 20-30 of them: the address pattern is built once per request and plain
    ids put into it (url_for was a third of a kept search's time, issue 22).
    """
    pack_id, resource_id = resource["pack_id"], resource["id"]
    prefix = g.get("resource_address_prefix", False)
    if prefix is False:
        pattern = url_for("learn.resource", pack_id="P", resource_id="R")
        prefix = g.resource_address_prefix = pattern[:-3] if pattern.endswith("/P/R") else None
    if prefix is not None and all(_PLAIN_ID.fullmatch(v) and v not in (".", "..")
                                  for v in (pack_id, resource_id)):
        return f"{prefix}{pack_id}/{resource_id}"
    return url_for("learn.resource", pack_id=pack_id, resource_id=resource_id)


def resource_json(resource: dict) -> dict:
    """A resource as the contract shows it to scripts."""
    data = {key: resource.get(key) for key in ("id", "pack_id", "kind", "language", "title",
                                               "description", "tags", "group", "duration")}
    data["url"] = resource_address(resource)
    file_address, launch_address = file_url(resource), launch_url(resource)
    if file_address:
        data["file_url"] = file_address
        data["size"] = resource.get("size")
    if launch_address:
        data["launch_url"] = launch_address
    if resource.get("source") == "zim":  # an article inside a ZIM archive (hub.catalog.zim.search)
        data.update(url=resource["url"], file_url=resource["file_url"], path=resource["path"])
    return data


def pack_json(pack: dict, lang: str) -> dict:
    """A pack with its title and description in `lang` (or the nearest fallback)."""
    return {"id": pack["id"], "version": pack["version"],
            "title": i18n.pick_text(pack["title"], lang, pack["languages"]),
            "description": i18n.pick_text(pack["description"], lang, pack["languages"]),
            "titles": pack["title"], "languages": pack["languages"],
            "publisher": pack["publisher"], "license": pack["license"],
            "resource_count": pack["resource_count"], "signed": bool(pack["signed_by"]),
            "url": url_for("learn.pack", pack_id=pack["id"])}


def _bad(message: str):
    response = jsonify({"error": message})
    response.status_code = 400
    abort(response)


@bp.get("/packs")
def packs():
    """Installed, enabled packs."""
    lang = request.args.get("lang") or str(get_locale())
    return jsonify({"packs": [pack_json(p, lang) for p in catalog.list_packs(get_db())]})


@bp.get("/resources")
def resources():
    """Search (q) or list resources; lang/pack/kind filter; one per translation group."""
    raw_limit = request.args.get("limit", "20")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        _bad(f"limit: must be a whole number from 1 to {MAX_LIMIT}")
    language = request.args.get("lang") or None
    if language and not i18n.is_known_locale(language):
        _bad("lang: not a language tag")
    found = catalog.search(get_db(), request.args.get("q", "")[:200],
                           lang=language or str(get_locale()), language=language,
                           pack=request.args.get("pack") or None,
                           kind=request.args.get("kind") or None, limit=int(raw_limit))
    return jsonify({"resources": [resource_json(r) for r in found]})


@bp.get("/resources/<pack_id>/<resource_id>")
def resource(pack_id: str, resource_id: str):
    """One resource of an enabled pack, with the other languages it exists in."""
    found = catalog.get_resource(get_db(), pack_id, resource_id)
    if found is None or not found["pack_enabled"]:
        abort(404)
    data = resource_json(found)
    data["versions"] = [{"id": v["id"], "language": v["language"], "title": v["title"],
                         "url": url_for("learn.resource", pack_id=pack_id, resource_id=v["id"])}
                        for v in catalog.versions(get_db(), pack_id, found["group"])]
    return jsonify(data)
