"""Small server-side SVG charts (line, bar, horizontal bar): accessible, RTL-aware, no JS.

Each function takes `points`, a list of (label, value) with labels already formatted for the
reader (dates through Babel), and returns the SVG as Markup for a template. Every chart has
role="img", an aria-label, a <title> and a <desc>; pages show the same numbers in a table too.
"""
from __future__ import annotations

import itertools
import math
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

_ids = itertools.count(1)
SVG_NS = "http://www.w3.org/2000/svg"


def nice_max(value: float) -> float:
    """Round a maximum up to 1, 2 or 5 times a power of ten, so axis ticks read well."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


class _Canvas:
    """Collects SVG elements; mirrors x positions for right-to-left pages."""

    def __init__(self, width: int, height: int, rtl: bool):
        self.width, self.height, self.rtl = width, height, rtl
        self.parts: list[str] = []

    def x(self, value: float) -> float:
        return round(self.width - value if self.rtl else value, 1)

    def anchor(self, logical: str) -> str:
        """'start'/'end' in reading order -> the SVG text-anchor for this direction."""
        if logical == "middle":
            return "middle"
        return {"start": "end", "end": "start"}[logical] if self.rtl else logical

    def add(self, tag: str, text: str | None = None, **attrs) -> None:
        rendered = " ".join(f"{k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}"
                            for k, v in attrs.items() if v is not None)
        if text is None:
            self.parts.append(f"<{tag} {rendered}/>")
        else:
            self.parts.append(f"<{tag} {rendered}>{escape(text)}</{tag}>")

    def render(self, title: str, desc: str, kind: str) -> Markup:
        number = next(_ids)
        # direction="ltr": positions and anchors are already mirrored for right-to-left pages;
        # inheriting the page's rtl would flip the anchors again and push Arabic labels off
        # the chart, "cut to a letter" (issue 18). The text itself still reads right to left.
        head = (f'<svg xmlns="{SVG_NS}" class="chart chart-{kind}" viewBox="0 0 {self.width} '
                f'{self.height}" direction="ltr" role="img" aria-label={quoteattr(title)} '
                f'aria-labelledby="chart{number}-t chart{number}-d" preserveAspectRatio="xMidYMid meet">'
                f'<title id="chart{number}-t">{escape(title)}</title>'
                f'<desc id="chart{number}-d">{escape(desc)}</desc>')
        return Markup(head + "".join(self.parts) + "</svg>")


def _describe(points, fmt) -> str:
    return "; ".join(f"{label}: {fmt(value)}" for label, value in points)


def _y_axis(canvas: _Canvas, top: float, left: float, right: float, bottom: float,
            maximum: float, fmt) -> None:
    for fraction in (0, 0.5, 1):
        y = round(bottom - (bottom - top) * fraction, 1)
        canvas.add("line", class_="grid", x1=canvas.x(left), x2=canvas.x(right), y1=y, y2=y,
                   stroke="#d5d9de")
        canvas.add("text", fmt(maximum * fraction), class_="tick", x=canvas.x(left - 6),
                   y=y + 4, text_anchor=canvas.anchor("end"), font_size=12, fill="#4a5360")


def _axes(points, fmt, rtl, width, height):
    """A canvas with its plot box, the values as floats and a y axis up to a round maximum."""
    canvas = _Canvas(width, height, rtl)
    box = (48, width - 12, 12, height - 28)  # left, right, top, bottom
    values = [float(v or 0) for _label, v in points]
    maximum = nice_max(max(values, default=0))
    _y_axis(canvas, box[2], box[0], box[1], box[3], maximum, fmt)
    return canvas, box, values, maximum


def line_chart(points, *, title: str, fmt=str, rtl: bool = False,
               width: int = 640, height: int = 240) -> Markup:
    """A line over time (e.g. daily active learners); the first point sits at the reading start."""
    canvas, (left, right, top, bottom), values, maximum = _axes(points, fmt, rtl, width, height)
    count = len(points)
    step = (right - left) / max(count - 1, 1)
    coords = [(left + i * step, bottom - (bottom - top) * v / maximum) for i, v in enumerate(values)]
    if coords:
        path = " ".join(f"{canvas.x(x)},{round(y, 1)}" for x, y in coords)
        canvas.add("polyline", class_="series", points=path, fill="none", stroke="#0b6e4f",
                   stroke_width=3, stroke_linejoin="round")
    for (x, y), (label, value) in zip(coords, points):
        canvas.parts.append(f'<circle class="dot" cx="{canvas.x(x)}" cy="{round(y, 1)}" r="3.5" '
                            f'fill="#0b6e4f"><title>{escape(f"{label}: {fmt(value)}")}</title></circle>')
    # Label the first, middle and last points only: thirty dates do not fit on a phone.
    for index in sorted({0, count // 2, count - 1}) if count else []:
        logical = "start" if index == 0 else "end" if index == count - 1 else "middle"
        if count == 1:
            logical = "start"
        canvas.add("text", points[index][0], class_="tick", x=canvas.x(coords[index][0]),
                   y=height - 8, text_anchor=canvas.anchor(logical), font_size=12, fill="#4a5360")
    return canvas.render(title, _describe(points, fmt), "line")


def bar_chart(points, *, title: str, fmt=str, rtl: bool = False,
              width: int = 640, height: int = 240) -> Markup:
    """Vertical bars, one per point (e.g. minutes per day, check-ins per mood)."""
    canvas, (left, right, top, bottom), values, maximum = _axes(points, fmt, rtl, width, height)
    count = max(len(points), 1)
    slot = (right - left) / count
    bar = max(slot * 0.7, 1)
    for i, ((label, value), number) in enumerate(zip(points, values)):
        bar_height = (bottom - top) * number / maximum
        start = left + i * slot + (slot - bar) / 2
        x = min(canvas.x(start), canvas.x(start + bar))
        canvas.parts.append(
            f'<rect class="bar" x="{x}" y="{round(bottom - bar_height, 1)}" width="{round(bar, 1)}" '
            f'height="{round(bar_height, 1)}" fill="#0b6e4f"><title>'
            f'{escape(f"{label}: {fmt(value)}")}</title></rect>')
        # Every label when they fit (about 9 characters each), else the first and the last.
        if len(points) * 60 <= right - left or i in (0, len(points) - 1):
            canvas.add("text", label, class_="tick", x=canvas.x(start + bar / 2), y=height - 8,
                       text_anchor="middle", font_size=12, fill="#4a5360")
    return canvas.render(title, _describe(points, fmt), "bar")


def hbar_chart(points, *, title: str, fmt=str, rtl: bool = False, width: int = 640,
               row_height: int = 32) -> Markup:
    """Horizontal bars with their label above each bar (e.g. most used resources)."""
    height = max(len(points), 1) * row_height * 2 + 8
    canvas = _Canvas(width, height, rtl)
    left, right = 8, width - 8
    values = [float(v or 0) for _label, v in points]
    maximum = max(values, default=0) or 1
    for i, ((label, value), number) in enumerate(zip(points, values)):
        y = 4 + i * row_height * 2
        fits = max(int((right - left) / 8), 8)  # about 8 units a character at 14 px
        shown = label if len(label) <= fits else label[:fits - 1] + "…"  # full label in <title>
        canvas.add("text", shown, class_="label", x=canvas.x(left), y=y + row_height - 10,
                   text_anchor=canvas.anchor("start"), font_size=14, fill="#1b1f24")
        length = max((right - left - 80) * number / maximum, 1)
        x = min(canvas.x(left), canvas.x(left + length))
        canvas.parts.append(
            f'<rect class="bar" x="{x}" y="{y + row_height}" width="{round(length, 1)}" '
            f'height="{row_height - 8}" fill="#0b6e4f"><title>{escape(f"{label}: {fmt(value)}")}'
            f'</title></rect>')
        canvas.add("text", fmt(value), class_="value", x=canvas.x(left + length + 6),
                   y=y + row_height * 2 - 14, text_anchor=canvas.anchor("start"), font_size=13,
                   fill="#1b1f24")
    return canvas.render(title, _describe(points, fmt), "hbar")
