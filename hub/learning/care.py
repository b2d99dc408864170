"""Care after a sad check-in: the hub's own well-being resources, and a facilitator's view of
repeated very sad check-ins of one child (never shown to other children, never sent upstream).

No Flask here. Well-being resources are found by tag, in any installed and enabled pack, so
that a pack added later (in any language) is offered too.
"""
from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database

from hub.core import clock
from hub.core import i18n

# Tags that mark calming and asking-for-help material, in the languages the packs use. Lower
# case; a resource with any of them is offered after a sad check-in.
WELLBEING_TAGS = frozenset({
    "calm", "breathing", "help", "safety", "feelings", "emotions",
    "utulivu", "kupumua", "msaada", "usalama", "hisia",
    "calma", "respirar", "ayuda", "seguridad", "sentimientos",
    "calme", "respiration", "aide", "sécurité", "émotions",
    "calma", "respiração", "ajuda", "segurança",
    "الهدوء", "التنفس", "المساعدة", "الأمان", "المشاعر",
    "शांति", "सांस", "मदद", "सुरक्षा", "भावनाएँ",
})
CALM_TAGS = frozenset({"calm", "breathing", "utulivu", "kupumua", "calma", "respirar", "calme",
                       "respiration", "respiração", "الهدوء", "التنفس", "शांति", "सांस"})
HELP_TAGS = frozenset({"help", "safety", "msaada", "usalama", "ayuda", "seguridad", "aide",
                       "sécurité", "ajuda", "segurança", "المساعدة", "الأمان", "मदद", "सुरक्षा"})
SAD_MOODS = (1, 2)          # very sad, sad
VERY_SAD = 1
REPEAT_WINDOW_DAYS = 14     # "repeated": within two weeks
REPEAT_MIN = 2              # at least this many very sad check-ins in the window


def wellbeing_resources(db: Database, language: str, limit: int = 4) -> list[dict]:
    """Well-being resources (pack_id, id, title, kind, language), one per language group,
    in the child's language where the pack has it; calming ones first."""
    rows = db.execute(
        "SELECT r.pack_id, r.id, r.title, r.kind, r.language, r.group_id, r.tags, p.languages "
        "FROM resources r JOIN packs p ON p.id = r.pack_id WHERE p.enabled = 1 "
        "AND r.kind != 'exercise' ORDER BY r.pack_id, r.position").fetchall()
    groups: dict[tuple, dict] = {}
    want = i18n.base_language(language)
    for pack_id, rid, title, kind, lang, group, tags, _languages in rows:
        tag_set = {str(t).lower() for t in json.loads(tags or "[]")}
        if not tag_set & WELLBEING_TAGS:
            continue
        found = {"pack_id": pack_id, "id": rid, "title": title, "kind": kind, "language": lang,
                 "rank": 0 if tag_set & CALM_TAGS else 1 if tag_set & HELP_TAGS else 2}
        key = (pack_id, group)
        best = groups.get(key)
        if best is None or (i18n.base_language(lang) == want
                            and i18n.base_language(best["language"]) != want):
            groups[key] = found
    # Calming first, then asking for help, then the rest; the child's language first in each.
    chosen = sorted(groups.values(), key=lambda r: (r["rank"],
                                                    i18n.base_language(r["language"]) != want))
    return chosen[:limit]


def repeated_very_sad(db: Database, actor: str, now: dt.datetime | None = None) -> list[str]:
    """The days (UTC, newest first) of one child's very sad check-ins in the last two weeks,
    when there are at least REPEAT_MIN of them; else an empty list."""
    since = clock.iso((now or clock.now()) - dt.timedelta(days=REPEAT_WINDOW_DAYS))
    rows = db.execute(
        "SELECT received_at FROM events WHERE actor = ? AND verb = 'checked_in' "
        "AND received_at >= ? AND json_extract(data, '$.mood') = ? ORDER BY received_at DESC",
        [actor, since, VERY_SAD]).fetchall()
    return [r[0][:10] for r in rows] if len(rows) >= REPEAT_MIN else []
