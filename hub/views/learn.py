"""Learner pages: home, search, pack, resource. (Catalog pages arrive with the packs issue.)"""
from __future__ import annotations

from flask import Blueprint, render_template, request

bp = Blueprint("learn", __name__)


@bp.get("/")
def home():
    """The learner home page."""
    return render_template("learn/home.html")


@bp.get("/search")
def search():
    """Search the catalog."""
    return render_template("learn/search.html", query=request.args.get("q", ""), results=[])
