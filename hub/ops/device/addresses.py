"""Where learners can reach this hub: the machine's LAN addresses and the URLs to open."""
from __future__ import annotations

import fcntl
import socket
import struct

_SIOCGIFADDR = 0x8915


def lan_addresses() -> list[str]:
    """Every non-loopback IPv4 address of this machine (Linux interfaces; best effort)."""
    found: list[str] = []
    try:
        names = [name for _index, name in socket.if_nameindex()]
    except OSError:
        names = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for name in names:
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, request)
            except OSError:
                continue  # interface without an IPv4 address
            address = socket.inet_ntoa(answer[20:24])
            if not address.startswith("127.") and address not in found:
                found.append(address)
    return found


def learner_urls(host: str, port: int) -> list[str]:
    """The addresses learners can open: every LAN address when listening on all interfaces."""
    if host in ("0.0.0.0", "", "::"):
        hosts = lan_addresses() or ["127.0.0.1"]
    else:
        hosts = [host]
    suffix = "" if port == 80 else f":{port}"
    return [f"http://{h}{suffix}/" for h in hosts]
