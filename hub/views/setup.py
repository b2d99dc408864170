"""Views for the 'setup' area (filled in by its issue)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("setup", __name__)
