"""Hubs nearby: a hub's mDNS announcement carries its catalog, and another hub finds it."""
import pytest

from hub.ops.device import discovery
from hub.ops.device.neighbours import find_hubs

LOOPBACK = "127.0.0.1"


@pytest.mark.slow
def test_a_hub_finds_the_hubs_announced_nearby_but_not_itself():
    settings = {"HUB_MDNS": True, "HUB_HOST": "0.0.0.0", "HUB_PORT": 18181}
    announcement = discovery.announce(settings, "Hub of the Lake School", addresses=[LOOPBACK],
                                      interfaces=[LOOPBACK])
    try:
        announcement.finished.wait(15)
        if announcement.failed:
            pytest.skip(f"multicast DNS is unavailable here ({announcement.failed})")
        found = find_hubs(4.0, interfaces=[LOOPBACK])
        assert {"name": "Hub of the Lake School", "url": f"http://{LOOPBACK}:18181"} in found
        itself = find_hubs(4.0, interfaces=[LOOPBACK], own_port=18181, own_addresses=(LOOPBACK,))
        assert all(hub["url"] != f"http://{LOOPBACK}:18181" for hub in itself)
    finally:
        announcement.stop()
