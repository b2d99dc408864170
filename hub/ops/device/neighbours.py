"""Hubs nearby: browse mDNS for other hubs' `_http._tcp` services that carry a pack catalog.

Every hub announces itself (hub.ops.device.discovery) with a `catalog` property; browsing
for a few seconds lists the others on the same network, so a hub that never sees the
internet can get packs from a neighbour (a visiting laptop hub, the other hub of a school).
"""
from __future__ import annotations

import logging
import socket
import threading

from hub.ops.device.discovery import SERVICE_TYPE

log = logging.getLogger("hub.device.neighbours")


def find_hubs(seconds: float = 3.0, interfaces: list[str] | None = None,
              own_port: int | None = None, own_addresses: tuple[str, ...] = ()) -> list[dict]:
    """[{"name", "url"}] of the hubs that answer within `seconds` (this hub left out)."""
    try:
        from zeroconf import InterfaceChoice, IPVersion, ServiceBrowser, Zeroconf

        zc = Zeroconf(interfaces=interfaces or InterfaceChoice.All, ip_version=IPVersion.V4Only)
    except Exception as exc:  # noqa: BLE001 - no multicast here: there are no neighbours to list
        log.warning("cannot look for hubs nearby (%s)", exc)
        return []
    found: dict[str, dict] = {}
    lock, done = threading.Lock(), threading.Event()

    def on_change(zeroconf, service_type, name, state_change):
        info = zeroconf.get_service_info(service_type, name, timeout=int(seconds * 1000))
        if info is None or b"catalog" not in (info.properties or {}):
            return
        for raw in info.addresses:
            address = socket.inet_ntoa(raw)
            if info.port == own_port and address in own_addresses:
                continue  # this hub itself
            with lock:
                found[name] = {"name": name.removesuffix("." + SERVICE_TYPE),
                               "url": f"http://{address}:{info.port}"}
            break

    browser = ServiceBrowser(zc, SERVICE_TYPE, handlers=[on_change])
    try:
        done.wait(seconds)  # answers arrive on zeroconf's thread; collect for a fixed time
    finally:
        browser.cancel()
        zc.close()
    with lock:
        return sorted(found.values(), key=lambda hub: hub["name"])
