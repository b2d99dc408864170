"""The suppression audit: generated hubs, the real report pipeline, and a linear-programming
attacker (tests/sync/lp_attacker.py, scipy's HiGHS) over every cell of a week's reports,
linked through the catalog and across revisions. No value about 1..k-1 learners, and no
change between revisions about 1..k-1 learners, may be narrowed to fewer than k values.

`make test` runs a bounded, derandomized number of hubs (no shrinking); AUDIT_EXAMPLES=2000
and AUDIT_RANDOM=1 make it a longer, random search (`make fuzz`).
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hub.core.db import open_hub_db
from sync import report, upstream, week_cells, weeks
from tests.eventfactory import EventFactory, at
from tests.sync.lp_attacker import catalog_of, pinned

K = 5
MONDAY = dt.date(2024, 5, 6)
FIRST_BUILD = dt.datetime(2024, 5, 13, 12, tzinfo=dt.timezone.utc)
LATE_RECEIPT = "2024-05-14T10:00:00Z"   # a phone that kept its events offline syncs
SECOND_BUILD = dt.datetime(2024, 5, 15, 0, tzinfo=dt.timezone.utc)
RANDOM = bool(os.environ.get("AUDIT_RANDOM"))
AUDIT = settings(max_examples=int(os.environ.get("AUDIT_EXAMPLES", "25")), deadline=None,
                 derandomize=not RANDOM, database=None,
                 phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if RANDOM else []),
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def hubs(draw):
    """A hub's catalog and one week of what its learners did (some of it arriving late)."""
    packs = []
    for p in range(draw(st.integers(1, 4))):
        languages = draw(st.lists(st.sampled_from(["en", "fr", "sw"]), min_size=1, max_size=2, unique=True))
        resources = [(f"r{j}", draw(st.sampled_from(["article", "video", "exercise", "zim"])),
                      draw(st.sampled_from(languages))) for j in range(draw(st.integers(1, 3)))]
        packs.append((f"p.{p}", resources))
    actors = [f"L{n}" for n in range(draw(st.integers(1, 16)))]
    actors += [f"A{n}" for n in range(draw(st.integers(0, 3)))]
    late_level = draw(st.integers(0, 9))
    actions = []
    for actor in actors:
        favourite = draw(st.integers(0, len(packs) - 1))  # people stay with a pack: cells fill up
        if draw(st.integers(0, 3)) == 0:
            actions.append((actor, "started", favourite, 0, 0, 5, -3, False))  # came the week before
        for _ in range(draw(st.integers(1, 4))):
            pack = favourite if draw(st.booleans()) else draw(st.integers(0, len(packs) - 1))
            resource = draw(st.integers(0, len(packs[pack][1]) - 1))
            verb = draw(st.sampled_from(["started", "started", "completed", "answered", "checked_in"]))
            late = draw(st.integers(0, 9)) < late_level
            actions.append((actor, verb, pack, resource, draw(st.sampled_from([0, 1, 1])),
                            draw(st.integers(0, 40)), draw(st.integers(0, 6)), late))
    return packs, actions


def _seed(db, packs, actions) -> None:
    ev = EventFactory(db)
    for pack_id, resources in packs:
        ev.pack(pack_id, languages=sorted({g for _r, _k, g in resources}))
        for resource_id, kind, language in resources:
            ev.resource(pack_id, resource_id, kind=kind, language=language)
    for n, (actor, verb, pack, resource, score, minutes, day, late) in enumerate(actions):
        pack_id, resources = packs[pack]
        when = at((MONDAY + dt.timedelta(days=day)).isoformat(), 8 + n % 12)
        received = LATE_RECEIPT if late else when
        if verb == "checked_in":
            ev.add(actor, verb, at=when, mood=[1, 3, 3, 4][(n + score) % 4], received=received)
        else:
            ev.add(actor, verb, f"{pack_id}/{resources[resource][0]}", at=when, received=received,
                   duration=minutes * 60, score=score if verb == "answered" else None)


def audit_hub(packs, actions) -> tuple[list[str], list[dict]]:
    """Build the week's reports as the hub does; what the attacker narrows, and the reports."""
    with tempfile.TemporaryDirectory() as folder:
        conf = {"HUB_DATA_DIR": folder, "HUB_K_THRESHOLD": K, "HUB_TIMEZONE": "UTC",
                "HUB_UPSTREAM_URL": "", "HUB_ID": "", "HUB_SECRET": ""}
        upstream.register(conf, "http://127.0.0.1:9", "hub-audit", "s" * 32)
        db = open_hub_db(folder)
        try:
            _seed(db, packs, actions)
            made = [r for r in report.build_closed_weeks(db, conf, now=FIRST_BUILD)
                    if r["period"]["start"] == MONDAY.isoformat()]
            first_mark = weeks.frozen_rows(db)[MONDAY]["watermark"]
            made += [r for r in report.build_closed_weeks(db, conf, now=SECOND_BUILD)
                     if r["period"]["start"] == MONDAY.isoformat()]
            second_mark = weeks.frozen_rows(db)[MONDAY]["watermark"]
            wk = weeks.week(db, MONDAY, "UTC")
            truths = [report.week_facts(db, wk, until=first_mark)[0]]
            if len(made) > 1:
                truths.append(report.week_facts(db, wk, until=second_mark, old_until=first_mark)[0])
            found = pinned([r["metrics"] for r in made], truths, catalog_of(week_cells.catalog(db)), K)
        finally:
            db.conn.close()
    return found, made


@AUDIT
@given(hubs())
def test_no_report_narrows_a_value_about_fewer_than_k_learners(hub):
    packs, actions = hub
    found, made = audit_hub(packs, actions)
    assert not found, "\n".join(found)
    assert all(report.validate(r) == [] for r in made)
