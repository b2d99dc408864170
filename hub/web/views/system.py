"""System routes: health check, the language switcher, friendly error pages."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request

import hub
from hub.web.redirects import safe_next
from hub.core import i18n
from hub.web.http_errors import InsufficientStorage

bp = Blueprint("system", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness for scripts and the service manager."""
    return jsonify({"status": "ok", "version": hub.__version__})


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the chosen UI language in a cookie and go back to the page."""
    if code not in i18n.LOCALES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(i18n.COOKIE_NAME, code, max_age=i18n.COOKIE_MAX_AGE,
                        samesite="Lax", httponly=True, secure=request.is_secure)
    return response


@bp.get("/language")
def choose_language():
    """A page listing every language, for phones where the header menu is cramped."""
    return render_template("language.html", next=safe_next(request.args.get("next")))


@bp.app_errorhandler(400)
@bp.app_errorhandler(403)
@bp.app_errorhandler(404)
@bp.app_errorhandler(413)
@bp.app_errorhandler(429)
@bp.app_errorhandler(500)
@bp.app_errorhandler(InsufficientStorage)
def error_page(error):
    """Errors as a short page in the learner's language (JSON under /api/)."""
    code = getattr(error, "code", 500) or 500
    if request.path.startswith("/api/"):
        return jsonify({"error": getattr(error, "description", "error")}), code
    return render_template("error.html", code=code, error=error), code
