"""The network health checks of `hub doctor`: where learners connect, and the upstream."""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from hub.ops.device.checks import Check, _check, _l

ALL_INTERFACES = ("0.0.0.0", "", "::")


def check_addresses(settings: dict) -> Check:
    """The addresses learners can open: the hub must listen on a network, not only on itself."""
    from hub.ops.device.addresses import lan_addresses, learner_urls

    title = _l("Network address")
    host, port = str(settings["HUB_HOST"]), int(settings["HUB_PORT"])
    addresses = lan_addresses()
    set_host = _l("Set HUB_HOST=0.0.0.0 so the hub listens on every network of the device.")
    if host in ALL_INTERFACES:
        if not addresses:
            return _check("addresses", title, "warning",
                          _l("The device is not connected to any network, so learners cannot reach the hub."),
                          _l("Turn on the Wi-Fi hotspot (see docs/deployment.md) or connect the device to a network."))
    elif host.startswith("127.") or host == "localhost":
        return _check("addresses", title, "warning",
                      _l("The hub only listens on the device itself (%(host)s), so learners cannot reach it."),
                      set_host, host=host)
    elif host not in addresses:
        return _check("addresses", title, "error",
                      _l("%(host)s is not an address of this device, so the hub cannot start."),
                      set_host, host=host)
    urls = ", ".join(learner_urls(host, port))
    return _check("addresses", title, "ok", _l("Learners can open %(urls)s"), urls=urls)


def check_upstream(settings: dict, timeout: float = 3.0) -> Check:
    """Whether the central receiver (HUB_UPSTREAM_URL) answers; not configured is fine."""
    title = _l("Connection to the central office")
    url = str(settings.get("HUB_UPSTREAM_URL") or "").strip()
    if not url:
        return _check("upstream", title, "info",
                      _l("Sync is off: no central office address is configured. The hub works fully without it."))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _check("upstream", title, "error",
                      _l("The central office address %(url)s is not a web address."),
                      _l("Register again with the address you were given: hub sync register --url URL ..."),
                      url=url)
    status, reason = probe(url, timeout)
    if status is None:
        return _check("upstream", title, "warning",
                      _l("The central office at %(url)s cannot be reached (%(reason)s). Reports wait on the hub and are sent when it can be reached."),
                      _l("Nothing is lost. If the hub should be online now, check its internet connection."),
                      url=url, reason=reason)
    if status >= 500:
        return _check("upstream", title, "warning",
                      _l("The central office at %(url)s answers with an error (%(status)s). Reports wait on the hub."),
                      _l("Tell the central office; nothing is lost on the hub."), url=url, status=status)
    return _check("upstream", title, "ok", _l("The central office at %(url)s can be reached."), url=url)


def probe(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, '') when `url` answers within `timeout` seconds, else (None, why).

    Runs in a thread so a slow name lookup (offline devices) cannot stall a page past the
    deadline; any HTTP answer, even 404 or 405, proves the server is reachable.
    """
    result: list = []

    def request():
        try:
            req = urllib.request.Request(url, method="GET", headers={"User-Agent": "hub-doctor"})
            with urllib.request.urlopen(req, timeout=timeout) as response:
                result.append((response.status, ""))
        except urllib.error.HTTPError as exc:
            result.append((exc.code, ""))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            result.append((None, str(getattr(reason, "strerror", None) or reason)))

    worker = threading.Thread(target=request, name="hub-doctor-probe", daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    return result[0] if result else (None, "no answer in time")
