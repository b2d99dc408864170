"""Data generators: packs and resources in several scripts, learners, a year of events.

Packs are real pack folders (format 1) installed with the product's own `hub packs install`,
so the catalog tables and the search index are filled exactly as the product fills them.
When that command is not built yet, the rows go straight into the catalog tables instead and
the result says so (no search index then).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.harness import ROOT

LANGUAGES = ["en", "fr", "sw", "ar", "hi"]
WORDS = {
    "en": "water garden number river story friend letter animal market family school "
          "sun rain tree mother child farmer seed bread road music colour count share".split(),
    "fr": "eau jardin nombre rivière histoire ami lettre animal marché famille école "
          "soleil pluie arbre mère enfant fermier graine pain route musique couleur élève".split(),
    "sw": "maji bustani namba mto hadithi rafiki barua mnyama soko familia shule jua "
          "mvua mti mama mtoto mkulima mbegu mkate barabara muziki rangi hesabu".split(),
    "ar": "ماء حديقة عدد نهر قصة صديق رسالة حيوان سوق عائلة مدرسة شمس مطر شجرة أم "
          "طفل مزارع بذرة خبز طريق موسيقى لون".split(),
    "hi": "पानी बगीचा संख्या नदी कहानी दोस्त पत्र जानवर बाज़ार परिवार विद्यालय सूरज बारिश "
          "पेड़ माँ बच्चा किसान बीज रोटी सड़क संगीत रंग".split(),
}
SEARCH_QUERY = "garden"       # an English word in about one title in six
MEDIA_PACK = "bench.media"
MEDIA_FILE = "media/one-mb.mp4"


def _text(rng: random.Random, lang: str, count: int) -> str:
    return " ".join(rng.choice(WORDS[lang]) for _ in range(count))


def _write(folder: Path, rel: str, data: bytes) -> dict:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"file": rel, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def build_pack(folder: Path, pack_id: str, groups: int, seed: int = 0,
               languages: list[str] = LANGUAGES) -> int:
    """Write a pack folder of `groups` articles, each in every language; returns resources."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    resources, topics, topic = [], [], None
    for g in range(groups):
        if g % 100 == 0:
            topic = {"id": f"t{g // 100}", "title": {l: _text(rng, l, 2) for l in languages},
                     "resources": []}
            topics.append(topic)
        for lang in languages:
            rid = f"a{g}-{lang}"
            title = f"{_text(rng, lang, 3)} {g}"
            body = f"# {title}\n\n{_text(rng, lang, 40)}\n".encode()
            resources.append({"id": rid, "kind": "article", "language": lang, "group": f"a{g}",
                              "title": title, "description": _text(rng, lang, 8),
                              "tags": [rng.choice(WORDS[lang])],
                              **_write(folder, f"articles/{rid}.md", body)})
            topic["resources"].append(rid)
    manifest = {"format": 1, "id": pack_id, "version": "1.0.0",
                "title": {l: f"{_text(rng, l, 2)} ({pack_id})" for l in languages},
                "description": {l: _text(rng, l, 10) for l in languages},
                "publisher": "Benchmark generator", "license": "CC0-1.0",
                "languages": languages, "topics": topics, "resources": resources}
    (folder / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return len(resources)


def build_media_pack(folder: Path, pack_id: str, files: int, file_mb: float,
                     version: str = "1.0.0") -> int:
    """A pack of incompressible `video` files (random bytes); returns its size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    resources, total = [], 0
    for n in range(files):
        rel = MEDIA_FILE if n == 0 and file_mb == 1 else f"media/clip-{n}.mp4"
        entry = _write(folder, rel, os.urandom(int(file_mb * 1024 * 1024)))
        total += entry["size"]
        resources.append({"id": f"clip-{n}", "kind": "video", "language": "en",
                          "group": f"clip-{n}", "title": f"Clip {n}", "description": "",
                          "tags": [], "duration": 60, **entry})
    manifest = {"format": 1, "id": pack_id, "version": version, "title": {"en": "Media"},
                "description": {"en": "Generated media"}, "publisher": "Benchmark generator",
                "license": "CC0-1.0", "languages": ["en"],
                "topics": [{"id": "all", "title": {"en": "All"},
                            "resources": [r["id"] for r in resources]}],
                "resources": resources}
    (folder / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    return total


def zip_pack(folder: Path, target: Path) -> Path:
    """Zip a pack folder's contents (stored: media does not compress)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def hub_cli(data_dir: Path, *args: str, stdin: str | None = None, timeout: float = 3600):
    """Run a `hub` command on a data dir; returns the CompletedProcess."""
    env = dict(os.environ, HUB_DATA_DIR=str(data_dir), HUB_MDNS="0",
               HUB_PACKS_SOURCE=str(data_dir / "no-packs"), HUB_DISK_RESERVE_MB="0")
    return subprocess.run([sys.executable, "-m", "hub", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def install_pack(data_dir: Path, folder: Path) -> tuple[str, float]:
    """Install with `hub packs install`; falls back to direct rows. Returns (how, seconds)."""
    began = time.perf_counter()
    done = hub_cli(data_dir, "packs", "install", str(folder))
    if done.returncode == 0:
        return "hub packs install", time.perf_counter() - began
    if done.returncode == 1:
        raise RuntimeError(f"hub refused the generated pack {folder}: {done.stderr[-1500:]}")
    insert_rows(data_dir, folder)
    return "direct rows (hub packs install not built)", time.perf_counter() - began


def insert_rows(data_dir: Path, folder: Path) -> None:
    """Write a pack's catalog rows directly (only while the product's install is missing)."""
    from hub.core.db import open_hub_db

    m = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    db = open_hub_db(data_dir)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with db.atomic():
        db["packs"].insert({"id": m["id"], "version": m["version"],
                            "title": json.dumps(m["title"]),
                            "description": json.dumps(m["description"]),
                            "publisher": m["publisher"], "license": m["license"],
                            "languages": json.dumps(m["languages"]), "enabled": 1,
                            "source": "bench", "storage_dir": str(folder.resolve()),
                            "size": sum(r["size"] for r in m["resources"]),
                            "resource_count": len(m["resources"]), "installed_at": now,
                            "manifest": json.dumps(m)}, replace=True)
        db.conn.executemany(
            "INSERT OR REPLACE INTO resources (pack_id, id, kind, language, group_id, title, "
            "description, tags, file, sha256, size, duration, position) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(m["id"], r["id"], r["kind"], r["language"], r["group"], r["title"],
              r["description"], json.dumps(r["tags"]), r["file"], r["sha256"], r["size"],
              r.get("duration"), i) for i, r in enumerate(m["resources"])])
        db.conn.executemany(
            "INSERT OR REPLACE INTO topics (pack_id, id, parent_id, position, title) "
            "VALUES (?,?,NULL,?,?)",
            [(m["id"], t["id"], i, json.dumps(t["title"])) for i, t in enumerate(m["topics"])])
        db.conn.executemany(
            "INSERT OR REPLACE INTO topic_resources VALUES (?,?,?,?)",
            [(m["id"], t["id"], rid, i) for t in m["topics"] for i, rid in enumerate(t["resources"])])
    db.conn.close()


def generate_catalog(data_dir: Path, work: Path, packs: int, resources: int) -> dict:
    """`packs` packs holding about `resources` resources (a few large packs hold the bulk)."""
    per_lang = len(LANGUAGES)
    small = max(packs - 4, 0)
    small_groups = 10
    large_groups = max((resources - small * small_groups * per_lang) // per_lang // 4, 1)
    plan = [(f"bench.large-{n}", large_groups) for n in range(1, 5)]
    plan += [(f"bench.small-{n}", small_groups) for n in range(1, small + 1)]
    info = {"packs": [], "resources": 0, "install": None, "seconds": 0.0}
    for n, (pack_id, groups) in enumerate(plan):
        folder = work / "packs" / pack_id
        info["resources"] += build_pack(folder, pack_id, groups, seed=n)
        how, seconds = install_pack(data_dir, folder)
        info["packs"].append(pack_id)
        info["install"], info["seconds"] = how, info["seconds"] + seconds
    media = work / "packs" / MEDIA_PACK
    build_media_pack(media, MEDIA_PACK, 1, 1)
    install_pack(data_dir, media)
    info["packs"].append(MEDIA_PACK)
    return info


def generate_learners(data_dir: Path, count: int, seed: int = 1) -> list[str]:
    """`count` learner profiles (no PIN); returns their actor keys."""
    from hub.core.db import open_hub_db

    rng = random.Random(seed)
    db = open_hub_db(data_dir)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    rows = [(f"L{rng.getrandbits(64):016x}", f"{_text(rng, LANGUAGES[n % 5], 1)} {n}",
             "star", LANGUAGES[n % 5], now) for n in range(count)]
    with db.atomic():
        db.conn.executemany("INSERT INTO learners (actor, name, avatar, language, created_at) "
                            "VALUES (?,?,?,?,?)", rows)
    db.conn.close()
    return [row[0] for row in rows]


def generate_events(data_dir: Path, count: int, actors: list[str], resources: list[tuple],
                    days: int = 365, batch: int = 200_000, seed: int = 2) -> dict:
    """`count` events spread over `days` days up to today, in big executemany transactions.

    Event ids are time-ordered (like UUIDv7) so that the 10 million rows load in minutes;
    the ingest benchmark itself sends random ids. The events indexes are dropped during the
    load and rebuilt after, with their exact saved definitions.
    """
    from hub.core.db import open_hub_db

    rng = random.Random(seed)
    db = open_hub_db(data_dir)
    conn = db.conn
    conn.execute("PRAGMA synchronous=OFF")  # generation, not measurement
    conn.execute("PRAGMA cache_size=-262144")
    indexes = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='events' AND sql NOT NULL")]
    began = time.perf_counter()
    with db.atomic():
        for sql in indexes:
            conn.execute("DROP INDEX " + sql.split("INDEX", 1)[1].split("ON", 1)[0].strip())
    verbs = ["started", "progressed", "progressed", "progressed", "completed", "answered"]
    first = date.today() - timedelta(days=days - 1)
    written, serial, rows = 0, 0, []

    def flush():
        with db.atomic():
            conn.executemany("INSERT INTO events (id, actor, anonymous, pack_id, resource_id, verb, "
                             "progress, score, duration_s, client_ts, received_at, data) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?,'{}')", rows)
        rows.clear()

    for d in range(days):
        day = (first + timedelta(days=d)).isoformat()
        today = count * (d + 1) // days - written
        seconds = sorted(rng.randrange(8 * 3600, 16 * 3600) for _ in range(today))
        for sec in seconds:
            serial += 1
            stamp = f"{day}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}Z"
            verb = rng.choice(verbs)
            pack_id, resource_id = rng.choice(resources)
            anonymous = rng.random() < 0.1
            actor = f"A{rng.getrandbits(32):08x}" if anonymous else rng.choice(actors)
            rows.append((f"{serial:08x}-{d:04x}-7000-8000-{rng.getrandbits(48):012x}", actor,
                         int(anonymous), pack_id, resource_id, verb,
                         0.5 if verb == "progressed" else 1.0 if verb == "completed" else None,
                         float(rng.random() < 0.6) if verb == "answered" else None,
                         float(rng.randrange(5, 300)), stamp, stamp))
            if len(rows) >= batch:
                flush()
        written += today
    if rows:
        flush()
    for sql in indexes:
        conn.execute(sql)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"events": written, "days": days, "seconds": time.perf_counter() - began}


def steady_state(data_dir: Path) -> float:
    """Make today's backup, as a hub that has run today already has; returns seconds.

    A started hub makes the day's backup at once when there is none (hub.ops.backup), which on
    10 million events copies gigabytes while the first scenarios run; the figures are for a
    hub in its everyday state.
    """
    from hub.ops.backup import nightly_backup

    began = time.perf_counter()
    warm_search(data_dir)
    nightly_backup(data_dir)
    return time.perf_counter() - began


def warm_search(data_dir: Path) -> None:
    """Rank the frequent words as a hub that has been up has (its background round, issue 22):
    a started hub does it at once on a new catalog, beside the first scenarios."""
    from hub.catalog import search
    from hub.core.db import open_hub_db

    db = open_hub_db(data_dir)
    try:
        search.warm_best(db)
    finally:
        db.conn.close()


def sample_resources(data_dir: Path, limit: int = 2000) -> list[tuple]:
    """(pack_id, resource_id) pairs from the catalog, for events to refer to."""
    from hub.core.db import open_hub_db

    db = open_hub_db(data_dir)
    rows = db.conn.execute("SELECT pack_id, id FROM resources ORDER BY pack_id, position "
                           "LIMIT ?", (limit,)).fetchall()
    db.conn.close()
    return [tuple(r) for r in rows] or [(MEDIA_PACK, "clip-0")]
