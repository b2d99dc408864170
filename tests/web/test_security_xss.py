"""XSS payloads everywhere they can enter, rendered inert everywhere they can come out.

A pack full of payloads (titles, descriptions, topics, tags, articles, exercise prompts,
choices and feedback) is installed through the real pipeline, a learner signs up as
`<script>alert(1)</script>`, a group gets a payload name, activity fills the dashboard; then
EVERY GET page of the hub (learner pages, search, facilitator pages, dashboard, CSV files)
is opened and checked: no script, style or event handler that a payload put there, and no
CSV cell that a spreadsheet would run as a formula.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3

from hub.accounts import facilitators
from hub.learning import learners
from hub.catalog.packs import install
from sync import metrics
from tests.helpers import csrf_from
from tests.packfactory import default_files, default_manifest, make_pack, quiz
from tests.web.test_facilitator_support import PASSWORD, _fresh_login_limits, sign_in  # noqa: F401
from tests.web.test_learn_pages import dangerous

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'
NAME = "<script>alert(1)</script>"
FORMULA = "=HYPERLINK(\"http://x\",\"y\")"
PACK = "org.example.numbers"


def hostile_pack(folder):
    files = default_files()
    files["articles/count.en.md"] = (
        f"# Count {XSS}\n\n[click](javascript:alert(3)) <a href=\"x\" onclick=\"alert(4)\">x</a>\n\n"
        "<iframe src=\"/\"></iframe><style>body{display:none}</style><svg onload=alert(5)>\n"
        "<object data=\"x\"></object><form action=\"http://evil\"><button>go</button></form>\n").encode()
    exercise = quiz()
    question = exercise["questions"][0]
    question["prompt"] = {"en": f"Legs? {XSS}"}
    question["choices"][0]["text"] = XSS
    question["feedback"] = {"correct": {"en": XSS}, "incorrect": {"en": XSS}, "a": XSS}
    question["hints"] = [{"en": XSS}]
    files["exercises/quiz.en.json"] = json.dumps(exercise).encode()
    data = default_manifest()
    data["title"] = {"en": f"Pack {XSS}", "fr": XSS}
    data["description"] = {"en": XSS}
    data["publisher"] = XSS
    data["topics"][0]["title"] = {"en": f"Topic {XSS}"}
    for res in data["resources"]:
        res["title"] = f"{FORMULA} {XSS}" if res["id"] == "count-en" else f"{res['title']} {XSS}"
        res["description"] = XSS
        res["tags"] = [XSS]
    return make_pack(folder, files=files, manifest=data)


def url_for_rule(rule, values) -> str | None:
    """A concrete URL for a GET rule, or None when it needs a value we do not have."""
    args = {}
    for name in rule.arguments:
        if name not in values:
            return None
        args[name] = values[name]
    return rule.build(args)[1]


def test_payloads_are_inert_on_every_page_and_in_every_csv(app, client, db, data_dir, tmp_path):
    install.install(db, data_dir, hostile_pack(tmp_path / "pack"))
    facilitators.create(db, "amina", PASSWORD, "admin")

    learner_client = app.test_client()
    response = learner_client.post("/api/v1/learners", json={"name": NAME})
    assert response.status_code == 201, response.get_json()
    learner_id = response.get_json()["id"]
    other = learners.create_learner(db, FORMULA)
    group = learners.create_group(db, f"{NAME}x")
    for member in (learner_id, other["id"]):
        learners.add_to_group(db, group["id"], member)
    stamp = "2024-05-02T10:00:00Z"
    events = [{"id": "00000000-0000-4000-8000-000000000000", "resource": f"{PACK}/count-en",
               "verb": "completed", "timestamp": stamp, "duration_s": 60}]
    assert learner_client.post("/api/v1/events", json={"events": events}).status_code == 200
    answer = {"id": "00000000-0000-4000-8000-000000000001", "resource": f"{PACK}/quiz-en",
              "question": "q1", "answer": "a", "timestamp": stamp}  # answers: the hub's checker only
    assert learner_client.post("/api/v1/answers", json=answer).status_code == 200
    learner_client.post("/checkin", data={"mood": "4", "csrf_token": csrf_from(learner_client)})

    metrics.refresh(db)  # the scheduler's rollup: the dashboard shows what it rolled up
    assert sign_in(client).status_code in (302, 303)
    values = {"pack_id": PACK, "learner_id": learner_id, "group_id": group["id"], "question_id": "q1",
              "code": "en"}
    pages: dict[str, bytes] = {}
    watcher = sqlite3.connect(next(data_dir.glob("*.db")))
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "content.serve", "content.pack_home"):
            continue
        resource_ids = ["count-en", "count-fr", "quiz-en", "game", "shape"] if "resource_id" in rule.arguments \
            else [None]
        for rid in resource_ids:
            url = url_for_rule(rule, {**values, "resource_id": rid})
            if url is None:
                continue
            if url.startswith("/search") or url.startswith("/api/v1/resources?"):
                url += "?q=count"
            who = client if url.startswith("/facilitator") else learner_client
            before = watcher.execute("PRAGMA data_version").fetchone()[0]
            response = who.get(url)
            assert response.status_code < 500, url
            if url.startswith("/facilitator/") and not url.startswith("/facilitator/login"):
                # Issue 22: no facilitator GET writes (another connection's commit moves data_version).
                assert watcher.execute("PRAGMA data_version").fetchone()[0] == before, url
            pages[url] = (response.status_code, response.mimetype, response.get_data())

    checked = []
    for url, (status, mimetype, body) in pages.items():
        if mimetype == "text/html":
            html = body.decode()
            assert not dangerous(html), url  # no payload script, style, on* or javascript: URL
            checked.append(url)
        elif mimetype == "text/csv":
            for row in csv.reader(io.StringIO(body.decode())):
                assert not any(cell[:1] in ("=", "+", "-", "@") and not _number(cell) for cell in row), (url, row)
            checked.append(url)
        else:  # JSON answers and pack zips (attachments): a browser never renders them as a page (nosniff)
            assert mimetype in ("application/json", "application/manifest+json", "text/javascript",
                                "application/zip") \
                or status in (301, 302, 303, 404), (url, mimetype)
    # The payloads were really rendered (escaped), where a user would see them.
    escaped = {url for url, (_s, mimetype, body) in pages.items()
               if mimetype == "text/html" and b"&lt;script&gt;" in body}
    expected = {"/", f"/packs/{PACK}", f"/packs/{PACK}/count-en", "/search?q=count", "/me",
                "/facilitator/learners", f"/facilitator/learners/{learner_id}", "/facilitator/content",
                f"/facilitator/groups/{group['id']}", "/facilitator/"}
    assert expected <= escaped, expected - escaped
    csv_files = [url for url in checked if url.endswith(".csv")]
    assert len(csv_files) == 2
    group_csv = pages[f"/facilitator/groups/{group['id']}/progress.csv"][2].decode()
    assert "'" + FORMULA in group_csv.replace('""', '"')  # the formula name is kept, as text
    assert len(checked) >= 25


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
