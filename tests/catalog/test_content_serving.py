"""/content/ on a real waitress server: Range, ETag, Last-Modified, 304, 416, mimetypes,
traversal attempts by every encoding, html5 files out of the zip under a sandbox CSP."""
from __future__ import annotations

import http.client as httpclient
import os

import pytest

from hub.core.db import open_hub_db
from tests.helpers import HubProcess, http
from tests.catalog.test_catalog_support import APP_HTML, APP_JS, PACK_ID, default_files, install

FILES = default_files()
SONG = FILES["media/song.mp3"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    db = open_hub_db(data)
    manifest = install(db, data / "packs" / PACK_ID / "1.0.0")
    db.conn.close()
    # A secret beside the pack: what traversal attempts would like to read.
    (data / "packs" / PACK_ID / "secret.txt").write_text("TOP SECRET")
    os.symlink(data / "packs" / PACK_ID / "secret.txt", data / "packs" / PACK_ID / "1.0.0" / "link.txt")
    with HubProcess(data) as server:
        server.manifest = manifest
        yield server


class Headers(dict):
    """Response headers looked up without regard to case."""

    def __init__(self, raw):
        super().__init__({k.lower(): v for k, v in raw.items()})

    def __getitem__(self, key):
        return super().__getitem__(key.lower())


def get(hub, path, **headers):
    status, got, body = http("GET", hub.url + path, headers=headers)
    return status, Headers(got), body


def raw_get(hub, raw_path):
    """Send a path exactly as written (urllib would normalize some of the tricks)."""
    conn = httpclient.HTTPConnection("127.0.0.1", hub.port, timeout=10)
    try:
        conn.putrequest("GET", raw_path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def sha(hub, rid):
    return next(r["sha256"] for r in hub.manifest["resources"] if r["id"] == rid)


def test_whole_file_with_validators(hub):
    status, headers, body = get(hub, f"/content/{PACK_ID}/media/song.mp3")
    assert status == 200 and body == SONG
    assert headers["Content-Type"] == "audio/mpeg"
    assert headers["Accept-Ranges"] == "bytes" and headers["Content-Length"] == str(len(SONG))
    assert headers["ETag"].strip('"') in sha(hub, "song") and headers["Last-Modified"].endswith("GMT")
    assert "must-revalidate" in headers["Cache-Control"]


def test_single_range_and_suffix_and_open_ended(hub):
    status, headers, body = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range="bytes=100-199")
    assert status == 206 and body == SONG[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{len(SONG)}" and headers["Content-Length"] == "100"
    status, headers, body = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range="bytes=-10")
    assert status == 206 and body == SONG[-10:]
    status, headers, body = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range="bytes=10000-")
    assert status == 206 and body == SONG[10000:]
    # A range running past the end is cut to the file's size.
    status, headers, body = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range="bytes=10200-99999")
    assert status == 206 and body == SONG[10200:] and headers["Content-Range"].endswith(f"/{len(SONG)}")


def test_multiple_ranges_come_as_multipart_byteranges(hub):
    status, headers, body = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range="bytes=0-9,500-509")
    assert status == 206
    assert headers["Content-Type"].startswith("multipart/byteranges; boundary=")
    boundary = headers["Content-Type"].split("boundary=")[1].encode()
    assert int(headers["Content-Length"]) == len(body)
    parts = [p for p in body.split(b"--" + boundary) if p.strip(b"\r\n-")]
    assert len(parts) == 2
    assert f"Content-Range: bytes 0-9/{len(SONG)}".encode() in parts[0] and parts[0].endswith(SONG[0:10] + b"\r\n")
    assert f"Content-Range: bytes 500-509/{len(SONG)}".encode() in parts[1] and SONG[500:510] in parts[1]


@pytest.mark.parametrize("header", ["bytes=99999-", f"bytes={len(SONG)}-", "bytes=-0"])
def test_unsatisfiable_range_is_416(hub, header):
    status, headers, _ = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range=header)
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(SONG)}"


@pytest.mark.parametrize("header", ["bytes=abc", "items=0-5", "bytes=5-1"])
def test_malformed_range_is_ignored(hub, header):
    status, _, body = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range=header)
    assert status == 200 and body == SONG


def test_etag_and_last_modified_give_304(hub):
    _, headers, _ = get(hub, f"/content/{PACK_ID}/articles/water.en.md")
    status, again, body = get(hub, f"/content/{PACK_ID}/articles/water.en.md",
                              **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and again["ETag"] == headers["ETag"]
    status, _, body = get(hub, f"/content/{PACK_ID}/articles/water.en.md",
                          **{"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304 and body == b""
    status, _, body = get(hub, f"/content/{PACK_ID}/articles/water.en.md",
                          **{"If-None-Match": '"something-else"'})
    assert status == 200 and body == FILES["articles/water.en.md"]
    status, _, _ = get(hub, f"/content/{PACK_ID}/articles/water.en.md",
                       **{"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    assert status == 200


def test_if_range_with_an_old_etag_sends_the_whole_file(hub):
    status, _, body = get(hub, f"/content/{PACK_ID}/media/song.mp3", Range="bytes=0-9",
                          **{"If-Range": '"old"'})
    assert status == 200 and body == SONG


def test_content_addressed_urls_are_immutable(hub):
    _, headers, _ = get(hub, f"/content/{PACK_ID}/media/song.mp3?v={sha(hub, 'song')[:16]}")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    _, headers, _ = get(hub, f"/content/{PACK_ID}/media/song.mp3?v=0000000000000000")
    assert "immutable" not in headers["Cache-Control"]


@pytest.mark.parametrize("path, mimetype", [
    ("articles/water.en.md", "text/markdown; charset=utf-8"),
    ("media/hands.webm", "video/webm"), ("docs/guide.pdf", "application/pdf"),
    ("images/hands.svg", "image/svg+xml"), ("apps/stars.zip", "application/zip"),
])
def test_mimetypes(hub, path, mimetype):
    status, headers, body = get(hub, f"/content/{PACK_ID}/{path}")
    assert status == 200 and headers["Content-Type"] == mimetype and body == FILES[path]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_pack_files_other_than_apps_run_nothing(hub):
    _, headers, _ = get(hub, f"/content/{PACK_ID}/images/hands.svg")
    csp = headers["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "script-src" not in csp and "default-src 'none'" in csp


def test_html5_files_come_out_of_the_zip_sandboxed(hub):
    status, headers, body = get(hub, f"/content/{PACK_ID}/apps/stars.zip/index.html")
    assert status == 200 and body == APP_HTML and headers["Content-Type"] == "text/html; charset=utf-8"
    csp = headers["Content-Security-Policy"]
    assert "sandbox allow-scripts" in csp and "allow-same-origin" not in csp
    assert "connect-src 'none'" in csp
    status, headers, body = get(hub, f"/content/{PACK_ID}/apps/stars.zip/app.js", Range="bytes=0-7")
    assert status == 206 and body == APP_JS[:8]
    assert headers["Content-Type"].startswith("text/javascript")
    status, _, body = get(hub, f"/content/{PACK_ID}/apps/stars.zip/")
    assert status == 200 and body == APP_HTML
    _, headers, _ = get(hub, f"/content/{PACK_ID}/apps/stars.zip/index.html")
    status, _, _ = get(hub, f"/content/{PACK_ID}/apps/stars.zip/index.html",
                       **{"If-None-Match": headers["ETag"]})
    assert status == 304
    assert get(hub, f"/content/{PACK_ID}/apps/stars.zip/missing.js")[0] == 404


def test_exercise_files_with_their_answers_are_not_served(hub):
    assert get(hub, f"/content/{PACK_ID}/exercises/quiz.json")[0] == 404


@pytest.mark.parametrize("path", [
    "../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "..%2fsecret.txt",
    "media/..%2f..%2fsecret.txt", "media/%2e%2e/%2e%2e/secret.txt", "..%5csecret.txt",
    "%5c..%5csecret.txt", "media%5c..%5c..%5csecret.txt", "%2fetc%2fpasswd", "/etc/passwd",
    "media/song.mp3%00.txt", "media/./song.mp3", "media//song.mp3", "link.txt", "pack.json",
    "%252e%252e/secret.txt", "apps/stars.zip/../../secret.txt",
    "apps/stars.zip/%2e%2e/%2e%2e/secret.txt", "....//secret.txt", "C:/secret.txt",
])
def test_traversal_attempts_never_leak(hub, path):
    status, body = raw_get(hub, f"/content/{PACK_ID}/{path}")
    assert status in (400, 404), (path, status)
    assert b"TOP SECRET" not in body and b"root:" not in body


def test_other_packs_and_hidden_packs_are_404(hub):
    assert get(hub, "/content/org.nothing.here/media/song.mp3")[0] == 404
    assert get(hub, "/content/..%2f..%2f/media/song.mp3")[0] == 404


def test_head_sends_headers_only(hub):
    request = httpclient.HTTPConnection("127.0.0.1", hub.port, timeout=10)
    try:
        request.request("HEAD", f"/content/{PACK_ID}/media/song.mp3", headers={"Range": "bytes=0-9"})
        response = request.getresponse()
        assert response.status == 206 and response.getheader("Content-Length") == "10"
        assert response.read() == b""
    finally:
        request.close()
