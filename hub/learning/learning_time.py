"""How long a learner learned: measured time, or an estimate from page views where none was.

No Flask here. Pages with JavaScript measure the time a page was visible and send it as
`duration_s` (hub/static/activity.js, a beacon when the page hides). Without JavaScript
nothing is measured, so the time is estimated from the moments the hub saw the learner
(opening a resource, answering, "I finished"): each counts the time until the next one, at
most VIEW_CAP_S, and the last of a sitting LAST_VIEW_S. The learner's page and the
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

    `seconds` is the larger of what was measured and the estimate; `estimated` says the
    estimate was used, so pages can label it as one.
    """
    when = event_time_sql()
    sql = f"SELECT {when}, duration_s FROM events WHERE actor = ? AND verb != 'checked_in'"
    params: list = [actor]
    if since_iso:
        sql += f" AND {when} >= ?"
        params.append(since_iso)
    rows = db.execute(sql + f" ORDER BY {when}", params).fetchall()
    measured = sum(float(duration or 0) for _when, duration in rows)
    estimated = _estimate([when_ for when_, _duration in rows])
    return {"seconds": max(measured, estimated), "measured_s": measured,
            "estimated_s": estimated, "estimated": estimated > measured}


def _estimate(moments: list[str]) -> float:
    total = 0.0
    times = []
    for text in moments:
        try:
            times.append(clock.parse(text))
        except (TypeError, ValueError):
            continue
    for here, after in zip(times, times[1:]):
        gap = (after - here).total_seconds()
        total += min(max(gap, 0.0), VIEW_CAP_S) if gap <= VIEW_CAP_S else LAST_VIEW_S
    if times:
        total += LAST_VIEW_S
    return total


def minutes(seconds: float) -> int:
    """Whole minutes to show; some learning that rounds to none shows as one minute."""
    whole = round(seconds / 60)
    return 1 if seconds > 0 and whole == 0 else whole
