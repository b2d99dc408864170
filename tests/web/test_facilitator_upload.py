"""Uploading a pack: streamed to disk in chunks, so a big upload keeps the server's memory small."""
from __future__ import annotations

import http.client
import os
import re
import urllib.parse

import pytest

from hub.accounts import facilitators
from hub.core.db import open_hub_db
from tests.helpers import HubProcess
from tests.web.test_facilitator_support import PASSWORD, _fresh_login_limits  # noqa: F401

MIB = 1024 * 1024
UPLOAD_MIB = 300


class Browser:
    """Just enough of a browser: one cookie, CSRF tokens from forms, streamed bodies."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("hub_session="):
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), data

    def csrf(self, path):
        _status, _headers, page = self.request("GET", path)
        return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()

    def sign_in(self, username, password):
        token = self.csrf("/facilitator/login")
        form = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrf_token": token})
        return self.request("POST", "/facilitator/login", form,
                            {"Content-Type": "application/x-www-form-urlencoded"})


def _incompressible(total_mib, block=os.urandom(MIB)):
    # One random MiB repeated: incompressible to anything with a window under 1 MiB,
    # and free to make, so neither this test nor the disk pays for 300 MiB of randomness.
    for _ in range(total_mib):
        yield block


def _peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.fixture
def hub_with_admin(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = open_hub_db(data_dir)
    facilitators.create(db, "amina", PASSWORD)
    db.conn.close()
    with HubProcess(data_dir) as hub:
        yield hub, data_dir


@pytest.mark.slow
def test_large_upload_is_streamed_with_bounded_memory(hub_with_admin):
    hub, data_dir = hub_with_admin
    browser = Browser(hub.url)
    assert browser.sign_in("amina", PASSWORD)[0] == 302
    token = browser.csrf("/facilitator/content/upload")
    before = _peak_rss_kib(hub.proc.pid)

    # 1. What the page's script sends: the file itself as the body.
    status, _headers, _body = browser.request(
        "POST", "/facilitator/content/upload", _incompressible(UPLOAD_MIB),
        {"Content-Type": "application/zip", "Content-Length": str(UPLOAD_MIB * MIB),
         "X-CSRF-Token": token, "X-Requested-With": "XMLHttpRequest", "X-File-Name": "big.zip"})
    assert status in (202, 503), status
    after_raw = _peak_rss_kib(hub.proc.pid)

    # 2. What the page sends without JavaScript: a multipart form.
    boundary = "----hubtestboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"pack\"; filename=\"big.zip\"\r\n"
            "Content-Type: application/zip\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def multipart():
        yield head
        yield from _incompressible(UPLOAD_MIB)
        yield tail

    status, _headers, _body = browser.request(
        "POST", "/facilitator/content/upload", multipart(),
        {"Content-Type": f"multipart/form-data; boundary={boundary}",
         "Content-Length": str(len(head) + UPLOAD_MIB * MIB + len(tail))})
    assert status in (303, 503), status
    after_form = _peak_rss_kib(hub.proc.pid)

    growth_raw, growth_form = (after_raw - before) // 1024, (after_form - before) // 1024
    print(f"peak RSS before {before // 1024} MiB; +{growth_raw} MiB after a {UPLOAD_MIB} MiB raw "
          f"upload; +{growth_form} MiB after a {UPLOAD_MIB} MiB multipart upload")
    assert growth_raw < 40 and growth_form < 40
    # Nothing half-written is left in the uploads folder once the request is over.
    leftovers = [p.name for p in (data_dir / "uploads").iterdir() if p.suffix == ".part"]
    assert leftovers == []


@pytest.mark.slow
def test_upload_without_csrf_token_is_refused(hub_with_admin):
    hub, _data_dir = hub_with_admin
    browser = Browser(hub.url)
    browser.sign_in("amina", PASSWORD)
    status, _h, _b = browser.request("POST", "/facilitator/content/upload", b"PK" * 1000,
                                     {"Content-Type": "application/zip"})
    assert status == 400
