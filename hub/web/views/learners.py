"""Learner pages: sign up, sign in and out, my learning, check-ins; who is signed in (g.learner).

Every page works as plain HTML forms; hub/static/activity.js only adds event batching.
Exercise and resource-progress routes are in hub/web/views/learner_resources.py (same blueprint).
"""
from __future__ import annotations

import datetime as dt
import hmac
import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from hub.core import clock, i18n, settings
from hub.learning import care, checkins, learners, learning_time, progress
from hub.web import settings as web_settings
from hub.web.db import get_db
from hub.web.guard import end_facilitator_session
from hub.web.redirects import safe_next
from hub.web.security import end_this_signin

bp = Blueprint("learners", __name__)
_PUBLIC = ("id", "actor", "name", "avatar", "language", "reads")
# How stale the "last seen" moment of a learner's browser may be (a few seconds of a limit
# counted in minutes).
SEEN_RESOLUTION = dt.timedelta(seconds=10)


@bp.before_app_request
def load_learner():
    """Set g.learner from the session: a dict (id, actor, name, avatar, language, reads) or None."""
    g.learner = None
    g.anon_returned = "anon" in session  # the browser sent its anonymous session back
    if request.endpoint == "static" or "learner_id" not in session:
        return
    learner = learners.get_learner(get_db(), session["learner_id"])
    # The actor check keeps a removed learner's cookie from opening a later profile that
    # happens to reuse the same row id.
    if learner is None or learner["actor"] != session.get("learner_actor"):
        sign_out()
        return
    kept_key = session.get("learner_key")
    if not hmac.compare_digest(kept_key or "", learner["session_key"]):
        # The PIN was set, changed or removed since this sign-in (someone else may have known
        # it): every browser on the profile ends. A sign-in older than the key just ends.
        sign_out()
        if kept_key:
            flash(_("The PIN of this profile was changed, so this device was signed out. "
                    "Please choose your name again."))
        return
    if _idle_too_long():
        sign_out()
        flash(_("You were signed out because no one used this device for a while. "
                "Please choose your name again."))
        return
    g.learner = {key: learner[key] for key in _PUBLIC}
    if request.endpoint == "system.set_language" and request.view_args.get("code") in i18n.LOCALES:
        # The header's language menu is the learner's preference from now on.
        learners.update_learner(get_db(), learner["id"], language=request.view_args["code"])
        g.learner["language"] = request.view_args["code"]


def _idle_too_long() -> bool:
    """True when the shared-device setting is on and this browser was idle longer than it.

    Every learner page seen refreshes the moment; the next child on a shared phone finds the
    first child signed out instead of adding to their learning."""
    minutes = web_settings.current().get("shared_device_idle_minutes") or 0
    if not minutes:
        # Off: no moment is kept (rewriting it signed a new cookie on every page); when a
        # facilitator turns it on, the first page after starts counting.
        session.pop("learner_seen_at", None)
        return False
    now = clock.now()
    last = session.get("learner_seen_at")
    if request.endpoint not in ("api_activity.post_events", "offline.sw") and _seen_long_ago(last, now):
        # Events a page sends on its own (a beacon on hide) are not a child using the device.
        session["learner_seen_at"] = clock.iso(now)
    if not last:
        return False
    try:
        idle = (now - clock.parse(last)).total_seconds()
    except (ValueError, TypeError):
        return False
    return idle > int(minutes) * 60


def _seen_long_ago(last: str | None, now) -> bool:
    # The moment is rewritten at most every SEEN_RESOLUTION: each rewrite is a new signed
    # cookie, and a class browsing would otherwise sign one on every page.
    try:
        return not last or (now - clock.parse(last)) >= SEEN_RESOLUTION
    except (ValueError, TypeError):
        return True


def current_actor() -> str:
    """The signed-in learner's actor key, or 'A' + this browser's anonymous session key."""
    if g.get("learner"):
        return g.learner["actor"]
    if "anon" not in session:
        session["anon"] = secrets.token_hex(12)
        session.permanent = True
    return "A" + session["anon"]


def page_actor() -> str | None:
    """The actor a page VIEW counts for: the learner, or an anonymous session the browser has
    returned at least once. A first visit only sets the cookie, so a client that never sends
    it back (a crawler, a phone refusing cookies) adds no actor, event or progress row."""
    if g.get("learner"):
        return g.learner["actor"]
    actor = current_actor()
    return actor if g.get("anon_returned") else None


def signed_in_id() -> int | None:
    """The signed-in learner's id, or None for an anonymous session."""
    return g.learner["id"] if g.get("learner") else None


def refuse_another_learners_form() -> None:
    """Abort with 409 when a form names (field `learner`) another learner than the one signed
    in now: a phone replaying what it kept offline must never record it as someone else's."""
    if "learner" not in request.form:
        return  # an older page, or a script: the form is for whoever is signed in
    raw = request.form.get("learner", "")
    owner = int(raw) if raw.isdigit() and len(raw) < 19 else (None if raw == "" else -1)
    if owner != signed_in_id():
        abort(409, description=_("This was made by another learner than the one signed in "
                                 "now, so it was not recorded. Ask them to sign in and send it again."))


def sign_in(learner: dict) -> None:
    """Make `learner` the signed-in one for this browser.

    A facilitator signed in on the same browser (a shared laptop) is signed out: a child
    never inherits the console."""
    end_facilitator_session()
    session.pop("anon", None)
    session["learner_id"], session["learner_actor"] = learner["id"], learner["actor"]
    session["learner_key"] = learner["session_key"]
    # Each sign-in its own id: a sign-out refuses every cookie that carries it (sign_out).
    session["learner_signin"] = secrets.token_hex(8)
    shared = settings.get(get_db(), "shared_device_idle_minutes")
    if shared:
        session["learner_seen_at"] = clock.iso()
    # On a shared device the sign-in lasts only as long as the browser session: closing the
    # browser ends it, as the idle time does (docs/child-alone.md).
    session.permanent = not shared
    learners.touch(get_db(), learner["id"])
    g.learner = {key: learner[key] for key in _PUBLIC}


def sign_out() -> None:
    """Forget the signed-in learner (the browser becomes anonymous; the cookie it sent opens
    nothing from now on, kept page or not)."""
    end_this_signin("learner_signin")
    session.pop("learner_id", None)
    session.pop("learner_actor", None)
    session.pop("learner_key", None)
    session.pop("learner_signin", None)
    session.pop("learner_seen_at", None)
    g.learner = None


def today() -> tuple[str, str]:
    """Today in the hub's time zone: ('YYYY-MM-DD', its start as an ISO UTC time)."""
    # Worked out once a minute per zone (days begin on a minute): every kept page asks.
    global _today
    key = (web_settings.hub_timezone(), clock.now().replace(second=0, microsecond=0))
    kept = _today
    if kept[0] != key:
        kept = _today = (key, clock.day_start(key[0]))
    return kept[1]


_today: tuple = (None, None)


def checkin_due() -> bool:
    """True when today's check-in should be offered to the signed-in learner."""
    if not g.get("learner"):
        return False
    day, start = today()
    return checkins.due(get_db(), g.learner, day, start)


def require_learner():
    """Redirect to sign-in unless a learner is signed in."""
    if not g.get("learner"):
        abort(redirect(url_for("learners.sign_in", next=request.full_path.rstrip("?"))))


@bp.get("/signin", endpoint="sign_in")
def sign_in_page():
    """Pick your group, then your name and picture (or search your name)."""
    db = get_db()
    if names_hidden():
        return _typed_sign_in(db)
    groups = learners.list_groups(db)
    group_id = request.args.get("group", type=int)
    query = request.args.get("q", "").strip()[:40]
    everyone_else = request.args.get("group") == "none"
    if query:
        people = learners.list_learners(db, q=query)[:60]
    elif everyone_else:
        people = learners.list_learners(db, no_group=True)
    elif group_id:
        people = learners.list_learners(db, group_id=group_id)
    elif not groups:
        people = learners.list_learners(db)[:200]
    else:
        people = None  # choose a group first: a long list of every child helps nobody
    return render_template("learners/signin.html", groups=groups, group_id=group_id,
                           everyone_else=everyone_else,
                           has_ungrouped=bool(groups) and learners.has_ungrouped(db),
                           query=query, people=people, next=safe_next(request.args.get("next")),
                           self_signup=settings.get(db, "self_signup"))


def names_hidden() -> bool:
    """True when the hub lists no names at sign-in (the `signin_list` setting is "typed")."""
    return settings.get(get_db(), "signin_list") == "typed"


def _typed_sign_in(db):
    """The sign-in page that lists no one: a child types their whole name."""
    query = " ".join(request.args.get("q", "").split())[:learners.NAME_MAX]
    person = learners.find_by_name(db, query) if query else None
    return render_template("learners/signin_typed.html", query=query, person=person,
                           next=safe_next(request.args.get("next")),
                           self_signup=settings.get(db, "self_signup"))


def typed_name_fits(learner: dict, typed: object) -> bool:
    """True unless the hub lists no names and `typed` is not this learner's whole name.

    Where names are hidden an id alone opens nothing (not a name, not "needs a PIN"): ids are
    small integers anyone could count through.
    """
    if not names_hidden():
        return True
    return isinstance(typed, str) and " ".join(typed.split()).casefold() == learner["name"].casefold()


def _learner_or_404(learner_id: int) -> dict:
    learner = learners.get_learner(get_db(), learner_id)
    if learner is None or not typed_name_fits(learner, request.values.get("name", "")):
        abort(404)
    return learner


def _after_sign_in(target: str) -> str:
    return url_for("learners.checkin", next=target) if checkin_due() else target


@bp.route("/signin/<int:learner_id>", methods=["GET", "POST"])
def sign_in_as(learner_id: int):
    """Confirm who you are (with your PIN when you have one)."""
    learner = _learner_or_404(learner_id)
    target = safe_next(request.values.get("next"))
    typed = request.values.get("name") if names_hidden() else None
    if request.method == "GET":
        return render_template("learners/pin.html", learner=learner, next=target, typed_name=typed)
    try:
        ok = learners.check_pin(get_db(), learner_id, request.form.get("pin", "").strip())
    except learners.PinLocked as exc:
        minutes = max(1, (exc.retry_after + 59) // 60)
        error = ngettext("This profile is resting after too many tries. Please try again in %(count)s minute, "
                         "or ask your facilitator.",
                         "This profile is resting after too many tries. Please try again in %(count)s minutes, "
                         "or ask your facilitator.", minutes, count=format_decimal(minutes))
        return render_template("learners/pin.html", learner=learner, next=target, typed_name=typed,
                               error=error), 429, {"Retry-After": str(exc.retry_after)}
    if not ok:
        return render_template("learners/pin.html", learner=learner, next=target, typed_name=typed,
                               error=_("That PIN did not open this profile. Please try again.")), 401
    sign_in(learner)
    return redirect(_after_sign_in(target))


def _signup_error(exc: learners.LearnerError) -> str:
    text = str(exc)
    if text.startswith("pin"):
        return ngettext("A PIN is %(num)s digit. Please try again.", "A PIN is %(num)s digits. Please try again.",
                        learners.PIN_LENGTH)
    if "taken" in text:
        return _("That name is taken already. Add a letter or a number to tell them apart.")
    if text.startswith("avatar"):
        return _("Please choose a picture.")
    return ngettext("Please give a name of %(min)s to %(num)s character.",
                    "Please give a name of %(min)s to %(num)s characters.", learners.NAME_MAX,
                    min=1)


@bp.route("/signup", methods=["GET", "POST"])
def sign_up():
    """Make your own profile: name, picture, language, and a PIN if you like."""
    db = get_db()
    if not settings.get(db, "self_signup"):
        return render_template("learners/signup_closed.html"), 403
    form = {"name": "", "avatar": "", "language": str(get_locale())}
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in ("name", "avatar", "language")}
        try:
            learner = learners.create_learner(
                db, form["name"], avatar=form["avatar"] or None, pin=request.form.get("pin") or None,
                language=form["language"] if form["language"] in i18n.LOCALES else None)
        except learners.LearnerError as exc:
            return render_template("learners/signup.html", form=form, avatars=learners.AVATARS,
                                   error=_signup_error(exc)), 400
        sign_in(learner)
        flash(_("Welcome, %(name)s! This is your learning space.", name=learner["name"]))
        return redirect(url_for("learn.home"))
    return render_template("learners/signup.html", form=form, avatars=learners.AVATARS)


@bp.post("/signout")
def sign_out_page():
    """Sign out, so the next child can sign in on this device."""
    sign_out()
    flash(_("You are signed out. See you soon!"))
    return redirect(safe_next(request.form.get("next")))


@bp.get("/me")
def my_learning():
    """What I have learned: completed, time this week, mastered exercises, what to continue."""
    require_learner()
    db, actor = get_db(), g.learner["actor"]
    rows = progress.learner_progress(db, actor)
    now = clock.local_now(web_settings.hub_timezone())
    week_start = (now - dt.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                                  microsecond=0)
    week = learning_time.learning_time(db, actor, clock.iso(week_start))
    declined = learners.get_learner(db, g.learner["id"])["checkin_declined"]
    return render_template(
        "learners/me.html", completed=[r for r in rows if r["completed_at"]],
        mastered=[r for r in rows if r["mastered_at"]],
        going=[r for r in rows if not r["completed_at"] and r.get("title")][:5],
        week_minutes=learning_time.minutes(week["seconds"]), week_estimated=week["estimated"],
        checkins_declined=declined)


@bp.route("/checkin", methods=["GET", "POST"])
def checkin():
    """How do you feel today? Optional: skip it, or never be asked again."""
    require_learner()
    db, learner = get_db(), g.learner
    target = safe_next(request.values.get("next"))
    day, start = today()
    if request.method == "GET":
        checkins.mark_offered(db, learner["id"], day)
        return render_template("learners/checkin.html", next=target)
    action = request.form.get("action", "")
    if action == "never":
        checkins.decline(db, learner["id"])
        flash(_("All right, we will not ask again. You can change this on your learning page."))
    elif action == "again":
        checkins.resume(db, learner["id"])
        flash(_("We will ask you once a day how you feel."))
    elif action.isdigit() and int(action) in checkins.MOODS:
        checkins.mark_offered(db, learner["id"], day)
        if not progress.checked_in_since(db, learner["actor"], start):
            checkins.record(db, learner, int(action))
        if int(action) in care.SAD_MOODS:
            # A sad child gets comfort and somewhere to go, not the same "thank you".
            return render_template("learners/care.html", next=target, very_sad=int(action) == 1,
                                   resources=care.wellbeing_resources(db, str(get_locale())))
        flash(_("Thank you for telling us how you feel."))
    elif action != "skip":
        abort(400)
    return redirect(target)


@bp.app_context_processor
def learner_context():
    """Helpers for the learner templates that other pages include."""
    def avatar_url(name: str) -> str:
        return url_for("static", filename=f"avatars/{name if name in learners.AVATARS else 'star'}.svg")

    def checkin_offer() -> bool:
        # Shown once a day at most: rendering the offer counts as offering it.
        if checkin_due():
            g.page_wrote = True  # a page with the offer is shown once, never kept
            checkins.mark_offered(get_db(), g.learner["id"], today()[0])
            return True
        return False

    return {"avatar_url": avatar_url, "checkin_offer": checkin_offer}

