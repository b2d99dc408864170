"""Content management (admins): installed packs, upload, USB/folder installs, install jobs."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import unquote

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _

from hub import jobs, usb
from hub.db import connect, db_path, get_db
from hub.views.facilitator import admin_only, guarded

bp = guarded(Blueprint("facilitator_content", __name__, url_prefix="/facilitator"))
CHUNK = 1024 * 1024


def _packs_api():
    """The packs and catalog modules, or None while they have not landed."""
    try:
        from hub import catalog
        from hub.packs import errors, install
    except ImportError:
        return None
    return catalog, install, errors


def disk_status(extra_bytes: int = 0) -> dict:
    """Free space in the data dir, the reserve, and whether `extra_bytes` more would break it."""
    usage = shutil.disk_usage(current_app.config["HUB_DATA_DIR"])
    reserve = current_app.config["HUB_DISK_RESERVE_MB"] * 1024 * 1024
    return {"free": usage.free, "total": usage.total, "reserve": reserve,
            "low": usage.free - extra_bytes < reserve}


def uploads_dir() -> Path:
    """HUB_DATA_DIR/uploads, created when needed."""
    path = Path(current_app.config["HUB_DATA_DIR"]) / "uploads"
    path.mkdir(exist_ok=True)
    return path


def run_install(progress, data_dir: str, paths: list[str], source: str, allow_unsigned: bool,
                reserve_bytes: int, delete_after: bool = False) -> dict:
    """Job body: install each path in turn with its own database connection."""
    from hub.packs.errors import PackRefused
    from hub.packs.install import install

    database = connect(db_path(data_dir))
    installed, problems = [], []
    try:
        for index, path in enumerate(paths):
            name = Path(path).name

            def step(fraction, message="", _i=index, _name=name):
                progress((_i + max(0.0, min(1.0, fraction))) / len(paths), f"{_name}: {message}")

            try:
                result = install(database, data_dir, path, allow_unsigned=allow_unsigned,
                                 reserve_bytes=reserve_bytes, source=source, progress=step)
            except PackRefused as exc:
                problems.extend(f"{name}: {p}" for p in exc.problems)
                continue
            installed.append({"id": getattr(result, "pack_id", None) or getattr(result, "id", ""),
                              "version": getattr(result, "version", "")})
    finally:
        database.conn.close()
        if delete_after:
            for path in paths:
                Path(path).unlink(missing_ok=True)
    if problems:
        raise jobs.JobFailed("refused", problems)
    return {"installed": installed}


def start_install(paths: list[str], source: str, label: str, delete_after: bool = False) -> str:
    """Queue an install job for these paths; return its id."""
    config = current_app.config
    return jobs.RUNNER.submit(
        "install", label, run_install, config["HUB_DATA_DIR"], paths, source,
        config["HUB_ALLOW_UNSIGNED_PACKS"], config["HUB_DISK_RESERVE_MB"] * 1024 * 1024,
        delete_after=delete_after)


@bp.get("/content")
@admin_only
def packs():
    """Installed packs, disk space, recent installs."""
    api = _packs_api()
    installed = api[0].list_packs(get_db(), enabled_only=False) if api else None
    return render_template("facilitator/packs.html", packs=installed, disk=disk_status(),
                           recent=jobs.RUNNER.recent("install")[:5])


@bp.post("/content/<pack_id>/enabled")
@admin_only
def set_enabled(pack_id: str):
    """Show or hide a pack for learners."""
    api = _packs_api() or abort(404)
    if api[0].get_pack(get_db(), pack_id) is None:
        abort(404)
    enabled = request.form.get("enabled") == "1"
    api[1].set_enabled(get_db(), pack_id, enabled)
    flash(_("Learners can see this pack now.") if enabled else _("This pack is hidden from learners now."))
    return redirect(url_for("facilitator_content.packs"))


@bp.route("/content/<pack_id>/remove", methods=["GET", "POST"])
@admin_only
def remove(pack_id: str):
    """Ask first (GET), then remove a pack and its files (POST)."""
    api = _packs_api() or abort(404)
    pack = api[0].get_pack(get_db(), pack_id)
    if pack is None:
        abort(404)
    if request.method == "GET":
        return render_template("facilitator/remove_pack.html", pack=pack)
    api[1].remove(get_db(), current_app.config["HUB_DATA_DIR"], pack_id)
    flash(_("The pack was removed."))
    return redirect(url_for("facilitator_content.packs"))


@bp.url_value_preprocessor
def _upload_spool(endpoint, _values):
    # Runs before the CSRF check parses a multipart form: file parts go straight to
    # HUB_DATA_DIR/uploads on disk (never RAM, never a small tmpfs).
    if endpoint == "facilitator_content.upload" and request.method == "POST":
        folder = uploads_dir()

        def file_stream(*_args, **_kwargs):
            return open(folder / f"{uuid.uuid4().hex}.part", "w+b")  # noqa: SIM115 - closed below

        request._get_file_stream = file_stream  # noqa: SLF001 - werkzeug's documented hook


def _receive_raw(folder: Path) -> Path:
    """Stream a raw request body (the JS upload) to a file in chunks."""
    target = folder / f"{uuid.uuid4().hex}.part"
    try:
        with target.open("wb") as handle:
            while True:
                chunk = request.stream.read(CHUNK)
                if not chunk:
                    break
                handle.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
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
    # Remove other spooled parts (a form may carry more than one file) we will not use.
    for storage in request.files.values():
        spooled = getattr(storage.stream, "name", None)
        storage.stream.close()
        if isinstance(spooled, str) and (received is None or spooled != str(received)):
            Path(spooled).unlink(missing_ok=True)
    if received is None:
        message = _("Choose a pack file (.zip) to upload.")
        if wants_json:
            return jsonify({"error": message}), 400
        flash(message, "error")
        return render_template("facilitator/upload.html", disk=disk_status()), 400
    final = received.with_suffix(".zip")
    received.rename(final)
    if _packs_api() is None:
        final.unlink()
        abort(503, description="pack installation is not available yet")
    label = _("Installing %(name)s", name=Path(name).name or _("the uploaded pack"))
    job_id = start_install([str(final)], "upload", label, delete_after=True)
    job_url = url_for("facilitator_content.job", job_id=job_id)
    if wants_json:
        return jsonify({"job": job_id, "job_url": job_url}), 202
    return redirect(job_url, code=303)


def _installed_versions() -> dict[str, str]:
    api = _packs_api()
    if api is None:
        return {}
    return {p["id"]: p["version"] for p in api[0].list_packs(get_db(), enabled_only=False)}


@bp.route("/content/usb", methods=["GET", "POST"])
@admin_only
def usb_install():
    """Packs found on USB sticks and folders; install the chosen ones as one job."""
    mounts = usb.mount_points(current_app.config["HUB_USB_MOUNTS"])
    found = usb.scan(mounts, _installed_versions())
    if request.method == "POST":
        chosen = set(request.form.getlist("path"))
        # Only paths the scan itself offered, inside a mount point: nothing else on disk.
        paths = [item["path"] for item in found
                 if item["path"] in chosen and item["status"] != "unreadable"
                 and usb.is_under(item["path"], mounts)]
        if not paths:
            flash(_("Choose at least one pack to install."), "error")
        elif _packs_api() is None:
            abort(503, description="pack installation is not available yet")
        else:
            label = _("Installing %(count)d packs from a USB stick or folder", count=len(paths))
            job_id = start_install(paths, "usb", label)
            return redirect(url_for("facilitator_content.job", job_id=job_id), code=303)
    total_new = sum(item["size"] for item in found if item["status"] in ("new", "newer"))
    return render_template("facilitator/usb.html", found=found, mounts=mounts,
                           disk=disk_status(), disk_after_all=disk_status(total_new))


@bp.get("/jobs/<job_id>")
@admin_only
def job(job_id: str):
    """A job's progress page (reload to update; the script updates it by itself)."""
    state = jobs.RUNNER.get(job_id) or abort(404)
    return render_template("facilitator/job.html", job=state)


@bp.get("/jobs/<job_id>.json")
@admin_only
def job_json(job_id: str):
    """A job's state for the progress script."""
    state = jobs.RUNNER.get(job_id) or abort(404)
    return jsonify(state)
