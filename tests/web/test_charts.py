"""Server-drawn SVG charts: well-formed, accessible, mirrored for right-to-left pages."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from hub.web import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
POINTS = [("1 May", 3), ("2 <May>", 0), ("3 & May", 12), ("4 May", 7)]
KINDS = [charts.line_chart, charts.bar_chart, charts.hbar_chart]


@pytest.mark.parametrize("draw", KINDS)
@pytest.mark.parametrize("rtl", [False, True])
def test_chart_is_well_formed_and_accessible(draw, rtl):
    svg = draw(POINTS, title='Learners "active" <daily>', fmt=lambda v: f"{v:g}", rtl=rtl)
    root = ET.fromstring(str(svg))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Learners "active" <daily>'
    assert root.find("svg:title", NS).text == 'Learners "active" <daily>'
    desc = root.find("svg:desc", NS).text
    assert "3 & May: 12" in desc and "2 <May>: 0" in desc
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert set(labelled) <= ids


@pytest.mark.parametrize("draw", KINDS)
def test_empty_and_single_point_charts_still_draw(draw):
    for points in ([], [("Today", 5)], [("a", 0), ("b", 0)]):
        ET.fromstring(str(draw(points, title="t")))


def _dot_xs(svg):
    root = ET.fromstring(str(svg))
    return [float(c.get("cx")) for c in root.iter("{http://www.w3.org/2000/svg}circle")]


def test_time_runs_in_reading_direction():
    ltr = _dot_xs(charts.line_chart(POINTS, title="t"))
    rtl = _dot_xs(charts.line_chart(POINTS, title="t", rtl=True))
    assert ltr == sorted(ltr) and ltr[0] < ltr[-1]
    assert rtl == sorted(rtl, reverse=True)
    assert [round(640 - x, 1) for x in ltr] == rtl


def test_bars_are_proportional_to_values():
    root = ET.fromstring(str(charts.hbar_chart([("a", 10), ("b", 5)], title="t")))
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)


def test_axis_maximum_is_a_round_number():
    assert [charts.nice_max(v) for v in (0, 3, 12, 47, 101, 0.3)] == [1, 5, 20, 50, 200, 0.5]
