"""QR codes and the dashboard panels: what a facilitator sees and a phone scans."""
import xml.etree.ElementTree as ET

import segno
from flask import render_template_string

from hub.ops.device.doctor import run_checks
from hub.ops.device.panels import panel_context
from hub.ops.device.qr import hub_qr_svg, terminal_qr

URL = "http://10.42.0.1:8080/"


def test_svg_is_inline_scalable_and_names_the_address():
    svg = hub_qr_svg(URL)
    root = ET.fromstring(svg)  # well-formed
    assert root.tag == "svg" and root.get("class") == "hub-qr"
    assert root.get("viewBox") and root.get("width") is None  # size comes from CSS
    assert root.find("title").text == URL
    assert "style" not in svg and "<script" not in svg and "<?xml" not in svg
    # The modules drawn are the QR symbol of exactly this address.
    size = segno.make(URL, error="m", micro=False).symbol_size(scale=6, border=4)[0]
    assert root.get("viewBox") == f"0 0 {size} {size}"


def test_terminal_qr_is_block_characters_two_rows_per_line():
    code = segno.make(URL, error="m", micro=False)
    rows = terminal_qr(URL).splitlines()
    width = code.symbol_size(border=2)[0]
    assert all(len(row) == width for row in rows)
    assert len(rows) == (width + 1) // 2
    assert set("".join(rows)) <= {"█", "▀", "▄", " "}


def test_status_panel_shows_each_check_in_words(app, data_dir):
    settings = dict(app.config, HUB_DISK_RESERVE_MB=10 ** 9)
    checks = run_checks(settings)
    with app.test_request_context("/facilitator/"):
        html = render_template_string('{% include "device/status_panel.html" ignore missing %}',
                                      device_checks=checks)
    attention = sum(not c.ok for c in checks)  # 2 where this machine has no network address
    assert "The device" in html
    assert (f"{attention} things need attention." if attention > 1 else "1 thing needs attention.") in html
    assert "Free space" in html and "Problem" in html
    assert "Remove packs nobody uses" in html  # the fix is shown
    assert "Sync is off" in html


def test_panels_render_nothing_without_their_data(app):
    with app.test_request_context("/facilitator/"):
        html = render_template_string('{% include "device/status_panel.html" ignore missing %}'
                                      '{% include "device/qr_panel.html" ignore missing %}')
    assert html.strip() == ""


def test_qr_panel_shows_the_address_and_the_code(app, db):
    settings = dict(app.config, HUB_HOST="127.0.0.1", HUB_PORT=8080, HUB_MDNS=True)
    context = panel_context(settings, db, checks=False)
    assert context["device_url"] == "http://127.0.0.1:8080/"
    assert context["device_local_url"] == "http://community-learning-hub.local:8080/"
    with app.test_request_context("/facilitator/"):
        html = render_template_string('{% include "device/qr_panel.html" %}', **context)
    assert 'class="hub-qr"' in html and '<a href="http://127.0.0.1:8080/"' in html
    assert "community-learning-hub.local" in html


def test_addresses_stay_left_to_right_on_arabic_pages(app, db):
    settings = dict(app.config, HUB_HOST="127.0.0.1", HUB_PORT=8080, HUB_MDNS=True)
    context = panel_context(settings, db, checks=False)
    with app.test_request_context("/facilitator/", headers={"Cookie": "hub_lang=ar"}):
        html = render_template_string('{% include "device/qr_panel.html" %}', **context)
    # A URL inside right-to-left text would otherwise show with its parts reordered.
    assert '<a href="http://127.0.0.1:8080/" dir="ltr">http://127.0.0.1:8080/</a>' in html
    assert '<bdi dir="ltr">http://community-learning-hub.local:8080/</bdi>' in html
