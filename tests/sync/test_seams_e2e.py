"""Across the seams: what learners do on a hub reaches the central, each event once, on its day.

A hub with a ZIM pack, the bundled packs and their exercises. Learners online; learners whose
phones kept their events for a week; learners whose phone clocks are a month ahead; a forged
answer (refused). A week later (the one clock moved), the hub rolls up and pushes to a real
`hub-central serve` over HTTP, and the central's rows must equal an oracle computed from this
test's own list of what happened. The oracle is computed per period the central shows, so it
holds whether reports cover days or ISO weeks.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

import pytest

pytest.importorskip("libzim")

from hub import create_app  # noqa: E402
from hub.catalog.zim import install as zim_install  # noqa: E402
from hub.core.db import open_hub_db  # noqa: E402
from sync.central import figures  # noqa: E402
from sync.central.store import Store  # noqa: E402
from sync.central.week_sums import ADDITIVE  # noqa: E402
from tests.catalog.test_zim_archive import make_sample_zim  # noqa: E402
from tests.centralproc import CentralProcess, add_hub, central_cli  # noqa: E402
from tests.helpers import ROOT  # noqa: E402

UTC = dt.timezone.utc
NUMBERS = "org.communityhub.numbers"
ARTICLE = f"{NUMBERS}/count-to-ten-en"
QUIZ = f"{NUMBERS}/adding-quiz-en"
ZIM_PACK, ZIM_HOME = "zim.hub-test-en", "zim.hub-test-en/home"
K = 5
# Tuesday 17 March: weeks of 9-15 March (and its days) are closed; the week of the 16th is open.
MONDAY, WEDNESDAY = dt.datetime(2026, 3, 9, 9, 0, tzinfo=UTC), dt.datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
SENT_A_WEEK_LATER = dt.datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
PUSHED = dt.datetime(2026, 3, 17, 6, 0, tzinfo=UTC)
COMPARED = ("active_learners", "resources_started", "resources_completed", "exercise_attempts",
            "exercise_correct", "learning_minutes")


@dataclass(frozen=True)
class Happened:
    """One thing a learner did, at the moment it really happened."""

    who: str
    resource: str
    at: dt.datetime
    seconds: float = 0
    completed: bool = False
    answer: bool | None = None  # an exercise answer: right or not


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def oracle(happened: list[Happened], metric: str, first: dt.date, last: dt.date):
    """The value a metric must have over the days first..last, from what happened."""
    inside = [h for h in happened if first <= h.at.date() <= last]
    if metric == "active_learners":
        return len({h.who for h in inside})
    if metric == "resources_started":
        return len({(h.who, h.resource) for h in inside})
    if metric == "resources_completed":
        return len({(h.who, h.resource) for h in inside if h.completed})
    if metric == "exercise_attempts":
        return sum(1 for h in inside if h.answer is not None)
    if metric == "exercise_correct":
        return sum(1 for h in inside if h.answer)
    return int(sum(h.seconds for h in inside) / 60 + 0.5)  # learning_minutes, rounded half up


class Phone:
    """One learner's phone: a browser session on the hub, and the phone's own clock."""

    def __init__(self, app, name: str, ahead: dt.timedelta = dt.timedelta(0)):
        self.client, self.name, self.ahead = app.test_client(), name, ahead
        answer = self.client.post("/api/v1/learners", json={"name": name})
        assert answer.status_code == 201, answer.get_json()
        self.id = answer.get_json()["id"]

    def clock(self, hub_now: dt.datetime) -> dt.datetime:
        return hub_now + self.ahead

    def events(self, sent_at: dt.datetime, events: list[dict]):
        body = {"sent_at": iso(sent_at), "learner": self.id, "events": events}
        return self.client.post("/api/v1/events", json=body)

    def answer(self, question: str, given, made: dt.datetime, sent_at: dt.datetime) -> dict:
        body = {"id": str(uuid.uuid4()), "resource": QUIZ, "question": question, "answer": given,
                "timestamp": iso(made), "sent_at": iso(sent_at), "learner": self.id}
        response = self.client.post("/api/v1/answers", json=body)
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def event(verb: str, resource: str, at: dt.datetime, **fields) -> dict:
    return {"id": str(uuid.uuid4()), "verb": verb, "resource": resource, "timestamp": iso(at), **fields}


def study(phone: Phone, real: dt.datetime, hub_now: dt.datetime, sent_at: dt.datetime,
          happened: list[Happened]) -> None:
    """Read the article for 5 minutes and finish it, then answer two questions (one wrong)."""
    on_phone = real + phone.ahead  # the phone's clock when it happened
    batch = [event("started", ARTICLE, on_phone),
             event("progressed", ARTICLE, on_phone + dt.timedelta(minutes=5), duration_s=300, progress=1),
             event("completed", ARTICLE, on_phone + dt.timedelta(minutes=5))]
    response = phone.events(sent_at + phone.ahead, batch)
    assert response.get_json() == {"accepted": 3, "duplicates": 0}
    happened += [Happened(phone.name, ARTICLE, real, seconds=300, completed=True)]
    right = phone.answer("three-plus-four", "b", on_phone + dt.timedelta(minutes=6), sent_at + phone.ahead)
    wrong = phone.answer("amina-mangoes", "8", on_phone + dt.timedelta(minutes=7), sent_at + phone.ahead)
    assert right["correct"] is True and wrong["correct"] is False
    happened += [Happened(phone.name, QUIZ, real, answer=True), Happened(phone.name, QUIZ, real, answer=False)]


# A ZIM article is a resource of kind `zim`, which the first report schema does not list: the
# report of that day cannot be built. The reports side (issue 15, branch i15s) sends a value the
# schema does not know as "other"; until that lands here this test is expected to fail there.
SCHEMA_SENDS_OTHER = any('"other"' in path.read_text(encoding="utf-8")
                         for path in (ROOT / "sync").glob("hub-report-*.schema.json"))


@pytest.mark.slow
@pytest.mark.xfail(not SCHEMA_SENDS_OTHER, strict=True, raises=ValueError,
                   reason="a ZIM reading's kind `zim` is not in the report schema (fixed on the reports side)")
def test_what_learners_did_reaches_the_central_once_and_on_its_day(tmp_path, clock_at, runner, data_dir,
                                                                   central_database_url):
    clock_at(MONDAY - dt.timedelta(hours=1))
    app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_PACKS_SOURCE": str(ROOT / "content_packs"),
                      "HUB_MDNS": False, "TESTING": True, "HUB_K_THRESHOLD": K, "HUB_TIMEZONE": "UTC"})
    db = open_hub_db(data_dir)
    zim_install.install(db, data_dir, make_sample_zim(tmp_path / "savanna.zim"))
    assert db.execute("SELECT count(*) FROM resources WHERE pack_id = ? AND kind = 'exercise'",
                      [NUMBERS]).fetchone()[0] > 0  # the bundled pack is installed
    happened: list[Happened] = []

    # Monday 9 March: five phones away from the hub's Wi-Fi keep what their learners do...
    kept = [Phone(app, f"Kept {n}") for n in range(K)]
    # ...and send it a week later, when they are back: each event counts on Monday.
    clock_at(SENT_A_WEEK_LATER)
    for phone in kept:
        study(phone, MONDAY, SENT_A_WEEK_LATER, SENT_A_WEEK_LATER, happened)

    # Wednesday 11 March: six learners online read the ZIM and the bundled article, answer.
    clock_at(WEDNESDAY)
    online = [Phone(app, f"Online {n}") for n in range(K + 1)]
    for phone in online:
        assert phone.client.get(f"/content/{ZIM_PACK}/Zebra").status_code == 200
        happened.append(Happened(phone.name, ZIM_HOME, WEDNESDAY))
        study(phone, WEDNESDAY, WEDNESDAY, WEDNESDAY, happened)
    # A forged answer and a forged completion of an exercise are refused and count nowhere.
    forged = online[0].events(WEDNESDAY, [event("answered", QUIZ, WEDNESDAY, score=1) for _ in range(5)])
    assert forged.status_code == 400 and {d["field"] for d in forged.get_json()["details"]} == {"verb"}
    forged = online[0].events(WEDNESDAY, [event("completed", QUIZ, WEDNESDAY)])
    assert forged.status_code == 400

    # Wednesday, an hour later: five phones whose clocks are a month ahead.
    later = WEDNESDAY + dt.timedelta(hours=1)
    clock_at(later)
    ahead = [Phone(app, f"Ahead {n}", ahead=dt.timedelta(days=30)) for n in range(K)]
    for phone in ahead:
        study(phone, later, later, later, happened)

    # A week after the first events: roll up and push to a real central over HTTP.
    clock_at(PUSHED)
    with CentralProcess(tmp_path / "central") as central:
        secret = add_hub(central.data_dir, "hub-seams")
        done = runner.invoke(["sync", "register", "--url", central.url, "--hub-id", "hub-seams",
                              "--secret-stdin"], input=secret + "\n")
        assert done.exit_code == 0, done.output
        pushed = runner.invoke(["sync", "push"])
        assert pushed.exit_code == 0, pushed.output
        export = central_cli(central.data_dir, "export", "--json")
        assert export.returncode == 0, export.stderr
        rows = json.loads(export.stdout)
        # What the dashboard shows for each week (the week sums and the changes not yet folded).
        store = Store(central.data_dir, central_database_url or None)
        try:
            dashboard = {(metric, row["period_start"]): figures.table(
                store.db, metric, "", row["period_start"], row["period_start"])["total"][0]["value"]
                for row in rows for metric in (row["metric"],)
                if metric in ADDITIVE and not row["dims"] and row["period_kind"] == "week"}
        finally:
            store.close()
    db.conn.close()

    newest: dict[tuple, dict] = {}
    for row in rows:
        if row["dims"] or row["metric"] not in COMPARED:
            continue
        key = (row["metric"], row["period_start"], row["period_end"])
        if key not in newest or row["revision"] > newest[key]["revision"]:
            newest[key] = row
    shown = {key: row for key, row in newest.items() if not row["suppressed"]}
    # Every metric reached the central, and every value equals the oracle's for its period.
    assert {metric for metric, _, _ in shown} == set(COMPARED), sorted(newest)
    for (metric, start, end), row in sorted(shown.items()):
        first, last = dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10])
        assert row["value"] == oracle(happened, metric, first, last), (metric, start, end, row)
        if (metric, start) in dashboard:  # the dashboard's week shows the newest revision's value
            assert dashboard[(metric, start)] == row["value"], (metric, start, row)
    assert any(value for value in dashboard.values())
    # Nothing happened outside the periods the central shows, and no period holds a stray day:
    # totals over the pushed periods equal the totals of what happened (additive metrics).
    for metric in ("exercise_attempts", "exercise_correct", "resources_completed"):
        periods = {(s, e) for m, s, e in newest if m == metric}
        covered = [h for h in happened if any(dt.date.fromisoformat(s[:10]) <= h.at.date()
                                                <= dt.date.fromisoformat(e[:10]) for s, e in periods)]
        assert len(covered) == len(happened), metric
        total = sum(row["value"] for (m, _, _), row in shown.items() if m == metric)
        assert total == oracle(happened, metric, dt.date(2026, 3, 1), dt.date(2026, 3, 31)), metric
