"""JSON API for learners, sessions and events (filled in by the learners issue)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api_activity", __name__, url_prefix="/api/v1")
