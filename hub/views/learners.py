"""Learner identity pages: sign up, sign in, my learning (filled in by the learners issue)."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("learners", __name__)


@bp.get("/signin")
def sign_in():
    """Pick your name to sign in."""
    return render_template("learners/signin.html")


@bp.get("/me")
def my_learning():
    """What I have learned."""
    return render_template("learners/me.html")
