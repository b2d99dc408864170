"""The benchmark machinery still works: a real hub, the Python load client, tiny generators.

No figure is asserted (speed is checked by `make bench`, not by tests): only that each part
of the harness does its job, so the benchmark code cannot silently rot.
"""
from __future__ import annotations

import json

import pytest

from benchmarks import generate, report, scenarios
from benchmarks.harness import hub_server
from benchmarks.load import EventBatch, events_body, run_python, wrk_script

pytestmark = pytest.mark.slow


def test_python_client_loads_a_real_hub_and_the_harness_reads_its_memory(tmp_path):
    server = hub_server(tmp_path / "data").start(log_dir=tmp_path)
    try:
        assert server.startup_s > 0
        assert server.rss_kb() > 1000 and server.threads() >= 1
        result = run_python(server.url, "/healthz", connections=2, duration=0.5)
        visit = scenarios.first_visit(server.url, "/")
    finally:
        server.stop()
    assert result.requests > 0 and result.errors == 0
    assert 0 < result.p50_ms <= result.p99_ms
    assert visit["files"][0]["url"] == "/" and visit["bytes"] > 0


def test_load_refuses_any_target_but_loopback():
    with pytest.raises(ValueError):
        run_python("http://192.0.2.1:80", "/", 1, 0.1)


def test_generators_write_packs_learners_and_events(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    folder = tmp_path / "pack"
    count = generate.build_pack(folder, "bench.tiny", groups=2)
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    assert count == 2 * len(generate.LANGUAGES) == len(manifest["resources"])
    assert {r["language"] for r in manifest["resources"]} == set(generate.LANGUAGES)
    generate.insert_rows(data, folder)
    actors = generate.generate_learners(data, 3)
    written = generate.generate_events(data, 50, actors, generate.sample_resources(data), days=5)
    assert written["events"] == 50

    from hub.core.db import open_hub_db

    db = open_hub_db(data)
    try:
        assert db["resources"].count == count
        assert db["learners"].count == 3
        assert db["events"].count == 50
        indexes = {i.name for i in db["events"].indexes}
        assert {"events_received", "events_actor"} <= indexes  # rebuilt after the load
    finally:
        db.conn.close()


def test_event_bodies_and_wrk_script_carry_fresh_ids():
    batch = EventBatch("bench.tiny/a0-en")
    one = json.loads(events_body(batch, "2024-01-01T00:00:00Z"))["events"]
    two = json.loads(events_body(batch, "2024-01-01T00:00:00Z"))["events"]
    assert len(one) == 20 and not {e["id"] for e in one} & {e["id"] for e in two}
    script = wrk_script("POST", "/api/v1/events", {"Content-Type": "application/json"}, None,
                        batch)
    assert "function request()" in script and "counter = counter + 1" in script


def test_report_renders_every_section():
    results = {"date": "today", "command": "make bench", "mode": "quick", "tool": "python",
               "duration_s": 1, "machine": report.machine(), "data": {"packs": ["a"]},
               "single_rows": [("Idle RSS", 30.0, 32.0, "< 50 MB", True, "MB")],
               "baseline": {50: {"rps": 100.0, "p50_ms": 1, "p95_ms": 2, "p99_ms": 3, "errors": 0}},
               "scenarios": {"home": {50: {"rps": 60.0, "p50_ms": 1, "p95_ms": 2, "p99_ms": 3,
                                           "errors": 0}},
                             "search": "not available: not built"}}
    text = report.render(results)
    assert "| Learner home page, c=50 | 60 |" in text and "0.60" in text and "pass" in text
    assert "not available: not built" in text


def test_the_pinned_comparison_finds_every_learner_page_of_a_real_hub(tmp_path):
    from benchmarks import pinned
    from benchmarks.harness import ROOT

    server = hub_server(tmp_path / "data", packs_source=ROOT / "content_packs").start(log_dir=tmp_path)
    try:
        found = pinned.pages(server.url)
    finally:
        server.stop()
    assert set(found) == {"home", "pack", "resource", "search", "home_signed_in", "resource_signed_in"}
    assert found["home_signed_in"]["headers"]["Cookie"].startswith("hub_session=")


def test_the_pinned_and_kolibri_tables_say_what_was_measured():
    from benchmarks import kolibri, pinned

    row = {c: {"rps": 100.0 * c, "p99_ms": 12.0, "errors": 0, "bytes": 900} for c in (1, 10, 50)}
    modes = {name: row for name in ("ceiling_minimal", "bare_60_item_page", "home")}
    text = pinned.table({"pinned": modes, "shared": modes,
                         "low_end": {"available": False, "why": "no cgroup"}})
    assert "server on core 0, wrk on core 1" in text and "(1.00×)" in text and "no cgroup" in text
    side = {"startup_s": 1.0, "first_start_s": 30.0, "idle_rss_mb": 100.0, "peak_rss_mb": 150.0,
            "learner_page": row, "json_api": row}
    text = kolibri.table({"kolibri": side, "hub": dict(side, idle_rss_mb=40.0, first_start_s=1.5),
                          "pinned": True, "kolibri_version": "0.19.5"})
    assert "| idle RSS | 100.0 MB | 40.0 MB | 0.40× |" in text
    assert "| start to first 200, restart | 1.0 s | 1.0 s | 1.00× |" in text  # like for like
    assert "| start to first 200, first start | 30.0 s | 1.5 s | 0.05× |" in text


def test_startup_benchmark_times_a_server_to_its_first_200s_and_reports_medians():
    from benchmarks import startup

    measured = startup.baseline_round()["start"]
    assert 0 < measured["/healthz"] <= measured["/"] and measured["cpu_s"] >= 0
    rounds = [{"restart": {"/healthz": s, "/": s + 0.1, "cpu_s": s / 2}} for s in (0.3, 0.1, 0.2)]
    res = {"rounds": 3, "pinned": True, "medians": {"hub": startup.medians(rounds)}}
    assert res["medians"]["hub"] == {"restart": {"/healthz": 0.2, "/": 0.3, "cpu_s": 0.1}}
    assert "| hub | restart | 0.20 | 0.30 | 0.10 |" in startup.table(res)
