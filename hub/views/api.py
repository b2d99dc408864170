"""Views for the 'api' area (filled in by its issue)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
