"""The central behind an https proxy (HUB_TRUSTED_PROXY): Secure cookies, and its login
limiter counts each client the proxy names instead of every user as one (issue 17)."""
from __future__ import annotations

import http.client
import re
import urllib.parse

import pytest

from tests.centralproc import CentralProcess


def _login(port: int, client_ip: str, password: str) -> tuple[int, str]:
    """GET the form then POST it, as `client_ip` behind the proxy; (status, Set-Cookie)."""
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/login", headers=forwarded)
    page = conn.getresponse()
    cookie_header = page.getheader("Set-Cookie") or ""
    body = page.read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"username": "ana", "password": password, "csrf_token": token})
    conn.request("POST", "/login", form, {**forwarded, "Cookie": cookie_header.split(";", 1)[0],
                                          "Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    return answer.status, cookie_header


@pytest.mark.slow
def test_behind_a_trusted_proxy_cookies_are_secure_and_clients_are_told_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_TRUSTED_PROXY", "127.0.0.1")
    central = CentralProcess(tmp_path / "central").start()
    try:
        statuses = [_login(central.port, "10.0.0.7", "wrong")[0] for _ in range(12)]
        assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
        status, cookie = _login(central.port, "10.0.0.8", "wrong")
        assert status == 401  # another user behind the same proxy is not locked out
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        central.stop()
