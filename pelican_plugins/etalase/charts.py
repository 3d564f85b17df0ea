"""Static, accessible SVG charts generated at build time (no JavaScript, no chart library).

Every chart is inline SVG with `role="img"`, a `<title>` and a `<desc>` that states every
plotted number, so a screen reader hears the data; the page also shows the same numbers in
an HTML table. The drawing is 320 units wide, the content width of a 360 px phone, so
there one unit is about one pixel and the 12-unit text is about 12 px; wider screens scale it
up. Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies), and
series also differ by marker shape and dash pattern, so nothing depends on colour alone.
"""

from __future__ import annotations

import hashlib
import math

from markupsafe import Markup, escape

WIDTH = 320  # the content width of a 360 px phone (less the page margins)
FONT = 12
INK = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#d8dadc"
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = ["", "6 3", "2 3", "8 3 2 3"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def fmt(value, decimals: int = 0) -> str:
    """Indonesian number: 88,31 / 1.234."""
    if value is None:
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def month_label(month: str) -> str:
    """`2025-07` → "Juli 2025"."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def month_short(month: str) -> str:
    """`2025-07` → "Jul 25"."""
    year, number = month.split("-")
    return f"{MONTHS_SHORT[int(number) - 1]} {year[2:]}"


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^k)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    span = high - low
    raw = span / count
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    first = math.ceil(low / step) * step
    ticks, value = [], first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _ids(title: str, desc: str) -> tuple[str, str]:
    digest = hashlib.sha1((title + "\0" + desc).encode("utf-8")).hexdigest()[:10]
    return f"grafik-{digest}-judul", f"grafik-{digest}-uraian"


def _open(title: str, desc: str, height: int) -> list[str]:
    title_id, desc_id = _ids(title, desc)
    return [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" '
        'preserveAspectRatio="xMinYMin meet">',
        # a white halo keeps text readable where it crosses a guide line or a bar
        '<style>svg.chart text{paint-order:stroke;stroke:#fff;stroke-width:3px;'
        'stroke-linejoin:round}</style>',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
    ]


def _marker(shape: int, x: float, y: float, colour: str) -> str:
    if shape % 3 == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape % 3 == 1:
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#fff" '
                f'stroke="{colour}" stroke-width="2"/>')
    return (f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" '
            f'fill="{colour}"/>')


def _anchor(i: int, count: int) -> str:
    if count == 1 or 0 < i < count - 1:
        return "middle"
    return "start" if i == 0 else "end"


def _extent(i: int, count: int, text: str, x) -> tuple[float, float]:
    width = len(text) * FONT * 0.6  # a generous estimate of the rendered width
    anchor = _anchor(i, count)
    start = x(i) - (width / 2 if anchor == "middle" else width if anchor == "end" else 0)
    return start, start + width


def _label_positions(labels: list[str], x) -> list[int]:
    """Indices of the x-axis labels to draw: as many as fit without overlapping, always the
    first and the last."""
    count = len(labels)
    if count <= 1:
        return list(range(count))
    last = _extent(count - 1, count, labels[-1], x)
    shown: list[int] = []
    right = -math.inf
    for i in range(count - 1):
        start, end = _extent(i, count, labels[i], x)
        if start >= right + 6 and end + 6 <= last[0]:
            shown.append(i)
            right = end
    return shown + [count - 1]


def line_chart(title: str, desc: str, labels: list[str], series: list[tuple[str, list]],
               y_min: float, y_max: float, decimals: int = 0, suffix: str = "",
               guides: list[tuple[float, str]] | None = None) -> Markup:
    """A line chart of one or more series over the same categories (periods, months)."""
    left, right, top = 34, 14, 28 if len(series) > 1 else 12
    height = 220
    bottom = 34
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    count = len(labels)

    def x(i):
        return left + (plot_w / 2 if count == 1 else i * plot_w / (count - 1))

    def y(v):
        return top + plot_h - (float(v) - y_min) / (y_max - y_min) * plot_h

    out = _open(title, desc, height)
    out.append('<g aria-hidden="true">')
    for tick in _ticks(y_min, y_max):
        out.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                   f'fill="{MUTED}">{fmt(tick, 0)}</text>')
    for value, label in guides or []:
        if y_min <= value <= y_max:
            out.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(value):.1f}" '
                       f'y2="{y(value):.1f}" stroke="{MUTED}" stroke-dasharray="3 3"/>')
            out.append(f'<text x="{WIDTH - right}" y="{y(value) - 3:.1f}" text-anchor="end" '
                       f'fill="{MUTED}" font-size="11">{escape(label)} ≥ {fmt(value, 2)}</text>')
    for i in _label_positions(labels, x):
        anchor = _anchor(i, count)
        out.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="{anchor}" '
                   f'fill="{INK}">{escape(labels[i])}</text>')
    show_values = count <= 8 and len(series) == 1
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{'M' if k == 0 else 'L'}{px:.1f} {py:.1f}"
                            for k, (px, py) in enumerate(points))
            dash = DASHES[s % len(DASHES)]
            out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                       + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        for i, v in enumerate(values):
            if v is None:
                continue
            out.append(_marker(s, x(i), y(v), colour))
            if show_values:
                anchor = _anchor(i, count)
                out.append(f'<text x="{x(i):.1f}" y="{y(v) - 8:.1f}" text-anchor="{anchor}" '
                           f'fill="{INK}" font-weight="600">{fmt(v, decimals)}{suffix}</text>')
        if len(series) > 1:
            lx = left + s * 120
            out.append(_marker(s, lx + 6, 10, colour))
            out.append(f'<text x="{lx + 16}" y="14" fill="{INK}">{escape(name)}</text>')
    out.append("</g></svg>")
    return Markup("".join(out))


def bar_chart(title: str, desc: str, labels: list[str], values: list[float], x_min: float,
              x_max: float, decimals: int = 0, guides: list[tuple[float, str]] | None = None
              ) -> Markup:
    """Horizontal bars, each labelled above and valued at its end (long labels stay legible)."""
    left, right, row, top = 4, 44, 38, 16
    height = top + row * len(labels) + 8
    plot_w = WIDTH - left - right

    def x(v):
        return left + (float(v) - x_min) / (x_max - x_min) * plot_w

    out = _open(title, desc, height)
    out.append('<g aria-hidden="true">')
    for value, label in guides or []:
        out.append(f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{top - 4}" '
                   f'y2="{height - 6}" stroke="{MUTED}" stroke-dasharray="3 3"/>')
        out.append(f'<text x="{x(value):.1f}" y="{top - 6}" text-anchor="middle" '
                   f'fill="{MUTED}" font-size="11">{escape(label)}</text>')
    for i, (label, value) in enumerate(zip(labels, values)):
        y0 = top + i * row
        text = label if len(label) <= 46 else label[:45] + "…"
        out.append(f'<text x="{left}" y="{y0 + 11}" fill="{INK}">{escape(text)}</text>')
        width = max(x(value) - x(x_min), 1)
        out.append(f'<rect x="{left}" y="{y0 + 15}" width="{width:.1f}" height="14" '
                   f'fill="{PALETTE[0]}"/>')
        out.append(f'<text x="{left + width + 4:.1f}" y="{y0 + 27}" fill="{INK}" '
                   f'font-weight="600">{fmt(value, decimals)}</text>')
    out.append("</g></svg>")
    return Markup("".join(out))
