"""The central at a program's scale: alerts found by the database and shown a page at a time,
the by-hub table in pages, and pack titles from the catalog on the dashboard."""
from __future__ import annotations

import datetime as dt

import pytest

from sync.central import alerts, figures
from sync.central.app import create_app
from tests.sync.centraldata import heartbeat, signed, week_report
from tests.sync.test_central_program import NOW, fleet, program, signed_in  # noqa: F401 - program is a fixture


@pytest.fixture
def crowd(central_store, tmp_path, clock_at):
    """The three-hub fleet plus 60 hubs in region East that were registered and never reported."""
    clock_at(NOW)
    fleet(central_store)
    for n in range(60):
        central_store.add_hub(f"hub-e{n:02d}", "e" * 40, "2026-09-01T00:00:00Z", name=f"East {n:02d}",
                              region="East", partner="Words NGO")
    return create_app(tmp_path / "central", {"TESTING": True}, store=central_store)


def test_alerts_are_found_by_the_database_with_a_limit_and_a_count(crowd, central_store):
    found = alerts.alerts(central_store, limit=5)
    assert [a["hub_id"] for a in found] == ["hub-e00", "hub-e01", "hub-e02", "hub-e03", "hub-e04"]
    assert {a["reason"] for a in found} == {"silent"} and found[0]["since"] == "2026-09-01T00:00:00Z"
    assert found[0]["detail"] == "never reported"
    assert alerts.count(central_store) == 60
    assert alerts.count(central_store, region="North") == 0
    assert alerts.alerts(central_store, hub="hub-e07")[0]["name"] == "East 07"
    body, signature = signed("e" * 40, heartbeat("hub-e07", sent_at="2026-12-08T08:00:00Z", disk_free_mb=90))
    from sync.central.receive import receive_heartbeat

    assert receive_heartbeat(central_store, "hub-e07", signature, body)[0] == 200
    # heard from today: no longer silent, but low on disk
    assert [(a["hub_id"], a["reason"], a["detail"]) for a in alerts.alerts(central_store, hub="hub-e07")] == [
        ("hub-e07", "low_disk", "90 MB")]
    assert alerts.count(central_store) == 60 and alerts.count(central_store, low_disk_mb=50) == 59


def alerts_section(web, path: str = "/") -> str:
    """The "Needs attention" part of a dashboard page."""
    page = web.get(path).get_data(as_text=True)
    return page.split('<section id="alerts">', 1)[1].split("</section>", 1)[0]


def test_the_first_page_shows_the_first_alerts_and_says_how_many_more(crowd):
    page = alerts_section(signed_in(crowd, "ministry"))
    assert "East 00" in page and "East 49" in page and "East 50" not in page
    assert "These are the first 50 of 60 hubs that need attention" in page
    narrowed = alerts_section(signed_in(crowd, "ministry"), "/?hub=hub-e55")
    assert "East 55" in narrowed and "East 00" not in narrowed and "alerts-more" not in narrowed
    north = alerts_section(signed_in(crowd, "north-officer"))
    assert "East" not in north and "alerts-more" not in north


@pytest.fixture
def west(central_store, tmp_path, clock_at):
    """The three-hub fleet plus 61 hubs in region West, each with two weeks of minutes (hub-w00 fewest)."""
    clock_at(NOW)
    fleet(central_store)
    for n in range(61):
        hub_id = f"hub-w{n:02d}"
        central_store.add_hub(hub_id, "w" * 40, "2026-10-01T00:00:00Z", name=f"West {n:02d}", region="West")
        for monday in ("2026-11-23", "2026-11-30"):
            central_store.save_report(hub_id, week_report(hub_id, monday=monday, minutes=100 + n),
                                      "2026-12-07T01:00:00Z")
    return create_app(tmp_path / "central", {"TESTING": True}, store=central_store)


def table_rows(page: str) -> list[str]:
    """The row headings of the metric table (hub names, in order)."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [cell.split("</th>", 1)[0] for cell in body.split('<th scope="row">')[1:]]


def test_the_by_hub_table_pages_fifty_hubs_largest_first(west, central_store):
    web = signed_in(west, "ministry")
    base = "/metric/learning_minutes?by=hub&region=West"
    first = web.get(base).get_data(as_text=True)
    assert table_rows(first) == [f"West {n:02d}" for n in range(60, 10, -1)]
    assert "Page 1 of 2 (61 hubs)" in first and 'rel="prev"' not in first
    assert 'rel="next" href="/metric/learning_minutes?by=hub&amp;period=week&amp;weeks=12&amp;page=2&amp;region=West"' in first
    second = web.get(base + "&page=2").get_data(as_text=True)
    assert table_rows(second) == [f"West {n:02d}" for n in range(10, -1, -1)]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # the total row is every hub's, not the page's: 2 weeks x sum(100..160)
    result = figures.hub_page(central_store.db, "learning_minutes", "2026-11-23", "2026-11-30",
                              filters={"region": "West"}, page=2)
    assert [c["value"] for c in result["total"]] == [sum(range(100, 161))] * 2
    assert result["total"] == figures.table(central_store.db, "learning_minutes", "", "2026-11-23", "2026-11-30",
                                            filters={"region": "West"})["total"]
    # a page past the end shows the last one; a page that is not a number shows the first
    assert "Page 2 of 2" in web.get(base + "&page=99").get_data(as_text=True)
    assert "Page 1 of 2" in web.get(base + "&page=two").get_data(as_text=True)
    # a small table has no pager; a scoped user pages only their own hubs
    assert "Page 1" not in web.get("/metric/learning_minutes?by=hub&region=North").get_data(as_text=True)
    north = signed_in(west, "north-officer").get("/metric/learning_minutes?by=hub&region=West").get_data(as_text=True)
    assert "West 60" not in north and "Page 1" not in north


def pack_rows(web, language: str) -> list[str]:
    """The row headings of the active learners by pack table, read in a language."""
    page = web.get("/metric/active_learners?by=pack", headers={"Accept-Language": language})
    return table_rows(page.get_data(as_text=True))


def test_the_pack_table_shows_titles_from_the_catalog_in_the_reader_language(program, tmp_path):
    from tests.sync.packflows import publisher, signed_zip

    web = signed_in(program, "ministry")
    assert pack_rows(web, "en") == ["org.example.numbers", "org.example.words"]  # nothing published yet: ids
    private, public = publisher(tmp_path)
    catalog = program.extensions["central_packs"]
    catalog.trust(public.read_bytes(), "Numbers Pub")
    catalog.publish(signed_zip(tmp_path, private))  # title {"en": "Numbers", "fr": "Les nombres"}
    assert pack_rows(web, "en") == ["Numbers", "org.example.words"]
    assert pack_rows(web, "fr") == ["Les nombres", "org.example.words"]
    assert pack_rows(web, "sw") == ["org.example.numbers", "org.example.words"]  # no Swahili title: the id


def hub_packs(web, language: str) -> list[str]:
    """The packs named in the hubs page's Packs column (title or id, then version), read in a language."""
    page = web.get("/hubs", headers={"Accept-Language": language}).get_data(as_text=True)
    return [item.split("</li>", 1)[0] for item in page.split('<ul class="packs">', 1)[1].split("</ul>", 1)[0]
            .split("<li>")[1:]]


def test_the_hubs_page_names_each_hubs_packs_by_title_where_the_catalog_has_one(program, central_store, tmp_path):
    from sync.central.receive import receive_heartbeat
    from tests.sync.packflows import publisher, signed_zip

    body, signature = signed("s" * 40, heartbeat("hub-n1", sent_at="2026-12-08T08:00:00Z"))
    assert receive_heartbeat(central_store, "hub-n1", signature, body)[0] == 200
    web = signed_in(program, "ministry")
    version = '<span class="detail">1.2.0</span>'
    assert hub_packs(web, "en") == [f"org.example.numbers {version}"]  # nothing published yet: the id
    private, public = publisher(tmp_path)
    catalog = program.extensions["central_packs"]
    catalog.trust(public.read_bytes(), "Numbers Pub")
    catalog.publish(signed_zip(tmp_path, private))  # title {"en": "Numbers", "fr": "Les nombres"}
    assert hub_packs(web, "en") == [f"Numbers {version}"]
    assert hub_packs(web, "fr") == [f"Les nombres {version}"]


def test_the_hubs_page_reads_one_page_of_hubs_and_says_how_many_there_are(crowd, monkeypatch):
    from sync.central import dashboard_views

    monkeypatch.setattr(dashboard_views, "HUBS_PER_PAGE", 10)
    page = signed_in(crowd, "ministry").get("/hubs").get_data(as_text=True)
    assert "Showing 10 of 63 hubs" in page
    table = page.split('<table id="health">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 11 and "East 09" in table and "East 10" not in table  # by id: hub-e00 first
    north = signed_in(crowd, "ministry").get("/hubs?region=North").get_data(as_text=True)
    assert "Showing" not in north and "North one" in north and "North two" in north
