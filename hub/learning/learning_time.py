"""How long a learner learned: measured time, or an estimate from page views where none was.

No Flask here. Pages with JavaScript measure the time a page was visible and send it as
`duration_s` (hub/static/activity.js, a beacon when the page hides). Without JavaScript
nothing is measured, so the time is estimated from the moments the hub saw the learner
(opening a resource, answering, "I finished"): a sitting counts from its first page view to
its last, plus LAST_VIEW_S for the last page; a pause longer than VIEW_CAP_S ends a sitting,
so a phone left open does not count as learning. The learner's page and the
facilitator's pages both ask this module, so they always show the same number.
"""
from __future__ import annotations

from sqlite_utils import Database

from hub.core import clock
from hub.learning.progress import event_time_sql

VIEW_CAP_S = 300     # a page view counts at most five minutes: a phone left open is not learning
LAST_VIEW_S = 60     # the last page of a sitting: no next view says how long it was open


def learning_time(db: Database, actor: str, since_iso: str | None = None) -> dict:
    """{"seconds", "measured_s", "estimated_s", "estimated": bool} for one actor since a moment.

    Events fall into sittings (a pause longer than VIEW_CAP_S starts a new one). A sitting
    with measured time counts what was measured; one without (no JavaScript) counts an
    estimate from its page views, and `estimated` says so, for pages to label it.
    """
    when = event_time_sql()
    sql = f"SELECT {when}, duration_s FROM events WHERE actor = ? AND verb != 'checked_in'"
    params: list = [actor]
    if since_iso:
        sql += f" AND {when} >= ?"
        params.append(since_iso)
    measured = estimated = 0.0
    for sitting in _sittings(db.execute(sql + f" ORDER BY {when}", params).fetchall()):
        seconds = sum(duration for _moment, duration in sitting)
        if seconds > 0:
            measured += seconds
        else:
            moments = [moment for moment, _duration in sitting]
            estimated += (moments[-1] - moments[0]).total_seconds() + LAST_VIEW_S
    return {"seconds": measured + estimated, "measured_s": measured,
            "estimated_s": estimated, "estimated": estimated > 0}


def _sittings(rows) -> list[list[tuple]]:
    sittings: list[list[tuple]] = []
    for text, duration in rows:
        try:
            moment = clock.parse(text)
        except (TypeError, ValueError):
            continue
        if not sittings or (moment - sittings[-1][-1][0]).total_seconds() > VIEW_CAP_S:
            sittings.append([])
        sittings[-1].append((moment, float(duration or 0)))
    return sittings


def minutes(seconds: float) -> int:
    """Whole minutes to show; some learning that rounds to none shows as one minute."""
    whole = round(seconds / 60)
    return 1 if seconds > 0 and whole == 0 else whole
