"""mDNS/DNS-SD: the hub announces itself as `<hub-name>.local` and an `_http._tcp` service.

Phones and laptops on the same network then find it by name. Announcing happens in a
background thread (probing takes about 1.5 s) and any failure, such as a network without
multicast, is logged as a warning: the hub serves on regardless.
"""
from __future__ import annotations

import logging
import re
import socket
import threading
import unicodedata

SERVICE_TYPE = "_http._tcp.local."
# Tells other hubs this service is a hub with a pack catalog (hub.ops.device.neighbours).
CATALOG_PROPERTY = {"catalog": "/api/v1/catalog"}
log = logging.getLogger("hub.device.discovery")


def host_label(hub_name: str) -> str:
    """A DNS label for the hub's name: 'École du Lac' -> 'ecole-du-lac'."""
    ascii_name = unicodedata.normalize("NFKD", hub_name).encode("ascii", "ignore").decode()
    label = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63].strip("-")
    return label or "learning-hub"


def local_url(hub_name: str, port: int) -> str:
    """The address learners can type on devices that resolve .local names."""
    suffix = "" if port == 80 else f":{port}"
    return f"http://{host_label(hub_name)}.local{suffix}/"


class Announcement:
    """One running announcement; `stop()` withdraws it (goodbye packets) and closes."""

    def __init__(self, hub_name: str, port: int, addresses: list[str],
                 interfaces: list[str] | None = None):
        self.hub_name = hub_name
        self.host = host_label(hub_name) + ".local."
        self.port = port
        self.addresses = addresses
        self.interfaces = interfaces
        self.registered = threading.Event()  # set once the service is announced
        self.finished = threading.Event()    # set when announcing succeeded or gave up
        self.failed: str | None = None
        self._zeroconf = None
        self._info = None
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="hub-mdns", daemon=True)

    def start(self) -> "Announcement":
        """Begin announcing in the background; returns at once."""
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            from zeroconf import InterfaceChoice, IPVersion, ServiceInfo, Zeroconf

            info = ServiceInfo(
                SERVICE_TYPE, f"{_instance_name(self.hub_name)}.{SERVICE_TYPE}",
                addresses=[socket.inet_aton(a) for a in self.addresses],
                port=self.port, properties={"path": "/", **CATALOG_PROPERTY}, server=self.host)
            zc = Zeroconf(interfaces=self.interfaces or InterfaceChoice.All,
                          ip_version=IPVersion.V4Only)
            with self._lock:
                if self._stopped:
                    zc.close()
                    return
                self._zeroconf, self._info = zc, info
            zc.register_service(info, allow_name_change=True)
            log.info("announced on the local network as %s port %s", self.host.rstrip("."),
                     self.port, extra={"addresses": self.addresses})
            self.registered.set()
        except Exception as exc:  # no multicast, no network, name clash: never fatal
            self.failed = str(exc) or type(exc).__name__
            log.warning("cannot announce the hub on the local network (%s); learners can still "
                        "open it by its address", self.failed)
            self.stop()
        finally:
            self.finished.set()

    def stop(self) -> None:
        """Withdraw the announcement and release the sockets (safe to call twice)."""
        with self._lock:
            if self._stopped and self._zeroconf is None:
                return
            self._stopped = True
            zc, info, self._zeroconf, self._info = self._zeroconf, self._info, None, None
        if zc is None:
            return
        try:
            if info is not None and self.registered.is_set():
                zc.unregister_service(info)
        except Exception as exc:
            log.warning("mDNS goodbye failed: %s", exc)
        finally:
            zc.close()


def _instance_name(hub_name: str) -> str:
    """The service's visible name: the hub's own, without dots (they separate DNS labels)."""
    return (hub_name.replace(".", " ").strip() or "Learning Hub")[:63]


def announce(settings: dict, hub_name: str, addresses: list[str] | None = None,
             interfaces: list[str] | None = None) -> Announcement | None:
    """Start announcing the hub unless HUB_MDNS is off or it listens on loopback only."""
    if not settings.get("HUB_MDNS", True):
        return None
    if addresses is None:
        from hub.ops.device.addresses import lan_addresses

        host = str(settings["HUB_HOST"])
        addresses = lan_addresses() if host in ("0.0.0.0", "", "::") else [host]
        addresses = [a for a in addresses if not a.startswith("127.") and ":" not in a]
    if not addresses:
        log.info("not announcing on the local network: the hub has no network address")
        return None
    return Announcement(hub_name, int(settings["HUB_PORT"]), addresses, interfaces).start()
