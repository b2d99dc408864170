"""hub-heartbeat/1: what a hub says about itself with every push (no learner data): checked here."""
from __future__ import annotations

import datetime as dt
import re

SCHEMA = "hub-heartbeat/1"
FIELDS = {"schema", "hub_id", "sent_at", "version", "packs", "disk_free_mb", "last_event_day"}
INSTANT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
SHORT_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
MAX_PACKS = 2000


def _day(text) -> bool:
    try:
        return isinstance(text, str) and len(text) == 10 and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def _instant(text) -> bool:
    if not isinstance(text, str) or not INSTANT.match(text):
        return False
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def validate(beat, hub_id: str) -> list[dict]:
    """Problems of a heartbeat as [{"field", "message"}]; empty when it is a valid hub-heartbeat/1."""
    if not isinstance(beat, dict):
        return [{"field": "(heartbeat)", "message": "a JSON object is needed"}]
    found = [{"field": key, "message": "unknown field"} for key in sorted(set(beat) - FIELDS)]
    found += [{"field": key, "message": "missing"} for key in sorted({"schema", "hub_id", "sent_at", "version",
                                                                      "packs"} - set(beat))]
    if found:
        return found
    if beat["schema"] != SCHEMA:
        found.append({"field": "schema", "message": f"must be {SCHEMA}"})
    if beat["hub_id"] != hub_id:
        found.append({"field": "hub_id", "message": "the heartbeat names another hub than X-Hub-Id"})
    if not _instant(beat["sent_at"]):
        found.append({"field": "sent_at", "message": "an ISO 8601 instant is needed"})
    if not isinstance(beat["version"], str) or not SHORT_TEXT.match(beat["version"]):
        found.append({"field": "version", "message": "a version string (letters, digits, . _ + -) is needed"})
    packs = beat["packs"]
    if not isinstance(packs, list) or len(packs) > MAX_PACKS:
        found.append({"field": "packs", "message": f"a list of at most {MAX_PACKS} packs is needed"})
    else:
        for index, pack in enumerate(packs):
            if (not isinstance(pack, dict) or set(pack) != {"id", "version"}
                    or not all(isinstance(v, str) and SHORT_TEXT.match(v) for v in pack.values())):
                found.append({"field": f"packs/{index}", "message": "{\"id\", \"version\"} strings are needed"})
                break
    disk = beat.get("disk_free_mb")
    if disk is not None and (isinstance(disk, bool) or not isinstance(disk, (int, float)) or not 0 <= disk < 1e12):
        found.append({"field": "disk_free_mb", "message": "a number of megabytes (0 or more) or null"})
    last = beat.get("last_event_day")
    if last is not None and not _day(last):
        found.append({"field": "last_event_day", "message": "a date YYYY-MM-DD or null"})
    return found
