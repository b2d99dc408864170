"""mDNS/DNS-SD: a zeroconf browser in the same test sees the hub's announcement on loopback."""
import logging
import socket
import threading

import pytest

from hub.ops.device import discovery

LOOPBACK = "127.0.0.1"


@pytest.fixture
def browser():
    """A second zeroconf instance on loopback, as a phone on the network would be."""
    from zeroconf import IPVersion, Zeroconf

    try:
        zc = Zeroconf(interfaces=[LOOPBACK], ip_version=IPVersion.V4Only)
    except OSError as exc:
        pytest.skip(f"multicast DNS is unavailable on loopback here ({exc})")
    yield zc
    zc.close()


@pytest.mark.slow
def test_announced_hub_is_found_by_a_browser_and_leaves_on_stop(browser):
    from zeroconf import AddressResolverIPv4, ServiceBrowser, ServiceStateChange

    port = 18080
    settings = {"HUB_MDNS": True, "HUB_HOST": "0.0.0.0", "HUB_PORT": port}
    added, removed, found = threading.Event(), threading.Event(), {}

    def on_change(zeroconf, service_type, name, state_change):
        if not name.startswith("École du Lac."):
            return
        if state_change is ServiceStateChange.Added:
            found["info"] = zeroconf.get_service_info(service_type, name, timeout=3000)
            added.set()
        elif state_change is ServiceStateChange.Removed:
            removed.set()

    watch = ServiceBrowser(browser, discovery.SERVICE_TYPE, handlers=[on_change])
    announcement = discovery.announce(settings, "École du Lac", addresses=[LOOPBACK],
                                      interfaces=[LOOPBACK])
    try:
        announcement.finished.wait(15)
        if announcement.failed:
            pytest.skip(f"multicast DNS is unavailable here ({announcement.failed})")
        assert added.wait(15), "the browser never saw the hub's _http._tcp service"
        info = found["info"]
        assert info.port == port
        assert info.server == "ecole-du-lac.local."
        assert [socket.inet_ntoa(a) for a in info.addresses] == [LOOPBACK]
        assert info.properties[b"path"] == b"/"
        host = AddressResolverIPv4("ecole-du-lac.local.")  # what `ping ecole-du-lac.local` asks
        assert host.request(browser, 3000) and host.parsed_addresses() == [LOOPBACK]
    finally:
        announcement.stop()
    assert removed.wait(15), "the hub's goodbye was not seen after stop()"
    watch.cancel()


def test_announcement_is_off_when_hub_mdns_is_off():
    settings = {"HUB_MDNS": False, "HUB_HOST": "0.0.0.0", "HUB_PORT": 8080}
    assert discovery.announce(settings, "Hub", addresses=[LOOPBACK]) is None


def test_loopback_only_hub_is_not_announced():
    settings = {"HUB_MDNS": True, "HUB_HOST": LOOPBACK, "HUB_PORT": 8080}
    assert discovery.announce(settings, "Hub") is None


def test_no_multicast_logs_a_warning_and_never_raises(caplog):
    # An interface address this machine does not have: zeroconf cannot open its sockets.
    settings = {"HUB_MDNS": True, "HUB_HOST": "0.0.0.0", "HUB_PORT": 8080}
    with caplog.at_level(logging.WARNING, logger="hub.device.discovery"):
        announcement = discovery.announce(settings, "Hub", addresses=["203.0.113.5"],
                                          interfaces=["203.0.113.5"])
        assert announcement.finished.wait(15)
    assert announcement.failed and not announcement.registered.is_set()
    assert "cannot announce the hub" in caplog.text
    announcement.stop()  # safe after a failure


@pytest.mark.parametrize("name, label", [
    ("Community Learning Hub", "community-learning-hub"),
    ("École du Lac", "ecole-du-lac"),
    ("  ", "learning-hub"),
    ("مركز التعلم", "learning-hub"),
    ("x" * 80, "x" * 63),
])
def test_host_label_is_a_valid_dns_label(name, label):
    assert discovery.host_label(name) == label
    assert discovery.local_url(name, 8080) == f"http://{label}.local:8080/"
