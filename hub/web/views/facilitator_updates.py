"""Content page, updates (admins): packs from the centre and hubs nearby, downloads, the policy."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from hub.web.db import get_db
from hub.web.guard import admin_only, guarded
# The pack sources, pulls and the look for hubs nearby are imported in the views that use
# them: only an admin's updates page needs them; a started hub leaves them out (issue 22).

bp = guarded(Blueprint("facilitator_updates", __name__, url_prefix="/facilitator"))
NEIGHBOUR_SECONDS = 3.0


def hub_settings() -> dict:
    """The HUB_* settings of the running hub, as the pull needs them."""
    return {k: v for k, v in current_app.config.items() if k.startswith("HUB_")}


def _field_errors(found: list[tuple[str, str]]) -> dict:
    words = {"pack_updates": _("Choose one of the three."),
             "pack_window": _("Write the hours as HH:MM-HH:MM, for example 22:00-06:00, or leave it empty."),
             "pack_daily_budget_mb": _("A whole number from 0 to 1000000."),
             "pack_rate_kbps": _("A whole number from 0 to 1000000.")}
    return {field: words[field] for field, _why in found}


def _offers(source: dict) -> list[dict]:
    """What one looked-at source has that this hub lacks (none when it could not be read)."""
    from sync import pack_pull

    if source["entries"] is None:
        return []
    return pack_pull.updates(get_db(), hub_settings(), source["url"], entries=source["entries"])


def _page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    from sync import pack_downloads, pack_policy, pack_sources, upstream

    db, conf = get_db(), hub_settings()
    centre_url = upstream.config(conf)["url"]
    centre = next(iter(pack_sources.seen(conf["HUB_DATA_DIR"], "centre")), None)
    if centre_url and (centre is None or centre["url"] != centre_url):
        centre = pack_sources.look(conf["HUB_DATA_DIR"], centre_url, centre_url, "centre")
    hubs = [dict(hub, offers=_offers(hub)) for hub in pack_sources.seen(conf["HUB_DATA_DIR"], "hub")]
    return render_template("facilitator/updates.html", centre=centre and dict(centre, offers=_offers(centre)),
                           hubs=hubs, downloads=[row for row in pack_downloads.all_rows(db)],
                           values=values or pack_policy.policy(db), errors=errors or {},
                           policies=pack_policy.POLICIES), status


@bp.get("/content/updates")
@admin_only
def updates():
    """Available packs, downloads with their progress and failures, the automatic-update policy."""
    return _page()


@bp.post("/content/updates/centre")
@admin_only
def check_centre():
    """Read the centre's catalog again."""
    from sync import pack_sources, upstream

    conf = hub_settings()
    url = upstream.config(conf)["url"]
    if url:
        pack_sources.look(conf["HUB_DATA_DIR"], url, url, "centre")
    return redirect(url_for("facilitator_updates.updates"), 303)


@bp.post("/content/updates/nearby")
@admin_only
def look_nearby():
    """Look for hubs on this network (mDNS), or at the address a facilitator typed."""
    from hub.ops.device import addresses as device_addresses
    from hub.ops.device.neighbours import find_hubs
    from sync import pack_sources

    conf = hub_settings()
    address = (request.form.get("address") or "").strip()
    if address:
        if not address.startswith(("http://", "https://")):
            address = "http://" + address
        pack_sources.look(conf["HUB_DATA_DIR"], address, address, "hub")
        return redirect(url_for("facilitator_updates.updates") + "#nearby", 303)
    pack_sources.forget(conf["HUB_DATA_DIR"], "hub")
    found = find_hubs(NEIGHBOUR_SECONDS, own_port=int(conf.get("HUB_PORT") or 0),
                      own_addresses=tuple(device_addresses.lan_addresses()))
    for hub in found[:10]:
        pack_sources.look(conf["HUB_DATA_DIR"], hub["url"], hub["name"], "hub")
    if not found:
        flash(_("No hub was found nearby. If you know the address of one, type it below."))
    return redirect(url_for("facilitator_updates.updates") + "#nearby", 303)


@bp.post("/content/updates/pull")
@admin_only
def pull():
    """Get one pack from a source the page listed; it downloads and installs in the background."""
    from sync import pack_downloads, pack_sources, upstream

    conf = hub_settings()
    pack_id, source = request.form.get("pack", ""), request.form.get("source", "")
    known = {s["url"] for s in pack_sources.seen(conf["HUB_DATA_DIR"])} | {upstream.config(conf)["url"]}
    known |= {row["source"] for row in pack_downloads.all_rows(get_db())}  # "try again" after a restart
    if not source or source not in known or not pack_id:
        flash(_("That pack is not offered any more. Look again."), "error")
        return _page(status=400)
    pack_sources.start_pull(conf, pack_id, source)
    flash(_("The pack is downloading; its progress shows below."))
    return redirect(url_for("facilitator_updates.updates") + "#downloads", 303)


@bp.post("/content/updates/policy")
@admin_only
def policy():
    """Save when and how much this hub fetches on its own."""
    from sync import pack_policy

    form = request.form
    values = {"pack_updates": form.get("pack_updates", ""), "pack_window": form.get("pack_window", "").strip()}
    for key in ("pack_daily_budget_mb", "pack_rate_kbps"):
        raw = form.get(key, "").strip()
        values[key] = int(raw) if raw.isdigit() and len(raw) < 8 else raw
    found = pack_policy.save(get_db(), values)
    if found:
        return _page(values, _field_errors(found), 400)
    flash(_("The settings were saved."))
    return redirect(url_for("facilitator_updates.updates") + "#automatic", 303)
