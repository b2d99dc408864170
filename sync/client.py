"""POST one report to the central: gzip, HMAC-SHA256 signature, timeouts, verified TLS."""
from __future__ import annotations

import gzip
import hashlib
import hmac
import http.client
import json
import random
import socket
import ssl
from urllib.parse import urlsplit

from sync.errors import ConnectionFailed, Rejected, Timeout

CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 30
ANSWERS = ("stored", "duplicate", "superseded")


def sign(secret: str, body: bytes) -> str:
    """The X-Hub-Signature value: HMAC-SHA256 keyed with the secret's UTF-8 bytes."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def backoff_s(attempts: int, base: float = 60.0, cap: float = 6 * 3600.0) -> float:
    """Seconds to wait after `attempts` failures: exponential, capped, with +-50% jitter."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.5, 1.5)  # jitter: hundreds of hubs must not retry in step


def _connection(url: str, timeout: float):
    parts = urlsplit(url)
    if parts.scheme == "https":
        # The default context verifies the certificate chain and the host name.
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _post(url: str, path: str, hub_id: str, secret: str, body: bytes, *, compress: bool,
          connect_timeout: float, read_timeout: float):
    """POST a signed body to the central; (response, raw answer) or raise a SyncError."""
    payload = gzip.compress(body, mtime=0) if compress else body
    headers = {"Content-Type": "application/json", "X-Hub-Id": hub_id,
               "X-Hub-Signature": sign(secret, payload), "User-Agent": "community-learning-hub"}
    if compress:
        headers["Content-Encoding"] = "gzip"
    path = (urlsplit(url).path.rstrip("/") or "") + path
    conn = _connection(url, connect_timeout)
    try:
        try:
            conn.connect()
            conn.sock.settimeout(read_timeout)
            conn.request("POST", path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read(64 * 1024)
        except (socket.timeout, TimeoutError) as exc:
            raise Timeout(f"the central did not answer in time ({exc})") from None
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectionFailed(f"cannot reach {url} ({exc})") from None
    finally:
        conn.close()
    return response, raw


def post_report(url: str, hub_id: str, secret: str, body: bytes, *, compress: bool = True,
                connect_timeout: float = CONNECT_TIMEOUT_S,
                read_timeout: float = READ_TIMEOUT_S) -> tuple[str, str | None]:
    """Send a report body; return (status, the central's Date header) or raise a SyncError."""
    response, raw = _post(url, "/api/v1/reports", hub_id, secret, body, compress=compress,
                          connect_timeout=connect_timeout, read_timeout=read_timeout)
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    if response.status == 200 and answer.get("status") in ANSWERS:
        return answer["status"], response.getheader("Date")
    reason = answer.get("error") or raw.decode("utf-8", "replace")[:300] or response.reason
    if answer.get("details"):
        reason += ": " + "; ".join(f"{d.get('field')}: {d.get('message')}" for d in answer["details"][:5])
    raise Rejected(response.status, reason)


def post_heartbeat(url: str, hub_id: str, secret: str, body: bytes, *,
                   connect_timeout: float = CONNECT_TIMEOUT_S, read_timeout: float = READ_TIMEOUT_S) -> int:
    """Send a heartbeat, signed like a report; the central's HTTP status (404: an older central)."""
    response, _raw = _post(url, "/api/v1/heartbeat", hub_id, secret, body, compress=False,
                           connect_timeout=connect_timeout, read_timeout=read_timeout)
    return response.status


def reachable(url: str, timeout: float = 5.0) -> bool:
    """True when the central answers /healthz (a cheap look before pushing a queue)."""
    path = (urlsplit(url).path.rstrip("/") or "") + "/healthz"
    conn = _connection(url, timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()
