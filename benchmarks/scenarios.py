"""The measured scenarios: which endpoints, found how, and the one-off measurements.

An endpoint that is not built yet is reported as "not available: <why>" rather than failing
the run, so the suite can run while the product grows.
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
import time
import urllib.request
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from benchmarks import generate
from benchmarks.harness import http_get
from benchmarks.load import EventBatch, run_load

CONNECTIONS = (1, 10, 50)


class Unavailable(Exception):
    """The endpoint is not there (yet); the message says why."""


def _need(url: str, headers: dict | None = None, ok=(200,)) -> bytes:
    status, _headers, body = http_get(url, headers)
    if status not in ok:
        raise Unavailable(f"HTTP {status} from {urlsplit(url).path}")
    return body


def _api_json(base: str, path: str) -> dict:
    try:
        return json.loads(_need(base + path))
    except ValueError:
        raise Unavailable(f"{path} did not answer JSON") from None


def sign_in(base: str) -> str:
    """Create a benchmark learner and return its session cookie ('' when not built)."""
    body = json.dumps({"name": "Bench"}).encode()
    request = urllib.request.Request(base + "/api/v1/learners", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
    except OSError:
        return ""
    return "; ".join(c.split(";", 1)[0] for c in cookies)


def discover(base: str) -> dict:
    """Each scenario's request (path, method, headers, body/batch), or the reason it is absent."""
    found: dict[str, dict | str] = {}

    def attempt(name, build):
        try:
            found[name] = build()
        except Unavailable as why:
            found[name] = f"not available: {why}"

    def home():
        _need(base + "/")
        return {"path": "/"}

    def pack_page():
        packs = _api_json(base, "/api/v1/packs").get("packs", [])
        pack = next((p for p in packs if p.get("id") == "bench.large-1"), None)
        if pack and pack.get("url"):
            path = urlsplit(pack["url"]).path
        else:
            links = re.findall(r'href="([^"]*bench\.large-1[^"]*)"', _need(base + "/").decode())
            if not links:
                raise Unavailable("no link to pack bench.large-1 on the home page")
            path = urlsplit(urljoin(base, links[0])).path
        _need(base + path)
        return {"path": path}

    def search_page():
        path = f"/search?q={generate.SEARCH_QUERY}"
        html = _need(base + path).decode()
        if not re.search(r'href="[^"]*bench\.(large|small)-', html):
            raise Unavailable("the search page lists no results")
        return {"path": path}

    def search_api():
        path = f"/api/v1/resources?q={generate.SEARCH_QUERY}&limit=20"
        if not _api_json(base, path).get("resources"):
            raise Unavailable("the search API found nothing")
        return {"path": path}

    def resource_page():
        found_list = _api_json(base, f"/api/v1/resources?q={generate.SEARCH_QUERY}&limit=1")
        resources = found_list.get("resources") or []
        if not resources or not resources[0].get("url"):
            raise Unavailable("no resource with a url in the search API")
        path = urlsplit(urljoin(base, resources[0]["url"])).path
        _need(base + path)
        return {"path": path}

    def content_file():
        path = f"/content/{generate.MEDIA_PACK}/{generate.MEDIA_FILE}"
        headers = {"Range": "bytes=0-"}
        _need(base + path, headers, ok=(206,))
        return {"path": path, "headers": headers}

    def events():
        cookie = sign_in(base)
        resource = "bench.large-1/a0-en"
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        probe = run_load(base, "/api/v1/events", 1, 0.2, tool="python", method="POST",
                         headers=headers, batch=EventBatch(resource), max_requests=1)
        if probe.errors or not probe.requests:
            raise Unavailable("POST /api/v1/events did not accept a batch of 20")
        return {"path": "/api/v1/events", "method": "POST", "headers": headers,
                "batch": EventBatch(resource)}

    for name, build in [("home", home), ("pack", pack_page), ("search", search_page),
                        ("search_api", search_api), ("resource", resource_page),
                        ("content_1mb_range", content_file), ("events", events)]:
        attempt(name, build)
    return found


def measure(base: str, request: dict, connections=CONNECTIONS, duration: float = 10,
            tool: str = "auto") -> dict:
    """One scenario at each connection count: {connections: LoadResult dict}."""
    extra = {k: request[k] for k in ("method", "headers", "batch") if k in request}
    return {c: run_load(base, request["path"], c, duration, tool=tool, **extra).as_dict()
            for c in connections}


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and ({"stylesheet", "icon", "preload", "manifest"}
                                                  & set((a.get("rel") or "").split())):
            self.urls.append(a["href"])
        elif tag in ("script", "img", "source", "audio", "video") and a.get("src"):
            self.urls.append(a["src"])
        elif tag in ("use", "image") and (a.get("href") or a.get("xlink:href")):
            self.urls.append(a.get("href") or a.get("xlink:href"))


def first_visit(base: str, path: str = "/") -> dict:
    """Bytes a first visit to a page transfers: HTML and every CSS/JS/image it references.

    Sent with Accept-Encoding: gzip, so a gzipped answer counts at its wire size; the
    uncompressed total and a gzip-everything estimate are given beside it.
    """
    seen, files = set(), []
    wire = raw = gz_estimate = 0
    todo = [urljoin(base, path)]
    while todo:
        url = todo.pop(0).split("#", 1)[0]
        if url in seen or urlsplit(url).hostname != "127.0.0.1":
            continue
        seen.add(url)
        status, headers, body = http_get(url, {"Accept-Encoding": "gzip"})
        encoded = headers.get("Content-Encoding", "") == "gzip"
        plain = gzip.decompress(body) if encoded else body
        head_bytes = sum(len(k) + len(v) + 4 for k, v in headers.items()) + 17
        wire += len(body) + head_bytes
        raw += len(plain) + head_bytes
        gz_estimate += len(body if encoded else gzip.compress(plain, 6)) + head_bytes
        files.append({"url": urlsplit(url).path, "status": status, "bytes": len(body),
                      "gzip": encoded})
        kind = headers.get("Content-Type", "")
        if "html" in kind:
            parser = _Assets()
            parser.feed(plain.decode("utf-8", "replace"))
            todo += [urljoin(url, u) for u in parser.urls]
        elif "css" in kind:
            todo += [urljoin(url, u.strip("'\"")) for u in
                     re.findall(r"url\(([^)]+)\)", plain.decode("utf-8", "replace"))
                     if not u.strip("'\"").startswith("data:")]
    return {"bytes": wire, "uncompressed": raw, "if_all_gzipped": gz_estimate, "files": files}


def pack_install_speed(work: Path, size_mb: int) -> dict:
    """Time `hub packs install` of a generated `size_mb` MB pack of incompressible media (.zip)."""
    folder, data_dir = work / "bigpack", work / "install-data"
    files = max(1, size_mb // 50)
    size = generate.build_media_pack(folder, "bench.bigmedia", files, size_mb / files)
    archive = generate.zip_pack(folder, work / "bigpack.zip")
    shutil.rmtree(folder)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        began = time.perf_counter()
        done = generate.hub_cli(data_dir, "packs", "install", str(archive))
        seconds = time.perf_counter() - began
        if done.returncode != 0:
            why = "not built" if done.returncode == 2 else done.stderr.strip()[-300:]
            return {"status": f"not available: {why}", "size_mb": size / 1e6}
        return {"status": "ok", "size_mb": size / 1e6, "seconds": seconds,
                "mb_per_s": size / 1e6 / seconds}
    finally:
        archive.unlink(missing_ok=True)
        shutil.rmtree(data_dir, ignore_errors=True)


def rollup_times(data_dir: Path, days: list[str]) -> dict:
    """Time sync.metrics rolling up one day, then every day of the year of events."""
    import inspect

    try:
        from sync import metrics
    except ImportError:
        return {"status": "not built (no sync.metrics)"}
    rollup = getattr(metrics, "rollup", None)
    if rollup is None:
        return {"status": "not built (no sync.metrics.rollup)"}
    from hub.core.db import open_hub_db

    db = open_hub_db(data_dir)
    params = inspect.signature(rollup).parameters
    kwargs = {"tz": "UTC"} if "tz" in params else {"timezone": "UTC"} if "timezone" in params else {}
    pending = getattr(metrics, "rollup_pending", None)
    try:
        began = time.perf_counter()
        rollup(db, days[len(days) // 2], **kwargs)
        one_day = time.perf_counter() - began
        began = time.perf_counter()
        if pending is not None:  # what a running hub does: every day with new events
            pending(db, "UTC", until=date.fromisoformat(days[-1]))
        else:
            for day in days:
                rollup(db, day, **kwargs)
        year = time.perf_counter() - began
    except Exception as exc:  # the suite reports a broken rollup rather than stopping
        return {"status": f"not available: {type(exc).__name__}: {exc}"[:300]}
    finally:
        db.conn.close()
    return {"status": "ok", "day_s": one_day, "year_s": year, "days": len(days)}
