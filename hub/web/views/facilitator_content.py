"""Content management (admins): installed packs, upload, USB/folder installs, install jobs."""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import unquote

from flask import (Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_babel import format_decimal, ngettext

from hub.catalog import store as catalog
from hub.catalog.h5p import is_h5p_file
from hub.core import mounts
from hub.catalog import zim
from hub.web.db import get_db
from hub.catalog.packs.errors import PackRefused
from hub.web.guard import admin_only, guarded
# Installs, USB drives and install jobs are imported in the views that use them: only an
# admin's content pages need them, and a started hub leaves them out (issue 22).

bp = guarded(Blueprint("facilitator_content", __name__, url_prefix="/facilitator"))
CHUNK = 1024 * 1024


def disk_status(extra_bytes: int = 0) -> dict:
    """Free space in the data dir, the reserve, and whether `extra_bytes` more would break it."""
    from hub.ops import installs

    return installs.disk_status(current_app.config["HUB_DATA_DIR"],
                                current_app.config["HUB_DISK_RESERVE_MB"] * 1024 * 1024, extra_bytes)


def uploads_dir() -> Path:
    """HUB_DATA_DIR/uploads, created when needed."""
    path = Path(current_app.config["HUB_DATA_DIR"]) / "uploads"
    path.mkdir(exist_ok=True)
    return path


def start_install(items: list[tuple[str, bool]], source: str, label: str, delete_after: bool = False,
                  names: dict | None = None, details: dict | None = None) -> str:
    """Queue an install job for these (path, keep_mounted) items; return its id.

    `label` is a key ("upload", "usb") and `details` what job_title needs to say it in words.
    """
    from hub.ops import installs, jobs

    config = current_app.config
    options = {"source": source, "allow_unsigned": config["HUB_ALLOW_UNSIGNED_PACKS"],
               "reserve_bytes": config["HUB_DISK_RESERVE_MB"] * 1024 * 1024,
               "usb_mounts": config["HUB_USB_MOUNTS"], "names": names or {}}
    return jobs.RUNNER.submit("install", label, installs.run_install, config["HUB_DATA_DIR"], items, options,
                              details=details, delete_after=delete_after)


def job_title(job: dict) -> str:
    """An install job's title in the reader's language (jobs store a key, never words)."""
    details = job.get("details") or {}
    if job["label"] == "upload":
        name = details.get("name")
        return _("Installing %(name)s", name=name) if name else _("Installing the uploaded pack")
    if job["label"] == "usb":
        count = details.get("count", 0)
        return ngettext("Installing %(count)s pack from a USB stick or folder",
                        "Installing %(count)s packs from a USB stick or folder", count,
                        count=format_decimal(count))
    return job["label"]


@bp.get("/content")
@admin_only
def packs():
    """Installed packs, disk space, recent installs; "Upgrade" only where a newer one waits."""
    from hub.ops import jobs, usb

    installed = catalog.list_packs(get_db(), enabled_only=False)
    drives = mounts.mount_points(current_app.config["HUB_USB_MOUNTS"])
    newer = {item["id"]: item["version"] for item in
             usb.scan(drives, {p["id"]: p["version"] for p in installed})
             if item["status"] == "newer"}
    return render_template("facilitator/packs.html", packs=installed, newer=newer,
                           disk=disk_status(), recent=[dict(job, title=job_title(job))
                                                       for job in jobs.RUNNER.recent("install")[:5]])


@bp.post("/content/<pack_id>/enabled")
@admin_only
def set_enabled(pack_id: str):
    """Show or hide a pack for learners."""
    from hub.catalog.packs import install as pack_install

    enabled = request.form.get("enabled") == "1"
    try:
        pack_install.set_enabled(get_db(), pack_id, enabled)
    except PackRefused:
        abort(404)
    flash(_("Learners can see this pack now.") if enabled else _("This pack is hidden from learners now."))
    return redirect(url_for("facilitator_content.packs"))


@bp.route("/content/<pack_id>/remove", methods=["GET", "POST"])
@admin_only
def remove(pack_id: str):
    """Ask first (GET), then remove a pack and its files (POST); a ZIM's archive is let go too."""
    from hub.catalog.packs import install as pack_install

    pack = catalog.get_pack(get_db(), pack_id) or abort(404)
    if request.method == "GET":
        return render_template("facilitator/remove_pack.html", pack=pack)
    try:
        # hub.catalog.packs.install.remove also drops a ZIM pack's cached archive (hub.catalog.zim.archive.forget).
        pack_install.remove(get_db(), current_app.config["HUB_DATA_DIR"], pack_id)
    except PackRefused:
        abort(404)
    flash(_("The pack was removed."))
    return redirect(url_for("facilitator_content.packs"))


@bp.url_value_preprocessor
def _upload_spool(endpoint, _values):
    # Runs before the CSRF check parses a multipart form (and after nothing: the guard, which
    # runs first, reads no body): file parts go straight to HUB_DATA_DIR/uploads on disk
    # (never RAM, never a small tmpfs). Every part is remembered, so that `_drop_spools`
    # deletes those not installed, whatever the answer.
    if endpoint == "facilitator_content.upload" and request.method == "POST":
        folder = uploads_dir()
        g.upload_spools = []

        def file_stream(*_args, **_kwargs):
            path = folder / f"{uuid.uuid4().hex}.part"
            g.upload_spools.append(path)
            return open(path, "w+b")  # noqa: SIM115 - closed by _drop_spools

        request._get_file_stream = file_stream  # noqa: SLF001 - werkzeug's documented hook


@bp.teardown_request
def _drop_spools(_exc=None):
    """Delete every spooled part of this request that did not become an install (400, 403, 500...)."""
    if "files" in request.__dict__:  # only a form already parsed: never read a body here
        for storage in request.files.values():
            storage.stream.close()
    for path in g.pop("upload_spools", []):
        Path(path).unlink(missing_ok=True)


def _receive_raw(folder: Path) -> Path:
    """Stream a raw request body (the JS upload) to a file in chunks."""
    target = folder / f"{uuid.uuid4().hex}.part"
    g.upload_spools.append(target)
    with target.open("wb") as handle:
        while True:
            chunk = request.stream.read(CHUNK)
            if not chunk:
                break
            handle.write(chunk)
    return target


def _receive_form() -> Path | None:
    """Take the file part of a multipart form (already spooled to disk by _upload_spool)."""
    storage = request.files.get("pack")
    if storage is None or not storage.filename:
        return None
    spooled = getattr(storage.stream, "name", None)
    storage.stream.flush()
    if isinstance(spooled, str) and os.path.dirname(spooled) == str(uploads_dir()):
        return Path(spooled)
    target = uploads_dir() / f"{uuid.uuid4().hex}.part"
    g.upload_spools.append(target)
    storage.save(str(target), buffer_size=CHUNK)
    return target


@bp.route("/content/upload", methods=["GET", "POST"])
@admin_only
def upload():
    """Upload a pack .zip (streamed to disk), then install it as a background job."""
    if request.method == "GET":
        return render_template("facilitator/upload.html", disk=disk_status())
    wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    folder = uploads_dir()
    if request.mimetype == "multipart/form-data":
        received = _receive_form()
        name = request.files["pack"].filename if received else ""
    else:
        received = _receive_raw(folder)
        name = unquote(request.headers.get("X-File-Name", ""))
        if received.stat().st_size == 0:
            received.unlink()
            received = None
    for storage in request.files.values():
        storage.stream.close()  # the parts not used are deleted by _drop_spools
    if received is None:
        message = _("Choose a pack file (.zip or .zim) to upload.")
        if wants_json:
            return jsonify({"error": message}), 400
        flash(message, "error")
        return render_template("facilitator/upload.html", disk=disk_status()), 400
    # The suffix routes the install: a Kiwix .zim goes to hub.catalog.zim, an .h5p to
    # hub.catalog.h5p, anything else is a pack .zip (or a zipped Kolibri export).
    name = Path(name).name
    final = received.with_suffix(".zim" if zim.is_zim_file(name) else ".h5p" if is_h5p_file(name) else ".zip")
    received.rename(final)
    try:
        job_id = start_install([(str(final), False)], "upload", "upload", delete_after=True,
                               names={str(final): name} if name else None, details={"name": name})
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    job_url = url_for("facilitator_content.job", job_id=job_id)
    if wants_json:
        return jsonify({"job": job_id, "job_url": job_url}), 202
    return redirect(job_url, code=303)


def _installed_versions() -> dict[str, str]:
    return {p["id"]: p["version"] for p in catalog.list_packs(get_db(), enabled_only=False)}


@bp.route("/content/usb", methods=["GET", "POST"])
@admin_only
def usb_install():
    """Packs found on USB sticks and folders; install the chosen ones as one job."""
    from hub.ops import installs, usb

    drives = mounts.mount_points(current_app.config["HUB_USB_MOUNTS"])
    found = usb.scan(drives, _installed_versions())
    disk = disk_status()
    for item in found:
        item["too_big"] = disk_status(item["size"])["low"]
    warning, status = None, 200
    if request.method == "POST":
        chosen = set(request.form.getlist("path"))
        keep_mounted = set(request.form.getlist("keep_mounted"))
        # Only paths the scan itself offered, inside a mount point: nothing else on disk.
        picked = [item for item in found
                  if item["path"] in chosen and item["status"] != "unreadable"
                  and mounts.is_under(item["path"], drives)]
        if not picked:
            warning, status = _("Choose at least one pack to install."), 400
        elif disk_status(installs.room_needed(picked, keep_mounted))["low"] \
                and request.form.get("confirm_space") != "1":
            # Warn before starting: the install itself would refuse what does not fit.
            warning, status = _("Installing the chosen packs would leave less free space than the "
                                "hub keeps. Choose fewer packs, or install anyway to see which fit."), 409
        else:
            items = [(i["path"], i["kind"] == "zim" and i["path"] in keep_mounted) for i in picked]
            job_id = start_install(items, "usb", "usb", details={"count": len(picked)})
            return redirect(url_for("facilitator_content.job", job_id=job_id), code=303)
    total_new = sum(item["size"] for item in found if item["status"] in ("new", "newer"))
    return render_template("facilitator/usb.html", found=found, mounts=drives, disk=disk,
                           disk_after_all=disk_status(total_new), warning=warning,
                           chosen=set(request.form.getlist("path")) if request.method == "POST" else None,
                           keep_mounted=set(request.form.getlist("keep_mounted")),
                           ask_confirm=status == 409), status


@bp.get("/jobs/<job_id>")
@admin_only
def job(job_id: str):
    """A job's progress page (reload to update; the script updates it by itself)."""
    from hub.web import install_wording
    from hub.ops import jobs

    state = jobs.RUNNER.get(job_id) or abort(404)
    return render_template("facilitator/job.html", job=state, title=job_title(state),
                           plain_problem=install_wording.plain_problem)


@bp.get("/jobs/<job_id>.json")
@admin_only
def job_json(job_id: str):
    """A job's state for the progress script."""
    from hub.ops import jobs

    state = jobs.RUNNER.get(job_id) or abort(404)
    return jsonify(state)
