"""Views for the 'facilitator' area (filled in by its issue)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("facilitator", __name__)
