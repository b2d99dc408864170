"""Views for the 'content' area (filled in by its issue)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("content", __name__)
