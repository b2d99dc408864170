"""The sharing panel in plain words: sync errors, push outcomes and report rows, translated.

sync/ keeps its messages in English for logs and the CLI; these helpers say the same in
the reader's language, keeping the technical line beside it for whoever fixes the problem.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext

_STATUS = re.compile(r"refused the report \((\d{3})\)")


def problem(message: str | None) -> dict | None:
    """{'words', 'detail'} for a stored sync error (sync.errors' English text), or None."""
    if not message:
        return None
    text = str(message)
    status = _STATUS.search(text)
    if text.startswith("cannot reach"):
        words = _("The hub could not reach the central office. Check the internet connection; "
                  "the hub tries again by itself.")
    elif "did not answer in time" in text:
        words = _("The central office did not answer in time. The hub tries again by itself.")
    elif status and status.group(1) in ("401", "403"):
        words = _("The central office did not recognise this hub. Ask the central office for a "
                  "new secret and register the hub again.")
    elif status and (int(status.group(1)) in (408, 429) or int(status.group(1)) >= 500):
        words = _("The central office is busy or has a problem. The hub tries again by itself.")
    elif status:
        words = _("The central office refused a report. Show the details below to the person "
                  "who looks after the hub.")
    else:
        words = _("A report could not be sent. The hub tries again by itself.")
    return {"words": words, "detail": text}


def push_outcome(result) -> list[tuple[str, str]]:
    """Flash messages (category, text) for a sync.outbox.PushResult."""
    messages = []
    if result.sent:
        messages.append(("message", ngettext("%(num)d report was sent.", "%(num)d reports were sent.",
                                             len(result.sent))))
    if result.failed:
        messages.append(("error", problem(result.failed[0][2])["words"]))
    if result.busy:
        messages.append(("error", _("The hub is sending reports right now. Try again in a minute.")))
    if not (result.sent or result.failed or result.busy):
        messages.append(("message", _("There was nothing to send.")))
    return messages


def send_outcome(job: dict) -> list[tuple[str, str]]:
    """Messages (category, text) for a finished background send (sync.scheduler.send_now)."""
    from sync.outbox import PushResult

    if job["state"] == "failed":
        return [("error", _("Sending stopped because of an error. The hub tries again by itself."))]
    return push_outcome(PushResult(**job["result"]))


def metric_names() -> dict[str, str]:
    """The report's metric names (hub-report/1) in words."""
    return {
        "active_learners": _("Learners who used the hub"),
        "active_sessions": _("Visits without a profile"),
        "learning_minutes": _("Minutes of learning"),
        "resources_started": _("Resources started"),
        "resources_completed": _("Resources completed"),
        "exercise_attempts": _("Exercise answers"),
        "exercise_correct": _("Right exercise answers"),
        "checkins": _("Well-being check-ins"),
        "returning_learners": _("Learners who came back (also here in the four weeks before)"),
    }


def _breakdown(dims: dict) -> str:
    """A row's breakdown in words, the values as they are sent (sync.privacy allows one key)."""
    if not dims:
        return _("All")
    if len(dims) != 1:  # never allowed out; show what it is rather than glue words together
        return ", ".join(f"{key}={value}" for key, value in sorted(dims.items()))
    (key, value), = dims.items()
    if key == "pack":
        return _("Pack: %(pack)s", pack=value)
    if key == "language":
        return _("Language: %(language)s", language=value)
    if key == "kind":
        return _("Kind of resource: %(kind)s", kind=value)
    if key == "mood":
        return _("Mood: %(mood)s", mood=value)
    return f"{key}={value}"


def preview_rows(preview: dict) -> list[dict]:
    """One row per metric of a report: words, the exact name and dims sent, value or hidden."""
    names = metric_names()
    return [{"label": names.get(row["name"], row["name"]), "name": row["name"],
             "breakdown": _breakdown(row.get("dims") or {}), "dims": row.get("dims") or {},
             "value": row.get("value"), "suppressed": row.get("suppressed", False)}
            for row in (preview or {}).get("metrics", [])]
