"""Request safety for every page: CSRF tokens on state-changing requests, security headers."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading

from flask import abort, current_app, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from hub.core import clock

from hub.web import page_tokens

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
SEEN_COOKIES = 1024  # verified session cookies remembered (a school's phones)
# Each sign-in's own id, kept in its session: a sign-out refuses every cookie that carries it.
SIGNIN_KEYS = ("learner_signin", "facilitator_signin")
ENDED_SIGNINS = 1024  # sign-ins ended here (signed out), whose cookies are refused from then on
REFRESH_AFTER = dt.timedelta(days=1)  # a lasting session's cookie is signed again after this
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

# Hub pages: only our own files; pack HTML gets its own, stricter policy in views/content.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "
    "script-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use (in a page rendered to be
    kept, its placeholder: hub.web.page_tokens fills it per request)."""
    if page_tokens.rendering_for_keeping():
        return page_tokens.CSRF
    return session_csrf_token()


def session_csrf_token() -> str:
    """This session's own CSRF token, created on first use."""
    token = session.get("_csrf")
    if not token:
        token = session["_csrf"] = secrets.token_urlsafe(32)
    return token


def _same_origin() -> bool:
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return True  # non-browser clients (scripts, tests) send neither
    host = origin.split("://", 1)[-1].split("/", 1)[0]
    return host == request.host


def check_csrf():
    """Refuse a state-changing request without a valid token (400).

    Forms carry the token as a field; scripts send it as a header. A JSON body from another
    origin cannot be sent by a browser without a preflight we never grant, so JSON requests
    pass on a same-origin check alone: this is what lets scripts use the contract API.
    """
    if request.method in SAFE_METHODS:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and getattr(view, "csrf_exempt", False):
        return None
    if request.is_json:
        if _same_origin():
            return None
        return _refuse("cross-origin request refused")
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    expected = session.get("_csrf", "")
    if expected and sent and hmac.compare_digest(sent, expected):
        return None
    return _refuse("the form has expired or was not sent from this hub; reload the page and try again")


def _refuse(message: str):
    if request.path.startswith("/api/"):
        response = jsonify({"error": message})
        response.status_code = 400
        abort(response)
    abort(400, description=message)


def csrf_exempt(view):
    """Mark a view as taking no CSRF token (only for endpoints that authenticate otherwise)."""
    view.csrf_exempt = True
    return view


def add_security_headers(response):
    """Set headers every response needs; views may set a stricter CSP of their own first."""
    headers = response.headers
    present = {key.lower() for key, _ in headers.items()}  # one pass, not one per header
    headers.extend([(k, v) for k, v in SECURITY_HEADERS if k.lower() not in present])
    return response


SECURITY_HEADERS = (("Content-Security-Policy", PAGE_CSP), ("X-Content-Type-Options", "nosniff"),
                     ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "SAMEORIGIN"))


def _fresh(value):
    # A copy of the remembered session data for one request: lists (the flashes) and dicts
    # are changed in place by Flask, so they are copied; strings and numbers are shared.
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    return value


class _SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is `Secure` whenever the page came over https.

    On the LAN the hub speaks plain http (a Secure cookie would never come back); behind an
    https proxy (HUB_TRUSTED_PROXY) the request is https and the cookie must not leak to http."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def open_session(self, app, request):
        """The session of this request's cookie; a cookie seen before is not verified again.

        The same cookie text always verifies the same way (its signature is part of it), so a
        class's cookies are checked once each while they stay young enough; each request
        gets its own copy of the data."""
        value = request.cookies.get(self.get_cookie_name(app))
        serializer = self.get_signing_serializer(app)
        if not value or serializer is None:
            return super().open_session(app, request)
        lifetime = app.permanent_session_lifetime
        seen = self._seen.get(value)
        if seen is None or clock.now() - seen[1] > lifetime:
            try:
                data, signed_at = serializer.loads(value, max_age=int(lifetime.total_seconds()),
                                                   return_timestamp=True)
            except BadSignature:
                return self.session_class()
            if clock.now() - signed_at > lifetime:
                return self.session_class()  # expired by the hub's one clock too
            seen = (data, signed_at)
            if len(self._seen) >= SEEN_COOKIES:
                self._seen.clear()
            self._seen[value] = seen
        if self._ended_signin(seen[0]):
            return self.session_class()  # a cookie of a sign-in that ended: a stranger's copy
        session = self.session_class(_fresh(seen[0]))
        session.signed_at = seen[1]
        return session

    def should_set_cookie(self, app, session) -> bool:
        """A changed session, or a lasting one whose cookie is over a day old (its 90 days
        start again): not a new signed cookie on every page."""
        if session.modified:
            return True
        signed_at = getattr(session, "signed_at", None)
        return (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
                and (signed_at is None or clock.now() - signed_at > REFRESH_AFTER))

    def remembered(self, value: str) -> tuple | None:
        """(data, signed_at) of a session cookie verified before and of no ended sign-in, else
        None (hub.web.page_fastpath_sessions answers only for these)."""
        seen = self._seen.get(value)
        return None if seen is None or self._ended_signin(seen[0]) else seen

    def _ended_signin(self, data: dict) -> bool:
        return bool(self._ended) and any(data.get(key) in self._ended for key in SIGNIN_KEYS)

    def end_signin(self, signin: str | None) -> None:
        """A sign-out: every cookie of the sign-in `signin` opens nothing from now on, here.

        Signed cookies cannot be taken back, and a browser's cookie text changes as it is used
        (a flashed message, a refreshed moment), so the sign-in's id is refused, not one text:
        a copy kept from before (another tab, someone on the Wi-Fi) opens nothing (until the
        hub restarts)."""
        if not signin:
            return
        with self._signing_out:
            if len(self._ended) >= ENDED_SIGNINS:
                self._ended.pop(next(iter(self._ended)), None)  # the oldest
            self._ended[signin] = True

    def __init__(self):
        super().__init__()
        self._seen: dict[str, tuple] = {}
        self._ended: dict[str, bool] = {}  # insertion-ordered: the oldest goes first
        self._signing_out = threading.Lock()


def end_this_signin(key: str) -> None:
    """A sign-out: no cookie of this browser's sign-in (its id in session[key]) opens anything."""
    current_app.session_interface.end_signin(session.get(key))


def init_app(app) -> None:
    """Install the CSRF check, the security headers and https-aware session cookies."""
    app.session_interface = _SessionInterface()
    app.before_request(check_csrf)
    app.after_request(add_security_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
